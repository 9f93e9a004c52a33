package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The readers' hand-over type: no copy, and the finiteness check the loaders run on every weight. */
class ArrayDataTest {
    @Test
    void handsOverTheArrayItself() {
        double[] data = {1, 2, 3, 4, 5, 6};
        ArrayData a = new ArrayData("w.npy", new int[] {2, 3}, data);
        assertThat(a.data()).isSameAs(data);
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.toTensor().data()).containsExactly(data);
        assertThat(a.source()).isEqualTo("w.npy");
    }

    @Test
    void nonFiniteValuesAreDamageNamingTheArrayAndPosition() throws FileFormatException {
        double[] data = {1, 2, 3, 4, 5, Double.NaN};
        assertThatThrownBy(() -> new ArrayData("m.h5: dataset '/k'", new int[] {2, 3}, data).requireFinite())
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("m.h5: dataset '/k': value [1][2] is NaN; weights must be finite (a NaN or infinite weight"
                        + " means a damaged file or a diverged model)");
        assertThatThrownBy(() -> new ArrayData("b", new int[] {4}, new double[] {0, Double.NEGATIVE_INFINITY, 0, 0})
                .requireFinite()).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("b: value [1] is -Infinity");
        assertThatThrownBy(() -> new ArrayData("s", new int[0], new double[] {Double.POSITIVE_INFINITY})
                .requireFinite()).isInstanceOf(FileFormatException.class).hasMessageStartingWith("s: value [] is Infinity");
        ArrayData fine = new ArrayData("f", new int[] {2, 2}, new double[] {Double.MAX_VALUE, -0.0, 1e-320, 0});
        assertThat(fine.requireFinite()).isSameAs(fine);
        ArrayData empty = new ArrayData("e", new int[] {0, 3}, new double[0]);
        assertThat(empty.requireFinite()).isSameAs(empty);
        // row-major flat index 3 of [4][2] is [1][1], and flat index 11 of [2][3][2] is [1][2][1]
        double[] third = new double[8];
        third[3] = Double.NaN;
        assertThatThrownBy(() -> new ArrayData("r", new int[] {4, 2}, third).requireFinite())
                .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith("r: value [1][1] is NaN");
        double[] last = new double[12];
        last[11] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> new ArrayData("t", new int[] {2, 3, 2}, last).requireFinite())
                .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith("t: value [1][2][1] is Infinity");
        assertThat(new ArrayData("w.npy", new int[] {2, 3}, new double[6]).toString()).isEqualTo("w.npy [2][3]");
    }
}

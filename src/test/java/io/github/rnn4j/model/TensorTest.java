package io.github.rnn4j.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Tensor}: row-major layout, copies in and out, slicing and stacking along the batch axis, refusals by name. */
class TensorTest {
    @Test
    void valuesAreRowMajorAndCopiedInAndOut() {
        double[] data = {1, 2, 3, 4, 5, 6};
        int[] shape = {2, 3};
        Tensor t = Tensor.of(shape, data);
        data[0] = 99;
        shape[0] = 7;
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.rank()).isEqualTo(2);
        assertThat(t.data()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(t.matrix()).isDeepEqualTo(new double[][] {{1, 2, 3}, {4, 5, 6}});
        t.shape()[0] = 5;
        t.data()[1] = 42;
        t.matrix()[1][1] = 42;
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.data()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(t.toString()).isEqualTo("Tensor[2][3]");

        double[][] m = {{1, 2}, {3, 4}, {5, 6}};
        Tensor fromMatrix = Tensor.of(m);
        m[2][1] = 0;
        assertThat(fromMatrix.shape()).containsExactly(3, 2);
        assertThat(fromMatrix.data()).containsExactly(1, 2, 3, 4, 5, 6);
        double[] v = {7, 8};
        Tensor vector = Tensor.of(v);
        v[0] = 0;
        assertThat(vector.vector()).containsExactly(7, 8);
        assertThat(vector.rank()).isEqualTo(1);
        assertThat(Tensor.of(new int[0], new double[] {3.5}).rank()).isZero();
        assertThat(Tensor.of(new int[] {2, 0, 4}, new double[0]).shape()).containsExactly(2, 0, 4);
    }

    @Test
    void wrongShapesAndRanksAreRefusedByName() {
        assertThatThrownBy(() -> Tensor.of(new int[] {2, -1}, new double[0]))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("shape[1] is -1, expected >= 0");
        assertThatThrownBy(() -> Tensor.of(new int[] {2, 3}, new double[5]))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("data has 5 elements, expected 6 for shape [2][3]");
        assertThatThrownBy(() -> Tensor.of(new int[] {65536, 32768}, new double[0]))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [65536][32768] has more than 2^31-1 elements");
        assertThatThrownBy(() -> Tensor.of(new int[] {Integer.MAX_VALUE}, new double[0]))
                .as("2^31-1 elements are within the limit").isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("data has 0 elements, expected 2147483647 for shape [2147483647]");
        assertThatThrownBy(() -> Tensor.of(new int[] {65536, 32768, 0}, new double[0]))
                .as("the limit holds however the later dimensions multiply").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 2^31-1 elements");
        assertThatThrownBy(() -> Tensor.of(new int[] {2}, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data");
        Tensor matrix = Tensor.of(new double[][] {{1, 2}});
        assertThatThrownBy(matrix::vector).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("tensor of shape [1][2] is not a vector");
        assertThatThrownBy(() -> Tensor.of(new double[] {1}).matrix()).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("tensor of shape [1] is not a matrix");
    }

    @Test
    void slicesAndStacksWalkTheBatchAxis() {
        Tensor batch = Tensor.of(new int[] {3, 2, 2}, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertThat(batch.slice(0).matrix()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}});
        assertThat(batch.slice(2).matrix()).isDeepEqualTo(new double[][] {{9, 10}, {11, 12}});
        assertThat(batch.slice(1).shape()).containsExactly(2, 2);
        assertThat(Tensor.of(new double[] {4, 5, 6}).slice(1).rank()).isZero();
        assertThat(Tensor.of(new double[] {4, 5, 6}).slice(1).data()).containsExactly(5);
        assertThatThrownBy(() -> batch.slice(3)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("b is 3, expected an index in [0, 3)");
        assertThatThrownBy(() -> batch.slice(-1)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("b is -1, expected an index in [0, 3)");
        assertThatThrownBy(() -> Tensor.of(new int[0], new double[] {1}).slice(0))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("a scalar tensor has no batch axis");
        assertThatThrownBy(() -> Tensor.of(new int[] {0, 2}, new double[0]).slice(0))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("b is 0, expected an index in [0, 0)");

        Tensor stacked = Tensor.stack(batch.slice(2), batch.slice(0));
        assertThat(stacked.shape()).containsExactly(2, 2, 2);
        assertThat(stacked.data()).containsExactly(9, 10, 11, 12, 1, 2, 3, 4);
        assertThat(Tensor.stack(Tensor.of(new double[] {1, 2})).shape()).containsExactly(1, 2);
        assertThatThrownBy(() -> Tensor.stack()).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("parts is empty, expected at least one tensor");
        assertThatThrownBy(() -> Tensor.stack(batch.slice(0), Tensor.of(new double[] {1, 2})))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("parts[1] has shape [2], expected [2][2]");
        assertThatThrownBy(() -> Tensor.stack(batch.slice(0), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parts[1]");
    }
}

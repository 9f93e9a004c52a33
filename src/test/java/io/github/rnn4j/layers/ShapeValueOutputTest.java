package io.github.rnn4j.layers;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The value types between layers: {@link Shape}, {@link Value} and {@link RnnOutput}, with their bounds and messages. */
class ShapeValueOutputTest {

    @Test
    void shapeChecksItsRankAndDimensions() {
        assertThatThrownBy(() -> Shape.of(1, 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dims has 3 dimensions [1][2][3], expected 1 (a vector) or 2 (a sequence"
                        + " [timeSteps][features])");
        assertThatThrownBy(() -> Shape.of()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dims has 0 dimensions");
        assertThatThrownBy(() -> Shape.of(3, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dims[1] is -2, expected >= 0 or UNKNOWN");
        assertThat(Shape.of(0, Shape.UNKNOWN).toString()).isEqualTo("[0][?]");
    }

    @Test
    void shapeReportsItsDimensionsAndSize() {
        Shape s = Shape.sequence(3, 4);
        assertThat(s.rank()).isEqualTo(2);
        assertThat(s.isSequence()).isTrue();
        assertThat(s.dim(0)).isEqualTo(3);
        assertThat(s.dim(1)).isEqualTo(4);
        assertThat(s.features()).isEqualTo(4);
        assertThat(s.timeSteps()).isEqualTo(3);
        assertThat(s.size()).isEqualTo(12L);
        int[] dims = s.dims();
        dims[0] = 9;
        assertThat(s.dims()).containsExactly(3, 4);
        assertThat(Shape.sequence(Shape.UNKNOWN, 4).size()).isEqualTo(Shape.UNKNOWN);
        assertThat(Shape.vector(5).size()).isEqualTo(5L);
        assertThat(Shape.vector(5).rank()).isEqualTo(1);
        assertThat(Shape.vector(5).isSequence()).isFalse();
        assertThatThrownBy(() -> Shape.vector(5).timeSteps()).isInstanceOf(IllegalStateException.class)
                .hasMessage("shape [5] is a vector: it has no time steps");
    }

    @Test
    void shapeAcceptsUnknownDimensionsOnEitherSideAndComparesByDimensions() {
        Shape any = Shape.sequence(Shape.UNKNOWN, 4);
        assertThat(any.accepts(Shape.sequence(7, 4))).isTrue();
        assertThat(Shape.sequence(3, 4).accepts(any)).isTrue();
        assertThat(Shape.sequence(3, 4).accepts(Shape.sequence(2, 4))).isFalse();
        assertThat(Shape.sequence(3, 4).accepts(Shape.sequence(3, 5))).isFalse();
        assertThat(Shape.vector(4).accepts(Shape.sequence(3, 4))).isFalse();
        assertThat(Shape.of(3, 4)).isEqualTo(Shape.sequence(3, 4)).hasSameHashCodeAs(Shape.sequence(3, 4));
        assertThat(Shape.of(3, 4)).isNotEqualTo(Shape.sequence(4, 3)).isNotEqualTo(Shape.vector(4))
                .isNotEqualTo("[3][4]");
    }

    @Test
    void valuesCheckAndPrintThemselves() {
        Value.Sequence s = new Value.Sequence(new double[][] {{1, 2, 3}, {4, 5, 6}}, new boolean[] {true, false});
        assertThat(s.toString()).isEqualTo("Sequence[2][3] with mask");
        assertThat(s.shape()).isEqualTo(Shape.sequence(2, 3));
        assertThat(s.timeSteps()).isEqualTo(2);
        assertThat(s.features()).isEqualTo(3);
        Value.Sequence empty = new Value.Sequence(new double[0][]);
        assertThat(empty.features()).isZero();
        assertThat(empty.toString()).isEqualTo("Sequence[0][0]");
        Value.Vector v = new Value.Vector(new double[] {1, 2, 3});
        assertThat(v.toString()).isEqualTo("Vector[3]");
        assertThat(v.shape()).isEqualTo(Shape.vector(3));
        assertThatThrownBy(() -> new Value.Sequence(new double[2][1], new boolean[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("mask has shape [3], expected [2]");
        assertThatThrownBy(() -> new Value.Sequence(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("steps must not be null");
        assertThatThrownBy(() -> new Value.Vector(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("values must not be null");
    }

    @Test
    void rnnOutputSaysWhichCallWouldHaveGivenWhatWasAskedFor() {
        SimpleRnnCell cell = new SimpleRnnCell(new double[][] {{0.5}}, new double[][] {{0.25}}, new double[] {0});
        double[][] x = {{1}, {2}};
        RnnOutput last = Rnn.of(cell).forward(x);
        assertThat(last.hasSequence()).isFalse();
        assertThatThrownBy(last::sequence).isInstanceOf(IllegalStateException.class)
                .hasMessage("the layer does not return sequences: build it with returnSequences(true)");
        assertThatThrownBy(last::states).isInstanceOf(IllegalStateException.class)
                .hasMessage("the layer does not return states: build it with returnState(true)");
        assertThatThrownBy(last::directions).isInstanceOf(IllegalStateException.class)
                .hasMessage("directions() is only available on the output of a Bidirectional layer");
        assertThat(Rnn.of(cell).returnSequences(true).forward(x).hasSequence()).isTrue();

        RnnOutput none = Bidirectional.of(cell, cell, MergeMode.NONE).returnSequences(true).forward(x);
        assertThat(none.hasSequence()).isFalse();
        assertThatThrownBy(none::last).isInstanceOf(IllegalStateException.class)
                .hasMessage("merge mode NONE keeps the directions apart: use directions()");
        assertThatThrownBy(none::sequence).isInstanceOf(IllegalStateException.class)
                .hasMessage("merge mode NONE keeps the directions apart: use directions()");
        List<RnnOutput> directions = none.directions();
        assertThat(directions).hasSize(2);
        // h_1 = tanh(0.5), h_2 = tanh(1 + 0.25·tanh(0.5)) forwards
        assertThat(directions.get(0).sequence()[1][0]).isCloseTo(Math.tanh(1 + 0.25 * Math.tanh(0.5)),
                org.assertj.core.data.Offset.offset(1e-12));
    }
}

package io.github.rnn4j.layers;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The graph entry points of {@link Masking}, {@link Identity} and {@link Embedding}, which the {@code layers} tests
 * reached only through models before (docs/mutation.md). Masking as Keras (keras/src/layers/core/masking.py): a
 * step is kept when any feature differs from {@code mask_value}, and masked steps are multiplied by 0.
 */
class MaskingIdentityEmbeddingTest {
    private static final double[][] TABLE = {{0.1, 1}, {2, 3}, {4, 5}};

    @Test
    void maskingMasksStepsEqualToTheMaskValueAndZeroesThem() {
        Masking m = new Masking(-1);
        Value.Sequence out = (Value.Sequence) m.apply(List.of(new Value.Sequence(
                new double[][] {{-1, -1}, {-1, 2}, {3, 4}}))).get(0);
        assertThat(out.mask()).containsExactly(false, true, true);
        assertThat(out.steps()).isDeepEqualTo(new double[][] {{0, 0}, {-1, 2}, {3, 4}});
        assertThat(m.isMasked(new double[] {-1, -1})).isTrue();
        assertThat(m.isMasked(new double[] {-1, 0})).isFalse();
        assertThat(m.maskValue()).isEqualTo(-1.0);
        assertThat(m.toString()).isEqualTo("Masking[maskValue=-1.0]");
        assertThat(m.parameterCount()).isZero();
        assertThat(m.streaming()).isEqualTo(Layer.Streaming.PER_STEP);
        assertThat(m.float32()).isSameAs(m);
        assertThat(m.outputShapes(List.of(Shape.sequence(4, 2)))).containsExactly(Shape.sequence(4, 2));
        assertThatThrownBy(() -> m.outputShapes(List.of(Shape.vector(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Masking input 0 has shape [2], expected [timeSteps][features]");
        assertThatThrownBy(() -> m.apply(List.of(new Value.Vector(new double[] {1, 2}))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Masking input 0 has shape [2], expected a sequence [timeSteps][features]");
    }

    @Test
    void identityPassesItsInputOnAndDropsTheMaskOnlyWhenAsked() {
        Value.Sequence masked = new Value.Sequence(new double[][] {{1}, {2}}, new boolean[] {true, false});
        Identity keep = new Identity("Dropout");
        Identity drop = Identity.droppingMask("SpatialDropout1D");
        assertThat(keep.apply(List.of(masked)).get(0)).isSameAs(masked);
        Value.Sequence dropped = (Value.Sequence) drop.apply(List.of(masked)).get(0);
        assertThat(dropped.mask()).isNull();
        assertThat(dropped.steps()).isDeepEqualTo(new double[][] {{1}, {2}});
        Value.Vector v = new Value.Vector(new double[] {3});
        assertThat(drop.apply(List.of(v)).get(0)).isSameAs(v);
        assertThat(keep.dropsMask()).isFalse();
        assertThat(drop.dropsMask()).isTrue();
        assertThat(keep.toString()).isEqualTo("Identity[Dropout]");
        assertThat(drop.toString()).isEqualTo("Identity[SpatialDropout1D, drops the mask]");
        assertThat(keep.outputShapes(List.of(Shape.vector(3)))).containsExactly(Shape.vector(3));
        assertThat(keep.parameterCount()).isZero();
        assertThat(keep.streaming()).isEqualTo(Layer.Streaming.PER_STEP);
        assertThat(keep.float32()).isSameAs(keep);
        assertThatThrownBy(() -> keep.outputShapes(List.of(Shape.vector(3), Shape.vector(3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Identity takes 1 input, got 2");
        assertThatThrownBy(() -> new Identity(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kind must not be null");
    }

    @Test
    void embeddingLooksUpTokenIdsAndMasksZero() {
        Embedding e = new Embedding(TABLE, true);
        Value.Sequence out = (Value.Sequence) e.apply(List.of(new Value.Vector(new double[] {2, 0, 1}))).get(0);
        assertThat(out.steps()).isDeepEqualTo(new double[][] {{4, 5}, {0.1, 1}, {2, 3}});
        assertThat(out.mask()).containsExactly(true, false, true);
        Value.Sequence unmasked = (Value.Sequence) new Embedding(TABLE).apply(List.of(
                new Value.Vector(new double[] {0}))).get(0);
        assertThat(unmasked.mask()).isNull();
        assertThat(new Embedding(TABLE).mask(new int[] {0, 1})).isNull();
        assertThat(e.mask(new int[] {0, 1})).containsExactly(false, true);

        for (double bad : new double[] {3, -1, 1.5, 2.5}) {
            assertThatThrownBy(() -> e.apply(List.of(new Value.Vector(new double[] {0, bad}))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Embedding input [1] is " + bad + ", expected a token id: a whole number in [0, 3)");
        }
        assertThatThrownBy(() -> e.forward(new int[] {1, 3})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ids[1] is 3, expected an id in [0, 3)");
        assertThatThrownBy(() -> e.forward(new int[] {-1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ids[0] is -1, expected an id in [0, 3)");

        assertThat(e.outputShapes(List.of(Shape.vector(7)))).containsExactly(Shape.sequence(7, 2));
        assertThatThrownBy(() -> e.outputShapes(List.of(Shape.sequence(7, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Embedding input 0 has shape [7][1], expected token ids [timeSteps]");
        assertThat(e.parameterCount()).isEqualTo(6L);
        assertThat(e.streaming()).isEqualTo(Layer.Streaming.PER_STEP);
        assertThat(e.toString()).isEqualTo("Embedding[vocabSize=3, embeddingDim=2, maskZero]");
        assertThat(new Embedding(TABLE).toString()).isEqualTo("Embedding[vocabSize=3, embeddingDim=2]");
    }

    @Test
    void float32EmbeddingKeepsItsShapeAndRoundsEachWeightOnce() {
        Embedding e = new Embedding(TABLE, true);
        Embedding f = e.float32();
        assertThat(f).isNotSameAs(e);
        assertThat(f.float32()).isSameAs(f);
        assertThat(f.vocabSize()).isEqualTo(3);
        assertThat(f.embeddingDim()).isEqualTo(2);
        assertThat(f.parameterCount()).isEqualTo(6L);
        assertThat(f.maskZero()).isTrue();
        double tenth = (float) 0.1;
        assertThat(f.forward(new int[] {0, 2})).isDeepEqualTo(new double[][] {{tenth, 1}, {4, 5}});
        assertThat(f.table()).isDeepEqualTo(new double[][] {{tenth, 1}, {2, 3}, {4, 5}});
        assertThat(e.table()).isDeepEqualTo(TABLE);

        StreamingChain chain = StreamingChain.of(List.of(f), 3);
        double[] out = {Double.NaN, Double.NaN};
        chain.stepInto(0, out);
        assertThat(out).containsExactly(tenth, 1.0);
    }
}

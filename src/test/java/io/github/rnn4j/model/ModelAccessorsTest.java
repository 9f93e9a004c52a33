package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Concatenate;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.layers.SimpleRnnCell;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lookups by name on a model with two inputs and two outputs (each answered for the right one, not the first), and
 * the exact message of each shortcut that a model's inputs or outputs do not allow.
 */
class ModelAccessorsTest {
    private static final double[][] TABLE = {{0.5, -1.0}, {2.0, 0.25}, {-0.75, 1.5}, {1.0, 1.0}};

    /** Input {@code v} (2 features) into a Dense of 3; input {@code ids} (4 token ids) into an Embedding of 2. */
    private static Model twoByTwo() {
        return Model.builder().input("v", Shape.vector(2)).input("ids", Shape.of(4))
                .add("d1", new Dense(new double[][] {{1, 0, 2}, {0, 1, 3}}, null, Activation.LINEAR), "v")
                .add("emb", new Embedding(TABLE), "ids").outputs("d1", "emb").build();
    }

    @Test
    void shapesAndTokenIdsAreAnsweredForTheNamedInputOrOutput() {
        Model m = twoByTwo();
        assertThat(m.inputShape("v").dims()).containsExactly(2);
        assertThat(m.inputShape("ids").dims()).containsExactly(4);
        assertThat(m.takesTokenIds("v")).isFalse();
        assertThat(m.takesTokenIds("ids")).isTrue();
        assertThat(m.outputShape("d1").dims()).containsExactly(3);
        assertThat(m.outputShape("emb").dims()).containsExactly(4, 2);
        assertThat(m.layer("emb")).isInstanceOf(Embedding.class);
        assertThat(m.layer("d1")).isInstanceOf(Dense.class);
        assertThatThrownBy(() -> m.inputShape("d1")).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("name is 'd1', expected one of the inputs [v, ids]");
        assertThatThrownBy(() -> m.outputShape("v")).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("name is 'v', expected one of the outputs [d1, emb]");
        assertThatThrownBy(() -> m.layer("v")).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("name is 'v', expected one of the layers [d1, emb]");
        assertThatThrownBy(() -> m.predict(new double[][] {{1, 2}})).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("the model has 2 outputs [d1, emb]: call run(Map), which returns each by name");
    }

    @Test
    void eachShortcutNamesWhatToCallInstead() {
        Model twoInputs = Model.builder().input("a", Shape.vector(3)).input("b", Shape.vector(3))
                .add("cat", new Concatenate(-1), "a", "b").outputs("cat").build();
        assertThatThrownBy(() -> twoInputs.predict(new double[][] {{1, 2, 3}}))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("the model has 2 inputs [a, b]: call run(Map) with one tensor per input");

        SimpleRnnCell cell = new SimpleRnnCell(new double[4][3], new double[3][3], new double[3]);
        Model last = Model.sequential().add(Rnn.of(cell)).build();
        Model sequence = Model.sequential().add(Rnn.of(cell).returnSequences(true)).build();
        double[][] x = {{1, 2, 3, 4}};
        assertThat(last.predict(x)).hasSize(3);
        assertThat(sequence.predictSequence(x)).hasDimensions(1, 3);
        assertThatThrownBy(() -> last.predictSequence(x)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("the model returns one vector per sample: call predict");
        assertThatThrownBy(() -> sequence.predict(x)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("the model returns a sequence: call predictSequence");
        assertThatThrownBy(() -> last.predict(new int[] {1})).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the model's input 'input' has shape ")
                .hasMessageEndingWith(": pass a sequence [timeSteps][features] (double[][])");
        assertThatThrownBy(() -> last.predict(new double[0][])).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs has shape [0], expected at least one time step [?][4]");
        assertThatThrownBy(() -> last.runBatch(java.util.Map.of("input", Tensor.of(x))))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs['input'] has shape [1][4], expected [batch][?][4]");
        assertThat(last.toString()).isEqualTo("Model[inputs=[input], outputs=[" + last.outputNames().get(0)
                + "], layers=1, params=" + (4 * 3 + 3 * 3 + 3) + "]");

        Model ids = Model.sequential().add(new Embedding(TABLE))
                .add(Rnn.of(new SimpleRnnCell(new double[2][3], new double[3][3], new double[3]))).build();
        assertThat(ids.predict(new int[] {3, 0})).hasSize(3);
        assertThatThrownBy(() -> ids.predict(x)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the model's input 'input' has shape ")
                .hasMessageEndingWith(": pass token ids (int[])");
        assertThatThrownBy(() -> ids.predict(new int[0])).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("ids has shape [0], expected at least one time step");
    }
}

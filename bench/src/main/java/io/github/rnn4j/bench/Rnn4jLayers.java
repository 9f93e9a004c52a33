package io.github.rnn4j.bench;

import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.RnnCell;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.model.Model;

/** Builds rnn4j layers from {@link BenchData} through the public API only. */
public final class Rnn4jLayers {
    private Rnn4jLayers() {
    }

    /** The Keras cell for the data's weights (GRU with {@code reset_after=True}). */
    public static RnnCell cell(BenchData d) {
        switch (d.cell) {
            case SIMPLE_RNN:
                return new SimpleRnnCell(d.kernel, d.recurrentKernel, d.bias);
            case LSTM:
                return new LstmCell(d.kernel, d.recurrentKernel, d.bias);
            default:
                return new GruCell(d.kernel, d.recurrentKernel, d.gruBias);
        }
    }

    /** The layer with Keras defaults: returns the last output only. */
    public static Rnn rnn(BenchData d) {
        return Rnn.of(cell(d));
    }

    /** An Embedding followed by the layer, taking token ids. */
    public static Model tokenModel(BenchData d) {
        return Model.sequential().add(new Embedding(d.embedding)).add(rnn(d)).build();
    }
}

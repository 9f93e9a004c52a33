package io.github.rnn4j.bench;

import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.RnnCell;
import io.github.rnn4j.layers.RnnOutput;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.model.SequentialModel;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Builds rnn4j layers from {@link BenchData} through the public API only, and runs a batch on two threads. */
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
    public static SequentialModel tokenModel(BenchData d) {
        return SequentialModel.builder().embedding(new Embedding(d.embedding)).add(rnn(d)).build();
    }

    /**
     * Runs a batch split in two halves: the first on {@code pool} (one spare thread), the second on the
     * calling thread; returns the outputs of the second half and waits for the first.
     */
    public static List<RnnOutput> forwardOnTwoThreads(Rnn rnn, double[][][] first, double[][][] second,
                                                      ExecutorService pool) {
        Future<List<RnnOutput>> other = pool.submit(() -> rnn.forward(first, null));
        List<RnnOutput> mine = rnn.forward(second, null);
        try {
            other.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return mine;
    }
}

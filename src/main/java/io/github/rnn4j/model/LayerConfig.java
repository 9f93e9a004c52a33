package io.github.rnn4j.model;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.MergeMode;

/**
 * The configuration of one Keras layer without its weights, as in a Keras model's {@code get_config()}.
 *
 * <p>{@link SequentialModel#fromKeras} pairs a list of configurations with weights in Keras
 * {@code get_weights()} order. Defaults are Keras 3's: tanh activation, sigmoid recurrent activation, bias on,
 * GRU {@code reset_after=True}, no sequences, forward in time. Immutable and thread-safe.
 */
public final class LayerConfig {

    /** The kinds of layer a configuration describes. Thread-safe: constants. */
    public enum Kind {
        /** {@code SimpleRNN}: weights kernel, recurrent kernel, bias. */
        SIMPLE_RNN,
        /** {@code LSTM}: weights kernel, recurrent kernel, bias. */
        LSTM,
        /** {@code GRU}: weights kernel, recurrent kernel, bias ({@code [3·units]} or {@code [2][3·units]}). */
        GRU,
        /** {@code Bidirectional} around a recurrent layer: the forward layer's weights, then the backward layer's. */
        BIDIRECTIONAL,
        /** {@code Dense}: weights kernel, bias. */
        DENSE,
        /** {@code Embedding}: weight table. */
        EMBEDDING,
        /** {@code Masking}: no weights. */
        MASKING
    }

    private final Kind kind;
    private final int units;
    private final Activation activation;
    private final Activation recurrentActivation;
    private final boolean useBias;
    private final boolean resetAfter;
    private final boolean returnSequences;
    private final boolean goBackwards;
    private final boolean zeroOutputForMask;
    private final boolean maskZero;
    private final double maskValue;
    private final MergeMode mergeMode;
    private final LayerConfig inner;

    private LayerConfig(Kind kind, int units, Activation activation, Activation recurrentActivation, boolean useBias,
                        boolean resetAfter, boolean returnSequences, boolean goBackwards, boolean zeroOutputForMask,
                        boolean maskZero, double maskValue, MergeMode mergeMode, LayerConfig inner) {
        this.kind = kind;
        this.units = units;
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
        this.useBias = useBias;
        this.resetAfter = resetAfter;
        this.returnSequences = returnSequences;
        this.goBackwards = goBackwards;
        this.zeroOutputForMask = zeroOutputForMask;
        this.maskZero = maskZero;
        this.maskValue = maskValue;
        this.mergeMode = mergeMode;
        this.inner = inner;
    }

    private static void checkUnits(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("units is " + units + ", expected > 0");
        }
    }

    private static LayerConfig recurrent(Kind kind, int units) {
        checkUnits(units);
        return new LayerConfig(kind, units, Activation.TANH, Activation.SIGMOID, true, true, false, false, false,
                false, 0.0, null, null);
    }

    /** A Keras {@code SimpleRNN(units)}. */
    public static LayerConfig simpleRnn(int units) {
        return recurrent(Kind.SIMPLE_RNN, units);
    }

    /** A Keras {@code LSTM(units)}. */
    public static LayerConfig lstm(int units) {
        return recurrent(Kind.LSTM, units);
    }

    /** A Keras 3 {@code GRU(units)}, {@code reset_after=True}. */
    public static LayerConfig gru(int units) {
        return recurrent(Kind.GRU, units);
    }

    /** A Keras {@code Bidirectional(layer, merge_mode)}; the backward layer is a copy with {@code go_backwards}. */
    public static LayerConfig bidirectional(LayerConfig layer, MergeMode mergeMode) {
        Checks.notNull("layer", layer);
        Checks.notNull("mergeMode", mergeMode);
        if (!layer.isRecurrent() || layer.kind == Kind.BIDIRECTIONAL) {
            throw new IllegalArgumentException("layer is " + layer.kind + ", expected SIMPLE_RNN, LSTM or GRU");
        }
        if (layer.goBackwards) {
            throw new IllegalArgumentException("layer has goBackwards=true, expected a forward layer: the backward"
                    + " copy is made by Bidirectional (Keras rejects this too)");
        }
        // The wrapper mirrors the wrapped layer's options, so that its withers change both consistently.
        return new LayerConfig(Kind.BIDIRECTIONAL, layer.units, layer.activation, layer.recurrentActivation,
                layer.useBias, layer.resetAfter, layer.returnSequences, false, false, false, 0.0, mergeMode, layer);
    }

    /** A Keras {@code Dense(units, activation)}. */
    public static LayerConfig dense(int units, Activation activation) {
        checkUnits(units);
        return new LayerConfig(Kind.DENSE, units, Checks.notNull("activation", activation), null, true, true,
                false, false, false, false, 0.0, null, null);
    }

    /** A Keras {@code Embedding}; its size comes from its weight table. */
    public static LayerConfig embedding(boolean maskZero) {
        return new LayerConfig(Kind.EMBEDDING, 0, null, null, false, true, false, false, false, maskZero, 0.0, null,
                null);
    }

    /** A Keras {@code Masking(mask_value)}: a step is masked when every feature equals {@code maskValue}. */
    public static LayerConfig masking(double maskValue) {
        return new LayerConfig(Kind.MASKING, 0, null, null, false, true, false, false, false, false, maskValue, null,
                null);
    }

    private LayerConfig with(Activation act, Activation recAct, boolean bias, boolean reset, boolean sequences,
                             boolean backwards) {
        return with(act, recAct, bias, reset, sequences, backwards, zeroOutputForMask);
    }

    private LayerConfig with(Activation act, Activation recAct, boolean bias, boolean reset, boolean sequences,
                             boolean backwards, boolean zeroOutput) {
        LayerConfig in = inner == null ? null
                : inner.with(act, recAct, bias, reset, sequences, inner.goBackwards, inner.zeroOutputForMask);
        return new LayerConfig(kind, units, act, recAct, bias, reset, sequences, backwards, zeroOutput, maskZero,
                maskValue, mergeMode, in);
    }

    private void requireRecurrent(String option) {
        if (!isRecurrent()) {
            throw new IllegalStateException(option + " applies to recurrent layers, not " + kind);
        }
    }

    /** Returns a copy with another activation (recurrent layers and Dense). */
    public LayerConfig activation(Activation a) {
        Checks.notNull("activation", a);
        if (kind != Kind.DENSE) {
            requireRecurrent("activation");
        }
        return with(a, recurrentActivation, useBias, resetAfter, returnSequences, goBackwards);
    }

    /** Returns a copy with another recurrent activation (LSTM and GRU gates). */
    public LayerConfig recurrentActivation(Activation a) {
        Checks.notNull("recurrentActivation", a);
        requireRecurrent("recurrentActivation");
        return with(activation, a, useBias, resetAfter, returnSequences, goBackwards);
    }

    /** Returns a copy with or without bias weights (Keras {@code use_bias}). */
    public LayerConfig useBias(boolean on) {
        if (kind != Kind.DENSE) {
            requireRecurrent("useBias");
        }
        return with(activation, recurrentActivation, on, resetAfter, returnSequences, goBackwards);
    }

    /** Returns a copy with another GRU reset mode (Keras {@code reset_after}). */
    public LayerConfig resetAfter(boolean on) {
        requireRecurrent("resetAfter");
        return with(activation, recurrentActivation, useBias, on, returnSequences, goBackwards);
    }

    /** Returns a copy that returns every step's output (Keras {@code return_sequences}). */
    public LayerConfig returnSequences(boolean on) {
        requireRecurrent("returnSequences");
        return with(activation, recurrentActivation, useBias, resetAfter, on, goBackwards);
    }

    /** Returns a copy that reads the sequence backwards (Keras {@code go_backwards}; not for Bidirectional). */
    public LayerConfig goBackwards(boolean on) {
        requireRecurrent("goBackwards");
        if (kind == Kind.BIDIRECTIONAL) {
            throw new IllegalStateException("goBackwards does not apply to BIDIRECTIONAL: it has one layer each way");
        }
        return with(activation, recurrentActivation, useBias, resetAfter, returnSequences, on);
    }

    /**
     * Returns a copy whose masked steps output zeros (Keras {@code zero_output_for_mask}; not for Bidirectional,
     * which sets it itself).
     */
    public LayerConfig zeroOutputForMask(boolean on) {
        requireRecurrent("zeroOutputForMask");
        if (kind == Kind.BIDIRECTIONAL) {
            throw new IllegalStateException("zeroOutputForMask does not apply to BIDIRECTIONAL: it follows"
                    + " returnSequences, as in Keras");
        }
        return with(activation, recurrentActivation, useBias, resetAfter, returnSequences, goBackwards, on);
    }

    /** Whether a recurrent layer outputs zeros at masked steps. */
    public boolean zeroOutputForMask() {
        return zeroOutputForMask;
    }

    /** The kind of layer. */
    public Kind kind() {
        return kind;
    }

    /** The number of units (0 for Embedding and Masking). */
    public int units() {
        return units;
    }

    /** Whether this is SIMPLE_RNN, LSTM, GRU or BIDIRECTIONAL. */
    public boolean isRecurrent() {
        return kind == Kind.SIMPLE_RNN || kind == Kind.LSTM || kind == Kind.GRU || kind == Kind.BIDIRECTIONAL;
    }

    /** The activation (recurrent layers and Dense), else {@code null}. */
    public Activation activation() {
        return activation;
    }

    /** The recurrent activation (recurrent layers), else {@code null}. */
    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    /** Whether the layer has bias weights. */
    public boolean useBias() {
        return useBias;
    }

    /** The GRU reset mode. */
    public boolean resetAfter() {
        return resetAfter;
    }

    /** Whether a recurrent layer returns every step. */
    public boolean returnSequences() {
        return returnSequences;
    }

    /** Whether a recurrent layer reads backwards. */
    public boolean goBackwards() {
        return goBackwards;
    }

    /** Whether an Embedding treats id 0 as padding. */
    public boolean maskZero() {
        return maskZero;
    }

    /** The value a Masking layer masks. */
    public double maskValue() {
        return maskValue;
    }

    /** The merge mode of a Bidirectional layer, else {@code null}. */
    public MergeMode mergeMode() {
        return mergeMode;
    }

    /** The wrapped layer of a Bidirectional layer, else {@code null}. */
    public LayerConfig inner() {
        return inner;
    }

    /** The number of weight arrays this layer takes from a Keras {@code get_weights()} list. */
    public int weightCount() {
        switch (kind) {
            case SIMPLE_RNN:
            case LSTM:
            case GRU:
                return useBias ? 3 : 2;
            case BIDIRECTIONAL:
                return 2 * inner.weightCount();
            case DENSE:
                return useBias ? 2 : 1;
            case EMBEDDING:
                return 1;
            default:
                return 0;
        }
    }

    @Override
    public String toString() {
        return kind + (units > 0 ? "(" + units + ")" : "");
    }
}

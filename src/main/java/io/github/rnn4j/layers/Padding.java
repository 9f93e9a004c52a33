package io.github.rnn4j.layers;

/**
 * How a convolution or pooling over time treats the sequence's ends (Keras's {@code padding} argument).
 *
 * <p>With window {@code w} (the dilated kernel, {@code dilationRate·(kernelSize − 1) + 1}, or the pool size) and
 * stride {@code s} over {@code timeSteps} steps, as TensorFlow pads:
 * <ul>
 *   <li>{@link #VALID}: no padding; {@code ⌊(timeSteps − w)/s⌋ + 1} outputs.</li>
 *   <li>{@link #SAME}: {@code ⌈timeSteps/s⌉} outputs; {@code max((outputs − 1)·s + w − timeSteps, 0)} padded steps,
 *       half of them (rounded down) before the sequence and the rest after.</li>
 *   <li>{@link #CAUSAL} (Conv1D only): {@code w − 1} zero steps before the sequence, then VALID, so output {@code t}
 *       sees only steps up to {@code t} (keras/src/layers/convolutional/conv1d.py).</li>
 * </ul>
 */
public enum Padding {
    /** No padding. */
    VALID,
    /** Pad so that there are {@code ⌈timeSteps/strides⌉} outputs. */
    SAME,
    /** Pad only before the sequence, by the dilated kernel's length minus one. */
    CAUSAL;

    /** The number of outputs for {@code timeSteps} steps, or {@link Shape#UNKNOWN}; negative when too short. */
    int outputs(int timeSteps, int window, int strides) {
        if (timeSteps == Shape.UNKNOWN) {
            return Shape.UNKNOWN;
        }
        switch (this) {
            case VALID:
                return timeSteps < window ? -2 : (timeSteps - window) / strides + 1;
            case SAME:
                return (timeSteps + strides - 1) / strides;
            default:
                return (timeSteps - 1) / strides + 1;
        }
    }

    /** The number of padded steps before the sequence. */
    int before(int timeSteps, int window, int strides) {
        switch (this) {
            case VALID:
                return 0;
            case SAME: {
                int total = Math.max((outputs(timeSteps, window, strides) - 1) * strides + window - timeSteps, 0);
                return total / 2;
            }
            default:
                return window - 1;
        }
    }
}

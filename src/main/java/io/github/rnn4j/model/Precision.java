package io.github.rnn4j.model;

/**
 * The floating-point precision a {@link Model} stores its weights in and computes its matrix products with; inputs
 * and outputs are {@code double} either way.
 *
 * <ul>
 *   <li>{@link #FLOAT64}, the default: every operation in float64, bit-for-bit reproducible references.</li>
 *   <li>{@link #FLOAT32}: weights stored as float32 (half the bytes streamed) and products computed in float32
 *       (twice the SIMD lanes), as Keras, which trains and runs in float32 (keras/src/backend/config.py,
 *       {@code floatx}); within 1e-5 of the float64 results on the project's Keras fixtures.</li>
 * </ul>
 */
public enum Precision {
    /** Float64 weights and arithmetic. */
    FLOAT64,
    /** Float32 weights and matrix products; activations, states and values between layers stay float64. */
    FLOAT32
}

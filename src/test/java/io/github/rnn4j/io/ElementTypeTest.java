package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/** Element decoding against NumPy's own conversions ({@code np.array([v], dtype=np.uint64).astype(np.float64)}). */
class ElementTypeTest {
    /**
     * uint64 above 2^63 rounds once, to nearest even, as NumPy's C cast does. Expected values printed by NumPy 2.4.6:
     * {@code float(np.array([v], np.uint64).astype(np.float64)[0]).hex()}.
     */
    @Test
    void uint64AboveTwoToThe63RoundsOnceAsNumPyDoes() {
        long[] in = {0x8000000000000401L, 0x8000000000000400L, 0xFFFFFFFFFFFFFFFFL, 0x8000000000000C00L,
            0x8000000000000BFFL, 0L, 1L, 0x7FFFFFFFFFFFFFFFL};
        double[] numpy = {0x1.0000000000001p+63, 0x1.0000000000000p+63, 0x1.0000000000000p+64,
            0x1.0000000000002p+63, 0x1.0000000000001p+63, 0.0, 1.0, 0x1.0000000000000p+63};
        ByteBuffer buf = ByteBuffer.allocate(8 * in.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : in) {
            buf.putLong(v);
        }
        buf.flip();
        double[] out = new double[in.length + 2];
        out[0] = -5.0;
        out[out.length - 1] = -7.0;
        ElementType.U64.decode(buf, out, 1, in.length);
        for (int i = 0; i < in.length; i++) {
            assertThat(out[i + 1]).as("uint64 %s", Long.toUnsignedString(in[i])).isEqualTo(numpy[i]);
        }
        assertThat(out[0]).as("before from").isEqualTo(-5.0);
        assertThat(out[out.length - 1]).as("past the count").isEqualTo(-7.0);
    }
}

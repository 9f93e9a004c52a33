package io.github.rnn4j.io;

import java.util.Objects;

/**
 * How much a reader may allocate, inflate and parse for one file before it refuses the file as too big: the guard
 * that keeps a 200-byte hostile file from exhausting a service's memory.
 *
 * <p>Every reader proves a size before allocating for it: a tensor's bytes from its shape, an entry's bytes from its
 * declaration (and then counts the bytes actually inflated), a JSON document's length before parsing. Exceeding a
 * limit raises a {@link FileFormatException} naming the file, the object, the limit and the wither that raises it.
 *
 * <p>Defaults ({@link #defaults()}), chosen to fit a JVM with a few GiB of heap and to leave every real recurrent
 * model far below them:
 * <table>
 *   <caption>Default limits</caption>
 *   <tr><th>limit</th><th>default</th><th>counts</th></tr>
 *   <tr><td>{@link #maxTensorBytes()}</td><td>1 GiB</td><td>one tensor as doubles: 8 bytes per element</td></tr>
 *   <tr><td>{@link #maxTotalTensorBytes()}</td><td>2 GiB</td><td>all tensors read from one file, as doubles</td></tr>
 *   <tr><td>{@link #maxInflatedBytes()}</td><td>2 GiB</td><td>bytes inflated from one file (zip entries, HDF5
 *       deflate chunks)</td></tr>
 *   <tr><td>{@link #maxInflateRatio()}</td><td>100</td><td>inflated bytes per compressed byte of one zip entry or
 *       HDF5 dataset, once it inflates to more than {@value #RATIO_EXEMPT_BYTES} bytes. Deflate reaches about 1030
 *       on runs of zeros, the stuff of decompression bombs; trained float weights compress less than 2:1 and even
 *       mostly-zero tensors rarely pass 20:1, so 100 refuses bombs with room to spare for real files</td></tr>
 *   <tr><td>{@link #maxJsonBytes()}</td><td>64 MiB</td><td>characters of one JSON document (a Keras config, a
 *       safetensors header) and bytes of a {@code .npy} header</td></tr>
 *   <tr><td>{@link #maxJsonDepth()}</td><td>256</td><td>nesting of JSON arrays and objects</td></tr>
 *   <tr><td>{@link #maxJsonEntries()}</td><td>1,000,000</td><td>values in one JSON document (array elements and
 *       object members)</td></tr>
 * </table>
 *
 * <p>Change one with a wither, for example {@code Limits.defaults().withMaxTensorBytes(4L << 30)}, and pass the result
 * to a reader's overload ({@code NumPy.readNpz(path, limits)}). Immutable and thread-safe: one instance can serve
 * every reader of a service.
 */
public final class Limits {
    /** Zip entries and HDF5 datasets that inflate to at most this many bytes are exempt from the ratio limit. */
    public static final long RATIO_EXEMPT_BYTES = 1L << 20;

    private static final Limits DEFAULTS = new Limits(1L << 30, 2L << 30, 2L << 30, 100, 64L << 20, 256, 1_000_000);

    private final long maxTensorBytes;
    private final long maxTotalTensorBytes;
    private final long maxInflatedBytes;
    private final long maxInflateRatio;
    private final long maxJsonBytes;
    private final int maxJsonDepth;
    private final long maxJsonEntries;

    private Limits(long maxTensorBytes, long maxTotalTensorBytes, long maxInflatedBytes, long maxInflateRatio,
                   long maxJsonBytes, int maxJsonDepth, long maxJsonEntries) {
        this.maxTensorBytes = maxTensorBytes;
        this.maxTotalTensorBytes = maxTotalTensorBytes;
        this.maxInflatedBytes = maxInflatedBytes;
        this.maxInflateRatio = maxInflateRatio;
        this.maxJsonBytes = maxJsonBytes;
        this.maxJsonDepth = maxJsonDepth;
        this.maxJsonEntries = maxJsonEntries;
    }

    /**
     * The default limits (see the class description).
     *
     * @return the default limits
     */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /**
     * The most bytes one tensor may take once read, at 8 bytes (one double) per element.
     *
     * @return the per-tensor limit in bytes
     */
    public long maxTensorBytes() {
        return maxTensorBytes;
    }

    /**
     * The most bytes all the tensors read from one file may take together, at 8 bytes per element.
     *
     * @return the per-file tensor limit in bytes
     */
    public long maxTotalTensorBytes() {
        return maxTotalTensorBytes;
    }

    /**
     * The most bytes a reader may inflate from one file, counted as they are inflated.
     *
     * @return the per-file inflate limit in bytes
     */
    public long maxInflatedBytes() {
        return maxInflatedBytes;
    }

    /**
     * The most inflated bytes per compressed byte of one zip entry or HDF5 dataset beyond {@link #RATIO_EXEMPT_BYTES}.
     *
     * @return the inflate ratio limit
     */
    public long maxInflateRatio() {
        return maxInflateRatio;
    }

    /**
     * The longest JSON document, in characters, that a reader parses.
     *
     * @return the JSON length limit in characters
     */
    public long maxJsonBytes() {
        return maxJsonBytes;
    }

    /**
     * The deepest nesting of JSON arrays and objects that a reader parses.
     *
     * @return the JSON depth limit
     */
    public int maxJsonDepth() {
        return maxJsonDepth;
    }

    /**
     * The most values (array elements plus object members) in one JSON document.
     *
     * @return the JSON value-count limit
     */
    public long maxJsonEntries() {
        return maxJsonEntries;
    }

    /**
     * These limits with another per-tensor limit.
     *
     * @param bytes at least 8
     * @return new limits; these are unchanged
     * @throws IllegalArgumentException when {@code bytes} is less than 8
     */
    public Limits withMaxTensorBytes(long bytes) {
        return new Limits(atLeast("bytes", bytes, 8), maxTotalTensorBytes, maxInflatedBytes, maxInflateRatio,
                maxJsonBytes, maxJsonDepth, maxJsonEntries);
    }

    /**
     * These limits with another limit on all the tensors of one file.
     *
     * @param bytes at least 8
     * @return new limits; these are unchanged
     * @throws IllegalArgumentException when {@code bytes} is less than 8
     */
    public Limits withMaxTotalTensorBytes(long bytes) {
        return new Limits(maxTensorBytes, atLeast("bytes", bytes, 8), maxInflatedBytes, maxInflateRatio,
                maxJsonBytes, maxJsonDepth, maxJsonEntries);
    }

    /**
     * These limits with another limit on the bytes inflated from one file.
     *
     * @param bytes at least 1
     * @return new limits; these are unchanged
     * @throws IllegalArgumentException when {@code bytes} is less than 1
     */
    public Limits withMaxInflatedBytes(long bytes) {
        return new Limits(maxTensorBytes, maxTotalTensorBytes, atLeast("bytes", bytes, 1), maxInflateRatio,
                maxJsonBytes, maxJsonDepth, maxJsonEntries);
    }

    /**
     * These limits with another inflate ratio.
     *
     * @param ratio at least 1
     * @return new limits; these are unchanged
     * @throws IllegalArgumentException when {@code ratio} is less than 1
     */
    public Limits withMaxInflateRatio(long ratio) {
        return new Limits(maxTensorBytes, maxTotalTensorBytes, maxInflatedBytes, atLeast("ratio", ratio, 1),
                maxJsonBytes, maxJsonDepth, maxJsonEntries);
    }

    /**
     * These limits with another JSON document length.
     *
     * @param chars at least 2 (the document {@code {}})
     * @return new limits; these are unchanged
     * @throws IllegalArgumentException when {@code chars} is less than 2
     */
    public Limits withMaxJsonBytes(long chars) {
        return new Limits(maxTensorBytes, maxTotalTensorBytes, maxInflatedBytes, maxInflateRatio,
                atLeast("chars", chars, 2), maxJsonDepth, maxJsonEntries);
    }

    /**
     * These limits with another JSON nesting depth.
     *
     * @param depth 1 to 1,000 (deeper nesting would risk the parser's stack)
     * @return new limits; these are unchanged
     * @throws IllegalArgumentException when {@code depth} is outside 1..1,000
     */
    public Limits withMaxJsonDepth(int depth) {
        if (depth < 1 || depth > 1_000) {
            throw new IllegalArgumentException("depth is " + depth + ", expected 1 to 1000");
        }
        return new Limits(maxTensorBytes, maxTotalTensorBytes, maxInflatedBytes, maxInflateRatio, maxJsonBytes,
                depth, maxJsonEntries);
    }

    /**
     * These limits with another number of JSON values per document.
     *
     * @param entries at least 1
     * @return new limits; these are unchanged
     * @throws IllegalArgumentException when {@code entries} is less than 1
     */
    public Limits withMaxJsonEntries(long entries) {
        return new Limits(maxTensorBytes, maxTotalTensorBytes, maxInflatedBytes, maxInflateRatio, maxJsonBytes,
                maxJsonDepth, atLeast("entries", entries, 1));
    }

    private static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " is " + value + ", expected at least " + min);
        }
        return value;
    }

    /**
     * The exception for an exceeded limit: {@code <what>: <finding>, more than Limits.<limit> = <value>; if the file
     * is trusted, raise the limit with Limits.defaults().<wither>(...) and pass it to the reader}.
     *
     * @param wither the wither that raises the limit, or {@code null} when the limit is fixed
     */
    FileFormatException exceeded(String what, String finding, String limit, long value, String wither) {
        return new FileFormatException(what + ": " + finding + ", more than " + (wither == null ? limit
                : "Limits." + limit + "() = " + value) + (wither == null ? "" : "; if the file is trusted, raise"
                + " the limit with Limits.defaults()." + wither + "(...) and pass it to the reader"));
    }

    /**
     * Checks one tensor of {@code elements} doubles against the per-tensor limit and, with {@code totalSoFar} bytes
     * already read from the file, against the total; returns the new total.
     */
    long checkTensor(String what, String shape, long elements, long totalSoFar) throws FileFormatException {
        long bytes = elements > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : elements * 8;
        if (bytes > maxTensorBytes) {
            throw exceeded(what, "shape " + shape + " takes " + bytes + " bytes as doubles", "maxTensorBytes",
                    maxTensorBytes, "withMaxTensorBytes");
        }
        if (bytes > maxTotalTensorBytes - totalSoFar) {
            throw exceeded(what, "shape " + shape + " brings the file's tensors to " + (totalSoFar + bytes)
                    + " bytes as doubles", "maxTotalTensorBytes", maxTotalTensorBytes, "withMaxTotalTensorBytes");
        }
        return totalSoFar + bytes;
    }

    /** A new counter of the tensor bytes read from one file against these limits. */
    Budget budget() {
        return new Budget(this);
    }

    /** Counts the tensor bytes read from one file. Not thread-safe: one per file being read. */
    static final class Budget {
        private final Limits limits;
        private long used;

        private Budget(Limits limits) {
            this.limits = limits;
        }

        /** The limits counted against. */
        Limits limits() {
            return limits;
        }

        /**
         * Takes one tensor of {@code elements} doubles, before it is allocated.
         *
         * @param what the tensor, for the message (for example {@code model.npz[kernel.npy]})
         * @param shape the shape as the format writes it, for the message
         * @throws FileFormatException when the tensor or the file's total would exceed its limit
         */
        void take(String what, String shape, long elements) throws FileFormatException {
            used = limits.checkTensor(what, shape, elements, used);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Limits)) {
            return false;
        }
        Limits l = (Limits) o;
        return maxTensorBytes == l.maxTensorBytes && maxTotalTensorBytes == l.maxTotalTensorBytes
                && maxInflatedBytes == l.maxInflatedBytes && maxInflateRatio == l.maxInflateRatio
                && maxJsonBytes == l.maxJsonBytes && maxJsonDepth == l.maxJsonDepth
                && maxJsonEntries == l.maxJsonEntries;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxTensorBytes, maxTotalTensorBytes, maxInflatedBytes, maxInflateRatio, maxJsonBytes,
                maxJsonDepth, maxJsonEntries);
    }

    @Override
    public String toString() {
        return "Limits[maxTensorBytes=" + maxTensorBytes + ", maxTotalTensorBytes=" + maxTotalTensorBytes
                + ", maxInflatedBytes=" + maxInflatedBytes + ", maxInflateRatio=" + maxInflateRatio
                + ", maxJsonBytes=" + maxJsonBytes + ", maxJsonDepth=" + maxJsonDepth + ", maxJsonEntries="
                + maxJsonEntries + "]";
    }
}

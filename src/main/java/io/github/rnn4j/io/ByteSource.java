package io.github.rnn4j.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads from a file or from bytes in memory: what the HDF5 and zip readers need to read a structure at
 * an address without a stream's notion of "current position".
 *
 * <p>Reads never go past {@link #size()}; a read that asks for more returns fewer bytes and the caller decides
 * whether that is truncation. Not thread-safe for the file variant's close; reads on either variant are independent.
 */
abstract class ByteSource implements Closeable {
    /** The total number of bytes. */
    abstract long size();

    /**
     * Copies up to {@code dst.remaining()} bytes from {@code position} into {@code dst}; stops at the end of the
     * source.
     *
     * @return the number of bytes copied
     */
    abstract int read(long position, ByteBuffer dst) throws IOException;

    /** A source over a file, opened for reading; closing the source closes the file. */
    static ByteSource open(Path file) throws IOException {
        return open(FileChannel.open(file, StandardOpenOption.READ));
    }

    /**
     * A source over an open channel, which it closes when closed (or at once, if the channel's size cannot be read).
     * Reads go on until the buffer is full or the end is reached, however few bytes each positional read returns.
     */
    static ByteSource open(FileChannel channel) throws IOException {
        return new OfChannel(channel);
    }

    /** A source over bytes in memory; the array is not copied and must not change while the source is used. */
    static ByteSource of(byte[] data) {
        return new OfBytes(data);
    }

    private static final class OfChannel extends ByteSource {
        private final FileChannel channel;
        private final long size;

        OfChannel(FileChannel channel) throws IOException {
            this.channel = channel;
            try {
                this.size = channel.size();
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        long size() {
            return size;
        }

        @Override
        int read(long position, ByteBuffer dst) throws IOException {
            int total = 0;
            while (dst.hasRemaining() && position + total < size) {
                int n = channel.read(dst, position + total);
                if (n < 0) {
                    break;
                }
                total += n;
            }
            return total;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class OfBytes extends ByteSource {
        private final byte[] data;

        OfBytes(byte[] data) {
            this.data = data;
        }

        @Override
        long size() {
            return data.length;
        }

        @Override
        int read(long position, ByteBuffer dst) {
            if (position < 0 || position >= data.length) {
                return 0;
            }
            int n = (int) Math.min(dst.remaining(), data.length - position);
            dst.put(data, (int) position, n);
            return n;
        }

        @Override
        public void close() {
        }
    }
}

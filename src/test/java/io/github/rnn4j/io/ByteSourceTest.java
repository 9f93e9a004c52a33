package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Positional reads from memory and from a file agree: a read stops at the end of the source, a read at or past the
 * end (or before the start, for bytes in memory) copies nothing, and the buffer's other bytes are left alone.
 */
class ByteSourceTest {
    private static final byte[] DATA = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19};

    /** Reads {@code want} bytes at {@code position} into a buffer pre-filled with -1; returns the count and buffer. */
    private static byte[] read(ByteSource source, long position, int want) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(want + 2);
        for (int i = 0; i < want + 2; i++) {
            dst.put(i, (byte) -1);
        }
        dst.limit(want);
        int n = source.read(position, dst);
        assertThat(dst.position()).as("buffer position after %d bytes", n).isEqualTo(n);
        byte[] out = new byte[want + 3];
        out[0] = (byte) n;
        for (int i = 0; i < want + 2; i++) {
            out[i + 1] = dst.array()[i]; // past the limit too: nothing may be written there
        }
        return out;
    }

    private static void checkBoth(ByteSource source) throws IOException {
        assertThat(source.size()).isEqualTo(10);
        assertThat(read(source, 0, 4)).containsExactly(4, 10, 11, 12, 13, -1, -1);
        assertThat(read(source, 6, 4)).containsExactly(4, 16, 17, 18, 19, -1, -1);
        assertThat(read(source, 8, 4)).as("stops at the end").containsExactly(2, 18, 19, -1, -1, -1, -1);
        assertThat(read(source, 9, 1)).containsExactly(1, 19, -1, -1);
        assertThat(read(source, 10, 3)).as("at the end").containsExactly(0, -1, -1, -1, -1, -1);
        assertThat(read(source, 11, 1)).as("past the end").containsExactly(0, -1, -1, -1);
        assertThat(read(source, 0, 0)).containsExactly(0, -1, -1);
    }

    @Test
    void bytesInMemoryReadUpToTheEndAndNothingOutside() throws IOException {
        try (ByteSource source = ByteSource.of(DATA)) {
            checkBoth(source);
            assertThat(read(source, -1, 2)).as("before the start").containsExactly(0, -1, -1, -1, -1);
        }
    }

    @Test
    void aFileReadsTheSameAsItsBytes(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("ten.bin");
        Files.write(file, DATA);
        try (ByteSource source = ByteSource.open(file)) {
            checkBoth(source);
        }
    }

    /**
     * A positional read may return fewer bytes than asked (the {@code FileChannel.read(ByteBuffer, long)} contract
     * allows it, and network file systems do it): the source reads on until the buffer is full or the end is reached.
     */
    @Test
    void aChannelThatReturnsOneByteAtATimeReadsTheSameAsItsBytes() throws IOException {
        OneByteChannel channel = new OneByteChannel(DATA, false);
        try (ByteSource source = ByteSource.open(channel)) {
            checkBoth(source);
            assertThat(channel.isOpen()).isTrue();
        }
        assertThat(channel.isOpen()).as("closing the source closes the channel").isFalse();
    }

    @Test
    void aChannelWhoseSizeCannotBeReadIsClosed() {
        OneByteChannel channel = new OneByteChannel(DATA, true);
        assertThatThrownBy(() -> ByteSource.open(channel)).isExactlyInstanceOf(IOException.class)
                .hasMessage("size unknown");
        assertThat(channel.isOpen()).isFalse();
    }

    /** A read-only channel over bytes that returns at most one byte per positional read. */
    private static final class OneByteChannel extends FileChannel {
        private final byte[] data;
        private final boolean sizeFails;

        OneByteChannel(byte[] data, boolean sizeFails) {
            this.data = data;
            this.sizeFails = sizeFails;
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            if (position >= data.length) {
                return -1;
            }
            if (!dst.hasRemaining()) {
                return 0;
            }
            dst.put(data[(int) position]);
            return 1;
        }

        @Override
        public long size() throws IOException {
            if (sizeFails) {
                throw new IOException("size unknown");
            }
            return data.length;
        }

        @Override
        protected void implCloseChannel() {
        }

        @Override
        public int read(ByteBuffer dst) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long position() {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileChannel position(long newPosition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileChannel truncate(long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void force(boolean metaData) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int write(ByteBuffer src, long position) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }
    }
}

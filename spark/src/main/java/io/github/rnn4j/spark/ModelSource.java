package io.github.rnn4j.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where executors find a model's bytes: a broadcast variable, a Hadoop-compatible path, or a file shipped with
 * {@code SparkContext.addFile}. Every source carries the SHA-256 of the bytes, computed on the driver; it is the
 * key of the per-JVM {@link ModelCache}, and bytes read on an executor are checked against it.
 *
 * <p>Serializable and thread-safe: immutable.
 */
abstract class ModelSource implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String sha256;

    ModelSource(String sha256) {
        this.sha256 = sha256;
    }

    /** The SHA-256 of the model's bytes, as 64 lower-case hexadecimal digits. */
    final String sha256() {
        return sha256;
    }

    /** Reads the bytes where they are (called on a cache miss, on the driver or an executor). */
    abstract byte[] read() throws IOException;

    /** Where the bytes come from, for messages. */
    abstract String describe();

    /** Reads the bytes and checks them against {@link #sha256()}. */
    final byte[] readVerified() throws IOException {
        byte[] bytes = read();
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new IOException("model " + describe() + " has SHA-256 " + actual + ", expected " + sha256
                    + ": the file changed after the scorer was built; build a new scorer to pick up the new model");
        }
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Bytes held in a Spark broadcast variable: sent once to each executor, kept in its block manager. */
    static final class Broadcasted extends ModelSource {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> bytes;

        Broadcasted(Broadcast<byte[]> bytes, String sha256) {
            super(sha256);
            this.bytes = bytes;
        }

        @Override
        byte[] read() {
            return bytes.value();
        }

        @Override
        String describe() {
            return "broadcast " + bytes.id();
        }
    }

    /** A path that every executor can read through Hadoop's {@code FileSystem}: {@code hdfs://}, {@code s3a://}, {@code file:/}. */
    static final class HadoopPath extends ModelSource {
        private static final long serialVersionUID = 1L;
        private final String path;
        private transient Configuration configuration;

        HadoopPath(String path, Configuration configuration, String sha256) {
            super(sha256);
            this.path = path;
            this.configuration = configuration;
        }

        static byte[] read(String path, Configuration configuration) throws IOException {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            FileSystem fs = p.getFileSystem(configuration);
            try (InputStream in = fs.open(p)) {
                return in.readAllBytes();
            }
        }

        @Override
        byte[] read() throws IOException {
            return read(path, configuration);
        }

        @Override
        String describe() {
            return path;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            configuration.write(out);
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            configuration = new Configuration(false);
            configuration.readFields(in);
        }
    }

    /** A file added with {@code SparkContext.addFile}: each executor reads its own copy from {@code SparkFiles}. */
    static final class SparkFile extends ModelSource {
        private static final long serialVersionUID = 1L;
        private final String fileName;

        SparkFile(String fileName, String sha256) {
            super(sha256);
            this.fileName = fileName;
        }

        @Override
        byte[] read() throws IOException {
            return Files.readAllBytes(Path.of(SparkFiles.get(fileName)));
        }

        @Override
        String describe() {
            return "SparkFiles '" + fileName + "'";
        }
    }

    /** Bytes held by the caller, for reading a model on the driver (never shipped: use {@link Broadcasted}). */
    static final class InMemory extends ModelSource {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        InMemory(byte[] bytes) {
            super(sha256(bytes));
            this.bytes = bytes;
        }

        @Override
        byte[] read() {
            return bytes;
        }

        @Override
        String describe() {
            return "in memory (" + bytes.length + " bytes)";
        }
    }
}

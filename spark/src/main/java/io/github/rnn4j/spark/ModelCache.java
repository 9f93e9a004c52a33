package io.github.rnn4j.spark;

import io.github.rnn4j.io.KerasModels;
import io.github.rnn4j.model.Model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The models of this JVM, keyed by the SHA-256 of their bytes: each is loaded once and shared by every task thread
 * of the executor (a {@link Model} is immutable and thread-safe).
 *
 * <p>A new model version has a new hash and is loaded on first use; the least recently used models beyond
 * {@link #CAPACITY} are dropped. Concurrent first uses of one model wait for a single load. Thread-safe.
 */
final class ModelCache {
    /** How many models a JVM keeps. */
    static final int CAPACITY = 8;

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };
    private static final AtomicLong LOADS = new AtomicLong();

    private ModelCache() {
    }

    /** One model, loaded by the first caller; later callers wait for it. */
    private static final class Entry {
        private Model model;

        synchronized Model get(ModelSource source) {
            if (model == null) {
                try {
                    byte[] bytes = source.readVerified();
                    model = KerasModels.load(new ByteArrayInputStream(bytes));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot load model " + source.describe() + ": " + e.getMessage(), e);
                }
                LOADS.incrementAndGet();
            }
            return model;
        }
    }

    /**
     * The model of {@code source}, loaded now if this JVM has not loaded it yet.
     *
     * @throws UncheckedIOException when the bytes cannot be read, do not match the hash, or are not a model
     */
    static Model get(ModelSource source) {
        Entry entry;
        synchronized (ENTRIES) {
            entry = ENTRIES.computeIfAbsent(source.sha256(), k -> new Entry());
        }
        return entry.get(source);
    }

    /** How many models this JVM has loaded so far: the proof that tasks share them. */
    static long loads() {
        return LOADS.get();
    }

    /** Forgets every model (for tests). */
    static void clear() {
        synchronized (ENTRIES) {
            ENTRIES.clear();
        }
    }
}

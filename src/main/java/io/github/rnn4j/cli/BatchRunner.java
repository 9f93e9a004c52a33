package io.github.rnn4j.cli;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a batch with {@link Model#runBatch(Map, java.util.concurrent.Executor)} on {@code threads} threads, and shows
 * a progress bar on standard error when it is a terminal and the batch has run for longer than {@link #DELAY_MS}.
 */
final class BatchRunner {
    /** A batch shorter than this shows no progress bar. */
    static final long DELAY_MS = 1000;

    private BatchRunner() {
    }

    static void checkThreads(int threads) {
        if (threads < 1) {
            throw new UsageException("--threads is " + threads + ", expected at least 1");
        }
    }

    /** A pool of daemon threads named {@code rnn4j-N}. */
    static ExecutorService pool(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new Thread(r, "rnn4j-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return Executors.newFixedThreadPool(threads, f);
    }

    static Map<String, Tensor> run(Model model, Map<String, Tensor> inputs, int threads, Context context) {
        int batch = inputs.values().iterator().next().shape()[0];
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = threads > 1 ? pool(threads) : null;
        Progress progress = context.errIsTerminal ? new Progress(context.err, batch, done) : null;
        try {
            return model.runBatch(inputs, task -> {
                Runnable counted = () -> {
                    task.run();
                    done.incrementAndGet();
                };
                if (pool == null) {
                    counted.run();
                } else {
                    pool.execute(counted);
                }
            });
        } finally {
            if (progress != null) {
                progress.close();
            }
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** A one-line progress bar redrawn with carriage returns, started only after {@link #DELAY_MS}. */
    static final class Progress implements AutoCloseable {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final int total;
        private final AtomicInteger done;
        private final Thread thread;
        private volatile boolean shown;

        Progress(PrintWriter err, int total, AtomicInteger done) {
            this.err = err;
            this.total = total;
            this.done = done;
            this.thread = new Thread(this::loop, "rnn4j-progress");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            long start = System.nanoTime();
            try {
                Thread.sleep(DELAY_MS);
                while (!Thread.currentThread().isInterrupted()) {
                    draw(start);
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private synchronized void draw(long start) {
            double seconds = (System.nanoTime() - start) / 1e9;
            err.printf(java.util.Locale.ROOT, "\r%s, %.1f s", bar(done.get(), total), seconds);
            err.flush();
            shown = true;
        }

        static String bar(int done, int total) {
            int filled = total == 0 ? WIDTH : (int) ((long) Math.min(done, total) * WIDTH / total);
            return "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " samples";
        }

        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                if (shown) {
                    err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
                    err.flush();
                }
            }
        }

        boolean shown() {
            return shown;
        }
    }
}

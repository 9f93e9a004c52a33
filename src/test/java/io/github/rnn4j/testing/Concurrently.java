package io.github.rnn4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs tasks on many threads that all start at the same moment: each thread waits at a start gate, which opens only
 * once every thread is waiting there, so the calls overlap instead of running one after another as a pool warms up.
 * The thread-safety tests share one object between the tasks and compare every result with a single-threaded one.
 */
public final class Concurrently {
    private Concurrently() {
    }

    /**
     * Runs {@code task(i)} for {@code i = 0..threads-1}, one per thread, released together, and returns their results in
     * order. An assertion that fails in a task fails the caller with the task's error.
     */
    public static <T> List<T> run(int threads, IntFunction<Callable<T>> task) throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                Callable<T> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return body.call();
                }));
            }
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the " + threads + " threads did not all start within 60 s");
            }
            start.countDown();
            List<T> results = new ArrayList<>(threads);
            for (Future<T> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error) {
                        throw (Error) e.getCause();
                    }
                    throw e;
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

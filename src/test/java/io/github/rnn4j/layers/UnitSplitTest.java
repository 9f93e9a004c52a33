package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Concurrently;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.RandomCell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Rnn#withThreads}: a step split by units across threads gives the bits of one thread, for every cell (GRU in
 * both reset modes), both precisions, masks, goBackwards, token ids, initial states and sequences; and the split never
 * hangs, leaks or mixes up concurrent callers, whatever the executor does. The suite runs on both backends (see the
 * surefire executions in pom.xml). Units are odd (37, 45, 300) so that the ranges end inside SIMD vectors and
 * the vector backend's tails run on both sides of a range bound.
 */
// The limit catches a hang, not slowness: on a 2-core machine at a load average of 40 to 85 the largest test took
// 83 to 102 s (a split step waits for threads the scheduler has not run yet), close to the 120 s this was.
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class UnitSplitTest {
    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "unit-split-test");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    private static BaseCell cell(NaiveRnn.Kind kind, int inputSize, int units, long seed, boolean float32) {
        BaseCell c = (BaseCell) RandomCell.draw(new Random(seed), kind, inputSize, units).cell();
        return float32 ? c.float32() : c;
    }

    /** Inputs with dense rows, one-hot rows (the sparse projection) and a few masked steps. */
    private static double[][] inputs(Random r, int timeSteps, int inputSize) {
        double[][] x = NaiveRnn.random(r, timeSteps, inputSize, 1.0);
        x[2] = new double[inputSize];
        x[2][inputSize / 3] = 1.0;
        return x;
    }

    private static boolean[] mask(int timeSteps) {
        boolean[] m = new boolean[timeSteps];
        for (int t = 0; t < timeSteps; t++) {
            m[t] = t % 4 != 1;
        }
        return m;
    }

    private static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }

    /** Asserts that two outputs hold the same bits: sequence (if any), last output and states (if any). */
    private static void assertSameBits(RnnOutput expected, RnnOutput actual, String what) {
        assertThat(bits(actual.last())).as("%s: last", what).isEqualTo(bits(expected.last()));
        if (expected.hasSequence()) {
            double[][] e = expected.sequence();
            double[][] a = actual.sequence();
            assertThat(a.length).as("%s: timeSteps", what).isEqualTo(e.length);
            for (int t = 0; t < e.length; t++) {
                assertThat(bits(a[t])).as("%s: sequence[%d]", what, t).isEqualTo(bits(e[t]));
            }
        }
        if (expected.states() != null) {
            for (int s = 0; s < expected.states().size(); s++) {
                assertThat(bits(actual.states().get(s))).as("%s: state %d", what, s)
                        .isEqualTo(bits(expected.states().get(s)));
            }
        }
    }

    @Test
    void theTeamsHelperComputesItsUnitsAndTheStepEqualsOneThreadBitForBit() throws Exception {
        for (NaiveRnn.Kind kind : NaiveRnn.Kind.values()) {
            for (boolean float32 : new boolean[] {false, true}) {
                BaseCell cell = cell(kind, 23, 45, 7, float32);
                Random r = new Random(11);
                double[][] x = inputs(r, 6, 23);
                double[][][] one = new double[cell.stateCount()][1][45];
                double[][][] split = new double[cell.stateCount()][1][45];
                double[][] z = new double[1][cell.width];
                double[][] zSplit = new double[1][cell.width];
                float[] acc = cell.newAccumulator();
                UnitTeam team = UnitTeam.start(cell, pool, 2);
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (team.joinedHelpers() == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    assertThat(team.joinedHelpers()).as("the helper joined").isEqualTo(1);
                    for (double[] xt : x) {
                        cell.projectRows(new double[][] {xt}, 1, z, new double[1][], new double[1][], acc);
                        cell.stepRows(z, one, 1, cell.newScratch(1), acc);
                        team.step(xt, 0, zSplit[0], split, acc);
                        for (int s = 0; s < one.length; s++) {
                            assertThat(bits(split[s][0])).as("%s float32=%s state %d", kind, float32, s)
                                    .isEqualTo(bits(one[s][0]));
                        }
                    }
                    assertThat(team.activeThreads()).isEqualTo(2);
                    assertThat(team.helperPhases()).as("phases the helper computed")
                            .isEqualTo((long) x.length * cell.splitPhases());
                } finally {
                    team.finish();
                }
            }
        }
    }

    @Test
    void everyCellPrecisionAndOptionGivesTheBitsOfOneThread() {
        int[][] shapes = {{23, 37}, {64, 300}};
        for (int[] shape : shapes) {
            int inputSize = shape[0];
            int units = shape[1];
            for (NaiveRnn.Kind kind : NaiveRnn.Kind.values()) {
                for (boolean float32 : new boolean[] {false, true}) {
                    Rnn base = Rnn.of((RnnCell) cell(kind, inputSize, units, units + kind.ordinal(), float32));
                    Random r = new Random(5);
                    double[][] x = inputs(r, 13, inputSize);
                    boolean[] mask = mask(13);
                    int[] ids = new int[13];
                    for (int t = 0; t < ids.length; t++) {
                        ids[t] = r.nextInt(inputSize);
                    }
                    List<double[]> initial = new ArrayList<>();
                    for (int s = 0; s < base.cell().stateCount(); s++) {
                        initial.add(NaiveRnn.random(r, 1, units, 0.5)[0]);
                    }
                    for (int options = 0; options < 8; options++) {
                        Rnn one = base.returnSequences((options & 1) != 0).returnState(true)
                                .goBackwards((options & 2) != 0).zeroOutputForMask((options & 4) != 0);
                        for (int threads = 2; threads <= 3; threads++) {
                            Rnn split = one.withThreads(pool, threads, 1);
                            String what = kind + " " + inputSize + "x" + units + " float32=" + float32
                                    + " options=" + options + " threads=" + threads;
                            assertSameBits(one.forward(x), split.forward(x), what + " plain");
                            assertSameBits(one.forward(x, mask), split.forward(x, mask), what + " masked");
                            assertSameBits(one.forward(x, mask, initial), split.forward(x, mask, initial),
                                    what + " initial states");
                            assertSameBits(one.forward(ids, mask), split.forward(ids, mask), what + " ids");
                        }
                    }
                }
            }
        }
    }

    @Test
    void theDefaultThresholdSplitsWideLayersOnlyAndKeepsResults() {
        Rnn base = Rnn.of((RnnCell) cell(NaiveRnn.Kind.LSTM, 16, Rnn.MIN_SPLIT_UNITS, 3, false)).returnState(true);
        Rnn split = base.withThreads(pool, 2);
        assertThat(split.threads()).isEqualTo(2);
        assertThat(base.threads()).isEqualTo(1);
        double[][] x = inputs(new Random(1), 9, 16);
        assertSameBits(base.forward(x), split.forward(x), "LSTM at the threshold");
        assertThat(split.returnSequences(true).goBackwards(true).float32().threads())
                .as("withers keep the threads").isEqualTo(2);
        assertThat(split.withThreads(pool, 1).threads()).isEqualTo(1);
    }

    @Test
    void anExecutorThatNeverRunsTheHelperDoesNotHangTheCall() throws Exception {
        Rnn one = Rnn.of((RnnCell) cell(NaiveRnn.Kind.GRU_RESET_BEFORE, 12, 45, 9, false)).returnSequences(true).returnState(true);
        double[][] x = inputs(new Random(2), 20, 12);
        List<Runnable> parked = new ArrayList<>();
        RnnOutput never = one.withThreads(parked::add, 2, 1).forward(x);
        assertSameBits(one.forward(x), never, "helper queued but never run");
        assertThat(parked).hasSize(1);
        // Run late, after the call has ended, on another thread: it was cancelled and returns at once.
        Thread late = new Thread(parked.get(0));
        late.start();
        late.join(10_000);
        assertThat(late.isAlive()).as("a helper started after its call returns at once").isFalse();
    }

    @Test
    void directRejectingAndSaturatedExecutorsGiveTheSameBits() throws Exception {
        Rnn one = Rnn.of((RnnCell) cell(NaiveRnn.Kind.LSTM, 12, 45, 4, true)).returnSequences(true).returnState(true);
        double[][] x = inputs(new Random(3), 15, 12);
        RnnOutput expected = one.forward(x);
        assertSameBits(expected, one.withThreads(Runnable::run, 2, 1).forward(x), "direct executor");
        assertSameBits(expected, one.withThreads(r -> {
            throw new RejectedExecutionException("full");
        }, 3, 1).forward(x), "rejecting executor");
        ExecutorService shut = Executors.newSingleThreadExecutor();
        shut.shutdown();
        assertSameBits(expected, one.withThreads(shut, 2, 1).forward(x), "shut-down executor");
        // A one-thread pool whose thread is busy until the call has ended: the helper starts too late to join.
        ExecutorService busy = Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            busy.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertSameBits(expected, one.withThreads(busy, 2, 1).forward(x), "saturated executor");
            release.countDown();
        } finally {
            busy.shutdown();
            assertThat(busy.awaitTermination(10, TimeUnit.SECONDS)).as("late helper returned").isTrue();
        }
    }

    @Test
    void helpersEndWithTheirCallAndTheCallerKeepsItsInterrupt() throws Exception {
        ThreadPoolExecutor own = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
        try {
            Rnn split = Rnn.of((RnnCell) cell(NaiveRnn.Kind.SIMPLE, 8, 45, 6, false)).returnState(true)
                    .withThreads(own, 2, 1);
            double[][] x = inputs(new Random(4), 30, 8);
            RnnOutput expected = Rnn.of((RnnCell) cell(NaiveRnn.Kind.SIMPLE, 8, 45, 6, false)).returnState(true)
                    .forward(x);
            for (int i = 0; i < 20; i++) {
                assertSameBits(expected, split.forward(x), "call " + i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (own.getCompletedTaskCount() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(own.getActiveCount()).as("helper tasks still running after their calls").isZero();
            assertThat(own.getCompletedTaskCount()).isEqualTo(20);
            Thread.currentThread().interrupt();
            try {
                assertSameBits(expected, split.forward(x), "interrupted caller");
                assertThat(Thread.currentThread().isInterrupted()).as("interrupt kept").isTrue();
            } finally {
                Thread.interrupted();
            }
        } finally {
            own.shutdownNow();
        }
    }

    @Test
    void oneSplitLayerSharedByManyCallersGivesEachTheBitsOfOneThread() throws Exception {
        Rnn one = Rnn.of((RnnCell) cell(NaiveRnn.Kind.GRU_RESET_AFTER, 10, 37, 8, false)).returnSequences(true).returnState(true);
        Rnn split = one.withThreads(pool, 2, 1);
        double[][][] x = new double[8][][];
        RnnOutput[] expected = new RnnOutput[x.length];
        Random r = new Random(6);
        for (int i = 0; i < x.length; i++) {
            x[i] = inputs(r, 10 + i, 10);
            expected[i] = one.forward(x[i], mask(x[i].length));
        }
        List<RnnOutput[]> results = Concurrently.run(x.length, i -> () -> {
            RnnOutput[] outs = new RnnOutput[20];
            for (int k = 0; k < outs.length; k++) {
                outs[k] = split.forward(x[i], mask(x[i].length));
            }
            return outs;
        });
        for (int i = 0; i < x.length; i++) {
            for (RnnOutput out : results.get(i)) {
                assertSameBits(expected[i], out, "caller " + i);
            }
        }
    }

    @Test
    void badThreadSettingsAreRefusedNamingTheParameter() {
        Rnn rnn = Rnn.of((RnnCell) cell(NaiveRnn.Kind.SIMPLE, 3, 4, 1, false));
        assertThatThrownBy(() -> rnn.withThreads(null, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("executor");
        assertThatThrownBy(() -> rnn.withThreads(pool, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads is 0, expected at least 1");
        assertThatThrownBy(() -> rnn.withThreads(pool, 2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minUnits is 0, expected at least 1");
    }
}

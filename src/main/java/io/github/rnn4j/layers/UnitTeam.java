package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Kernels;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads of one call that split every time step of one sequence by units: the calling thread and up to
 * {@code threads − 1} helper tasks, handed to the caller's {@link Executor} once per call (never per step).
 *
 * <p>Each step, the units are cut into contiguous ranges whose bounds are multiples of {@value #ALIGN}, one range
 * per thread; a thread computes the input projection, the recurrent product's columns and the gate arithmetic of
 * its own units ({@link BaseCell#projectUnits}, {@link BaseCell#stepUnits}), each element summed exactly as on one
 * thread, so results are bit-identical to one thread. {@code h} is double-buffered (every thread reads all of
 * {@code h_{t-1}} while the others write their part of {@code h_t}).
 *
 * <p>The barrier: the caller publishes each phase through one volatile counter per helper ({@code go}) and waits for
 * each helper's volatile {@code done}. A waiting thread spins ({@value #SPIN_NANOS} ns, {@link Thread#onSpinWait}),
 * then yields (up to {@value #YIELD_NANOS} ns), then parks; the other side unparks it when it has announced that it
 * parks, and no park lasts longer than {@value #PARK_NANOS} ns. Nothing is allocated or submitted per step.
 *
 * <p>A helper the executor has not started is never waited for: the caller gives work only to helpers that have
 * joined (checked at every step, so a late helper joins mid-sequence) and computes the other units itself; at the
 * end of the call it cancels helpers that never started, which return at once whenever the executor runs them. A
 * helper run on the calling thread itself (a direct executor, {@code CallerRunsPolicy}) or rejected by the executor
 * does not join. Interrupts do not stop a call; they are kept and restored on the interrupted thread when it ends.
 * One team serves one call on its calling thread; it is not shared.
 */
final class UnitTeam {
    /** Range bounds are multiples of this many units: whole cache lines of {@code double} per thread. */
    static final int ALIGN = 8;
    private static final long SPIN_NANOS = 20_000;
    private static final long YIELD_NANOS = 200_000;
    private static final long PARK_NANOS = 1_000_000;
    private static final int PENDING = 0;
    private static final int JOINED = 1;
    private static final int CANCELLED = 2;
    private static final long STOP = -1;

    private final BaseCell cell;
    private final Thread caller;
    private final Helper[] helpers;
    /** Helpers that have joined and been given work, in joining order. */
    private final Helper[] active;
    private int activeCount;
    private long generation;
    private volatile boolean callerParked;
    private boolean callerInterrupted;
    private final CallerWait callerWait = new CallerWait();
    /** The buffer {@code h_t} is written into; after the step it holds {@code h_{t-1}}'s old array. */
    private double[] spare;
    private final double[][][] scratch;

    // The command of the current phase: plain fields, published to helpers by the volatile write of Helper.go.
    private int phase;
    private double[] x;
    private boolean sparse;
    private int id;
    private double[] z;
    private double[] h;
    private double[] hOut;
    private double[] c;

    private UnitTeam(BaseCell cell, int helperCount) {
        this.cell = cell;
        this.caller = Thread.currentThread();
        this.helpers = new Helper[helperCount];
        this.active = new Helper[helperCount];
        this.spare = new double[cell.units];
        this.scratch = cell.newScratch(1);
        for (int i = 0; i < helperCount; i++) {
            helpers[i] = new Helper(this, cell.newAccumulator());
        }
    }

    /**
     * Starts a team for one call on the calling thread: submits {@code threads − 1} helper tasks to
     * {@code executor}. A task the executor rejects is dropped; the call then runs on fewer threads.
     */
    static UnitTeam start(BaseCell cell, Executor executor, int threads) {
        UnitTeam team = new UnitTeam(cell, threads - 1);
        for (Helper helper : team.helpers) {
            try {
                executor.execute(helper);
            } catch (RejectedExecutionException e) {
                helper.status.compareAndSet(PENDING, CANCELLED);
            }
        }
        return team;
    }

    /**
     * Advances one sequence by one step, as {@code projectRows}/{@code projectId} then {@code stepRows} on one row.
     *
     * @param x the input of the step, or {@code null} for a token id
     * @param id the token id when {@code x} is {@code null}
     * @param z scratch {@code [width]}, contents ignored
     * @param state {@code [stateCount][1][units]}; {@code state[0][0]} is replaced by a new array holding {@code h_t}
     *        (the old one is reused by the next step), other states are updated in place
     * @param acc the caller's float32 scratch ({@link BaseCell#newAccumulator()})
     */
    void step(double[] x, int id, double[] z, double[][][] state, float[] acc) {
        admitJoined();
        this.x = x;
        this.id = id;
        this.sparse = x != null && Kernels.isSparse(x, cell.inputSize);
        this.z = z;
        this.h = state[0][0];
        this.hOut = spare;
        this.c = state.length > 1 ? state[1][0] : null;
        int parts = activeCount + 1;
        int phases = cell.splitPhases();
        for (int p = 0; p < phases; p++) {
            phase = p;
            long g = ++generation;
            for (int i = 0; i < activeCount; i++) {
                Helper helper = active[i];
                helper.from = bound(i + 1, parts);
                helper.to = bound(i + 2, parts);
                helper.go = g;
                if (helper.parked) {
                    LockSupport.unpark(helper.thread);
                }
            }
            work(p, 0, bound(1, parts), acc);
            for (int i = 0; i < activeCount; i++) {
                awaitDone(active[i], g);
            }
        }
        state[0][0] = hOut;
        spare = h;
        this.x = null;
    }

    /** Stops the helpers of this call (those that never started return at once when run) and restores interrupts. */
    void finish() {
        for (Helper helper : helpers) {
            if (!helper.status.compareAndSet(PENDING, CANCELLED)) {
                if (helper.status.get() == JOINED) {
                    helper.go = STOP;
                    LockSupport.unpark(helper.thread);
                }
            }
        }
        if (callerInterrupted) {
            caller.interrupt();
        }
    }

    /** How many threads computed the last step: the caller and the helpers that had joined by then. */
    int activeThreads() {
        return activeCount + 1;
    }

    /** How many helpers have joined so far (for tests). */
    int joinedHelpers() {
        int n = 0;
        for (Helper helper : helpers) {
            n += helper.status.get() == JOINED ? 1 : 0;
        }
        return n;
    }

    /** How many phases the helpers have computed, summed, as of the last completed step (for tests). */
    long helperPhases() {
        long n = 0;
        for (int i = 0; i < activeCount; i++) {
            n += active[i].phases;
        }
        return n;
    }

    /** The first unit of part {@code i} of {@code parts}: {@code units·i/parts} rounded down to {@value #ALIGN}. */
    private int bound(int i, int parts) {
        int units = cell.units;
        if (i >= parts) {
            return units;
        }
        return (int) ((long) units * i / parts) / ALIGN * ALIGN;
    }

    private void admitJoined() {
        if (activeCount == helpers.length) {
            return;
        }
        for (Helper helper : helpers) {
            if (!helper.admitted && helper.status.get() == JOINED) {
                helper.admitted = true;
                active[activeCount++] = helper;
            }
        }
    }

    private void work(int p, int from, int to, float[] acc) {
        if (p == 0) {
            cell.projectUnits(x, sparse, id, z, from, to, acc);
        }
        cell.stepUnits(p, z, h, hOut, c, scratch, from, to, acc);
    }

    private void awaitDone(Helper helper, long g) {
        callerWait.helper = helper;
        callerWait.generation = g;
        callerInterrupted |= callerWait.await();
        Throwable failure = helper.failure;
        if (failure != null) {
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            throw new IllegalStateException("a helper thread of the unit split failed", failure);
        }
    }

    /**
     * One thread's side of the barrier: what ends its wait ({@link #ready()}, volatile reads of the other side's
     * fields) and the volatile flag that tells the other side it is parking ({@link #announceParked}).
     */
    private abstract static class Waiter {
        /** Whether the wait is over; called before every pause and once more just before parking. */
        abstract boolean ready();

        /** Writes this side's volatile parked flag, read by the other side to decide whether to unpark it. */
        abstract void announceParked(boolean parked);

        /** The object parked on, as {@link LockSupport#getBlocker} reports it. */
        abstract Object blocker();

        /**
         * Waits until {@link #ready()}: spins ({@code SPIN_NANOS}, {@link Thread#onSpinWait}), then yields (up to
         * {@code YIELD_NANOS}), then parks for at most {@code PARK_NANOS} at a time, announcing it first and checking
         * {@link #ready()} once more after the announcement, so an unpark is never missed. The one wait loop of both
         * sides: the caller waiting for a helper's {@code done}, a helper waiting for its next {@code go}.
         *
         * @return whether the thread was interrupted while parked (the flag is cleared, to be restored later)
         */
        final boolean await() {
            boolean interrupted = false;
            long start = 0;
            while (!ready()) {
                if (start == 0) {
                    start = System.nanoTime();
                }
                long waited = System.nanoTime() - start;
                if (waited < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (waited < YIELD_NANOS) {
                    Thread.yield();
                } else {
                    announceParked(true);
                    if (!ready()) {
                        LockSupport.parkNanos(blocker(), PARK_NANOS);
                    }
                    announceParked(false);
                    interrupted |= Thread.interrupted();
                }
            }
            return interrupted;
        }
    }

    /** The caller's side: waits for {@link #helper} to finish {@link #generation} or to fail. */
    private final class CallerWait extends Waiter {
        /** The helper and generation awaited; read and written by the caller only. */
        Helper helper;
        long generation;

        @Override
        boolean ready() {
            return helper.done == generation || helper.failure != null;
        }

        @Override
        void announceParked(boolean parked) {
            callerParked = parked;
        }

        @Override
        Object blocker() {
            return UnitTeam.this;
        }
    }

    /** One helper task: joins the team, then runs its range of every phase it is given until told to stop. */
    private static final class Helper extends Waiter implements Runnable {
        final UnitTeam team;
        final AtomicInteger status = new AtomicInteger(PENDING);
        final float[] acc;
        volatile Thread thread;
        volatile long go;
        volatile long done;
        volatile boolean parked;
        volatile Throwable failure;
        /** The helper's units for the command in {@link #go}; written by the caller before {@code go}. */
        int from;
        int to;
        /** Read and written by the caller only. */
        boolean admitted;
        /** The generation this helper has run last, and the value of {@link #go} it read last; its own thread only. */
        long seen;
        long command;
        /** Phases computed, published by {@link #done}. */
        long phases;

        Helper(UnitTeam team, float[] acc) {
            this.team = team;
            this.acc = acc;
        }

        @Override
        boolean ready() {
            return (command = go) != seen;
        }

        @Override
        void announceParked(boolean parked) {
            this.parked = parked;
        }

        @Override
        Object blocker() {
            return this;
        }

        @Override
        public void run() {
            Thread self = Thread.currentThread();
            if (self == team.caller) {
                status.compareAndSet(PENDING, CANCELLED);
                return;
            }
            thread = self;
            if (!status.compareAndSet(PENDING, JOINED)) {
                return;
            }
            boolean interrupted = false;
            try {
                while (true) {
                    interrupted |= await();
                    long g = command;
                    if (g == STOP) {
                        return;
                    }
                    seen = g;
                    team.work(team.phase, from, to, acc);
                    phases++;
                    done = g;
                    if (team.callerParked) {
                        LockSupport.unpark(team.caller);
                    }
                }
            } catch (Throwable t) {
                failure = t;
                LockSupport.unpark(team.caller);
            } finally {
                if (interrupted) {
                    self.interrupt();
                }
            }
        }
    }
}

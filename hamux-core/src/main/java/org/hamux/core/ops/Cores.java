package org.hamux.core.ops;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Splits a loop between the calling thread and one helper thread for every other core: the kernels' and the
 * per-head products' way onto the cores.
 *
 * <p>A helper parks as soon as its piece is done (it never spins against OpenBLAS's threads) and is woken for
 * the next piece; the caller runs the first piece itself. A piece that its helper has not started by the time
 * the caller is done with its own is taken back and run by the caller, so a split costs at most the hand-off
 * over the loop on one thread. Measured on 2 cores: the hand-off adds about 20 us to a loop split in two,
 * where a parallel stream (the fork-join pool) added about 50 us.
 *
 * <p>One split at a time: a call while another thread's split is running (or from inside a piece) runs its loop
 * on the calling thread.
 */
final class Cores {

    /** The number of cores the loops are split between. */
    static final int COUNT = Runtime.getRuntime().availableProcessors();

    private static final Helper[] HELPERS = new Helper[COUNT - 1];
    private static final AtomicBoolean BUSY = new AtomicBoolean();

    static {
        for (int i = 0; i < HELPERS.length; i++) {
            HELPERS[i] = new Helper("hamux-core-" + (i + 1));
        }
    }

    private Cores() {
    }

    /** {@code body(i)} for every {@code i} in {@code [0, n)}, in contiguous pieces, one per core. */
    static void forEach(int n, IntConsumer body) {
        int parts = Math.min(n, COUNT);
        if (parts < 2 || !BUSY.compareAndSet(false, true)) {
            run(body, 0, n);
            return;
        }
        try {
            for (int p = 1; p < parts; p++) {
                HELPERS[p - 1].post(body, (int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts));
            }
            Throwable failure = null;
            try {
                run(body, 0, n / parts);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int p = 1; p < parts; p++) {
                Throwable f = HELPERS[p - 1].finish();
                failure = failure != null ? failure : f;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } finally {
            BUSY.set(false);
        }
    }

    private static void run(IntConsumer body, int from, int to) {
        for (int i = from; i < to; i++) {
            body.accept(i);
        }
    }

    /** A daemon thread that runs one posted piece at a time and parks in between. */
    private static final class Helper implements Runnable {
        private static final int IDLE = 0;
        private static final int POSTED = 1;
        private static final int RUNNING = 2;
        private static final int DONE = 3;

        private final AtomicInteger state = new AtomicInteger(IDLE);
        private final Thread thread;
        // written before the piece is posted (a volatile write), read after it is taken (a volatile read)
        private IntConsumer body;
        private int from;
        private int to;
        private Throwable failure;

        Helper(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        void post(IntConsumer body, int from, int to) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.failure = null;
            state.set(POSTED);
            LockSupport.unpark(thread);
        }

        /** Waits for the posted piece (running it here if it has not started); returns what it threw, or null. */
        Throwable finish() {
            if (state.compareAndSet(POSTED, IDLE)) {
                try {
                    Cores.run(body, from, to);
                } catch (RuntimeException | Error e) {
                    return e;
                } finally {
                    body = null;
                }
                return null;
            }
            while (state.get() != DONE) {
                Thread.onSpinWait();
            }
            body = null;
            state.set(IDLE);
            return failure;
        }

        @Override
        public void run() {
            for (;;) {
                if (state.compareAndSet(POSTED, RUNNING)) {
                    try {
                        Cores.run(body, from, to);
                    } catch (Throwable t) {
                        failure = t;
                    }
                    state.set(DONE);
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}

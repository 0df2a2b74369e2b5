package org.hamux.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Splits a loop between the calling thread and one helper thread for every other core: the kernels' and the
 * per-head products' way onto the cores.
 *
 * <p>The loop is cut into {@link #PIECES} contiguous pieces, and every thread takes the next piece nobody has
 * taken until none is left: a core that starts late (a helper being woken) or runs slow for a while (as these
 * virtual machines' cores do at times) takes fewer pieces instead of holding up the end. A helper parks as soon as no
 * piece is left (it never spins against OpenBLAS's threads) and is woken for the next loop; the caller starts
 * at once, so a split costs at most the hand-off over the loop on one thread. Measured on 2 cores: the
 * hand-off adds about 20 us to a loop split in two, where a parallel stream (the fork-join pool) added about
 * 50 us.
 *
 * <p>One split at a time: a call while another thread's split is running (or from inside a piece) runs its loop
 * on the calling thread. The helper threads belong to the {@link FastOps} that made this object and stop with it.
 */
final class Cores implements AutoCloseable {

    /** The number of cores the loops are split between. */
    private final int count;

    /** The number of pieces a loop is cut into (fewer when it has fewer indices): eight per core. */
    private final int pieces;

    private final Helper[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();

    /** Splits between the calling thread and {@code count - 1} helper threads, started now (daemons). */
    Cores(int count) {
        this.count = count;
        this.pieces = count * 8;
        this.helpers = new Helper[count - 1];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new Helper("hamux-core-" + (i + 1));
        }
    }

    /** The number of pieces a loop is cut into. */
    int pieces() {
        return pieces;
    }

    /** Stops the helper threads; a later split runs on the calling thread. */
    @Override
    public void close() {
        busy.set(true);                                   // no split starts any more
        for (Helper h : helpers) {
            h.thread.interrupt();
        }
    }

    /** {@code body(i)} for every {@code i} in {@code [0, n)}, in contiguous pieces shared out between the cores. */
    void forEach(int n, IntConsumer body) {
        int parts = Math.min(n, pieces);
        if (count < 2 || parts < 2 || !busy.compareAndSet(false, true)) {
            run(body, 0, n);
            return;
        }
        try {
            Split split = new Split(body, n, parts);
            for (Helper h : helpers) {
                h.post(split);
            }
            Throwable failure = split.work();
            for (Helper h : helpers) {
                Throwable f = h.finish();
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
            busy.set(false);
        }
    }

    private static void run(IntConsumer body, int from, int to) {
        for (int i = from; i < to; i++) {
            body.accept(i);
        }
    }

    /** One loop cut into pieces: each thread that works on it takes the next piece not yet taken. */
    private static final class Split {
        private final IntConsumer body;
        private final int n;
        private final int pieces;
        private final AtomicInteger next = new AtomicInteger();

        Split(IntConsumer body, int n, int pieces) {
            this.body = body;
            this.n = n;
            this.pieces = pieces;
        }

        /** Runs pieces until none is left; returns what a piece threw (then no further piece starts), or null. */
        Throwable work() {
            for (int p = next.getAndIncrement(); p < pieces; p = next.getAndIncrement()) {
                try {
                    run(body, (int) ((long) n * p / pieces), (int) ((long) n * (p + 1) / pieces));
                } catch (Throwable t) {
                    next.set(pieces);
                    return t;
                }
            }
            return null;
        }
    }

    /** A daemon thread that works on one posted split at a time and parks in between. */
    private static final class Helper implements Runnable {
        private static final int IDLE = 0;
        private static final int POSTED = 1;
        private static final int RUNNING = 2;
        private static final int DONE = 3;

        private final AtomicInteger state = new AtomicInteger(IDLE);
        private final Thread thread;
        // written before the split is posted (a volatile write), read after it is taken (a volatile read)
        private Split split;
        private Throwable failure;

        Helper(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        void post(Split split) {
            this.split = split;
            this.failure = null;
            state.set(POSTED);
            LockSupport.unpark(thread);
        }

        /**
         * Waits until this helper is off the split (the caller has run out of pieces): takes the post back if the
         * helper has not started, else waits for its last piece; returns what that threw, or null.
         */
        Throwable finish() {
            if (!state.compareAndSet(POSTED, IDLE)) {
                while (state.get() != DONE) {
                    Thread.onSpinWait();
                }
                state.set(IDLE);
            }
            split = null;
            return failure;
        }

        @Override
        public void run() {
            while (!Thread.currentThread().isInterrupted()) {
                if (state.compareAndSet(POSTED, RUNNING)) {
                    failure = split.work();
                    state.set(DONE);
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}

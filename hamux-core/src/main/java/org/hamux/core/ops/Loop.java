package org.hamux.core.ops;

/**
 * The arrays of a loop whose steps compute the same arrays again (the steps of the dynamics, the runs of a training
 * plan), as a backend that reuses them hands them out ({@link Ops#loop}): inside a step, the n-th array the ops make is
 * the n-th array of the step before, so that a steady loop allocates nothing. The rule for code run inside a step: an
 * array computed in one step is written again in the next; keep nothing computed from one step to the next but what
 * was copied out. A loop belongs to one thread at a time; {@link #release} frees its arrays.
 */
public interface Loop {

    /** A loop that reuses nothing: every op makes new arrays. */
    Loop NONE = new Loop() {
        @Override
        public Step step() {
            return () -> { };
        }

        @Override
        public long bytes() {
            return 0;
        }

        @Override
        public void release() {
        }
    };

    /** Starts a step on this thread; the ops make the arrays of the step before until it is closed. */
    Step step();

    /** The bytes of the arrays this loop keeps. */
    long bytes();

    /** Frees the arrays kept (none of them may be in use); the next step makes them again. */
    void release();

    /** The scope of one step; closing it ends the step (the arrays stay for the next). */
    @FunctionalInterface
    interface Step extends AutoCloseable {
        @Override
        void close();
    }
}

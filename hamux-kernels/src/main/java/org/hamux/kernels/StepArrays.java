package org.hamux.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hamux.core.ops.Loop;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The arrays of a {@link Loop} of a {@link FastOps}: the arrays one step creates, kept for the next step. A step of the
 * dynamics asks for the same arrays in the same order every time, so the n-th array it asks for is the n-th array of
 * the step before when the data type and shape agree (otherwise a new one takes that place). ND4J spends 5-15 us
 * creating an array (its buffer, its shape descriptor, its deallocator), even inside a workspace, and about as long for
 * a view; a step of the Energy Transformer makes some 30 arrays and views besides. Views (reshaped, or a range of one
 * axis) are kept the same way, for the same array and the same shape or range.
 *
 * <p>Between {@link #step} and its close on one thread, the kernels of {@link FastOps} take their results from here;
 * elsewhere they create new arrays. Only for loops whose arrays die with the step: an array handed out in one step is
 * written again in the next. The loop (the run of the dynamics, the training plan) owns the object and frees it.
 */
final class StepArrays implements Loop {

    /** The arrays of the step in progress on this thread, if any. */
    private static final ThreadLocal<StepArrays> CURRENT = new ThreadLocal<>();

    private final List<INDArray> arrays = new ArrayList<>();
    private final List<View> views = new ArrayList<>();
    private int nextArray;
    private int nextView;

    /** A view of {@code from}: reshaped ({@code key} its shape) or a range of one axis. */
    private record View(INDArray from, long[] key, INDArray view) {
    }

    @Override
    public long bytes() {
        long n = 0;
        for (INDArray a : arrays) {
            n += a.length() * a.dataType().width();
        }
        return n;
    }

    @Override
    public void release() {
        if (CURRENT.get() == this) {
            throw new IllegalStateException("a step of these arrays is in progress");
        }
        arrays.forEach(INDArray::close);
        arrays.clear();
        views.clear();
    }

    /** Starts a step on this thread: arrays are handed out from the first again, until the step is closed. */
    @Override
    public Step step() {
        StepArrays outer = CURRENT.get();
        nextArray = 0;
        nextView = 0;
        CURRENT.set(this);
        return () -> CURRENT.set(outer);
    }

    /** An uninitialised array: the next one of the step in progress on this thread, else a new one. */
    static INDArray uninitialized(DataType type, long... shape) {
        StepArrays s = CURRENT.get();
        return s == null ? Nd4j.createUninitialized(type, shape) : s.take(type, shape);
    }

    /** {@code a} reshaped in row-major order: the view of the step before when it is of the same array and shape. */
    static INDArray reshape(INDArray a, long... shape) {
        StepArrays s = CURRENT.get();
        if (s == null) {
            return a.reshape('c', shape);
        }
        INDArray kept = s.kept(a, shape);
        if (kept != null) {
            return kept;
        }
        INDArray r = a.reshape('c', shape);
        // only a view follows its array from step to step; a copy (of a strided array) is made anew each time
        return s.keep(a, shape, r, sameStart(r, a));
    }

    /**
     * The view of {@code a} with indices {@code [from, to)} on {@code axis}: the view of the step before when it is of
     * the same array and range.
     */
    static INDArray slice(INDArray a, int axis, long from, long to) {
        StepArrays s = CURRENT.get();
        long[] key = {Long.MIN_VALUE, axis, from, to};         // no shape holds Long.MIN_VALUE: no reshape's key
        INDArray kept = s == null ? null : s.kept(a, key);
        if (kept != null) {
            return kept;
        }
        INDArrayIndex[] at = new INDArrayIndex[a.rank()];
        Arrays.fill(at, NDArrayIndex.all());
        at[axis] = NDArrayIndex.interval(from, to);
        INDArray r = a.get(at);
        return s == null ? r : s.keep(a, key, r, true);
    }

    private INDArray take(DataType type, long[] shape) {
        int i = nextArray++;
        if (i < arrays.size()) {
            INDArray a = arrays.get(i);
            if (a.dataType() == type && Arrays.equals(a.shape(), shape)) {
                return a;
            }
        }
        INDArray a;
        // outside the step's workspace, which would give the memory away when the step ends
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            a = Nd4j.createUninitialized(type, shape);
        }
        if (i < arrays.size()) {
            arrays.set(i, a).close();
        } else {
            arrays.add(a);
        }
        return a;
    }

    /** The next view of the step, when the step before made it of the same array with the same key; else null. */
    private INDArray kept(INDArray from, long[] key) {
        if (nextView < views.size()) {
            View v = views.get(nextView);
            if (v.from() == from && v.view() != null && Arrays.equals(v.key(), key)) {
                nextView++;
                return v.view();
            }
        }
        return null;
    }

    /** Keeps {@code view} of {@code from} as the next view of the step (as a miss when it is not a view); returns it. */
    private INDArray keep(INDArray from, long[] key, INDArray view, boolean isView) {
        View v = new View(from, key.clone(), isView ? view : null);
        if (nextView < views.size()) {
            views.set(nextView, v);
        } else {
            views.add(v);
        }
        nextView++;
        return view;
    }

    /**
     * Whether {@code r} starts where {@code a} does, in the same memory (ND4J wraps a view's memory anew): a copy lies
     * in memory of its own, which cannot start where {@code a}'s live memory does.
     */
    private static boolean sameStart(INDArray r, INDArray a) {
        return r == a || (r.offset() == a.offset() && r.data().address() == a.data().address());
    }

}

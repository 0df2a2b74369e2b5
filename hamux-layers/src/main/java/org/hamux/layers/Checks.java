package org.hamux.layers;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument checks and axis arithmetic shared by the Lagrangians of this package. */
final class Checks {

    private Checks() {
    }

    /** {@code v}, if it is positive and finite; otherwise an {@link IllegalArgumentException}. */
    static double positive(String type, String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(type + ": " + name + " must be positive and finite, got " + v);
        }
        return v;
    }

    /** {@code v}, if it is finite; otherwise an {@link IllegalArgumentException}. */
    static double finite(String type, String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(type + ": " + name + " must be finite, got " + v);
        }
        return v;
    }

    /** Fails unless per-sample {@code axis} (negative from the end) names an axis of per-sample {@code shape}. */
    static void axis(String type, int axis, long[] shape) {
        if (axis < -shape.length || axis >= shape.length) {
            throw new IllegalArgumentException(type + ": axis " + axis + " is out of range for a layer of shape "
                    + Arrays.toString(shape) + " (use 0.." + (shape.length - 1) + " or -" + shape.length + "..-1)");
        }
    }

    /**
     * The axis of the full {@code [B, ...]} array of rank {@code rank} that per-sample {@code axis}
     * names: {@code 0} is the first axis after the batch, {@code -1} the last.
     */
    static int fullAxis(String type, int axis, int rank) {
        int full = axis < 0 ? rank + axis : axis + 1;
        if (full < 1 || full >= rank) {
            throw new IllegalArgumentException(type + ": axis " + axis + " is out of range for a per-sample rank of "
                    + (rank - 1));
        }
        return full;
    }

    /** A copy of {@code delta} if it is a scalar (rank 0) or a vector of finite numbers. */
    static INDArray delta(String type, INDArray delta) {
        if (delta == null || delta.rank() > 1) {
            throw new IllegalArgumentException(type + ": delta must be a number or a vector of the last axis, got "
                    + (delta == null ? "null" : "an array of shape " + Arrays.toString(delta.shape())));
        }
        if (delta.isNaN().any() || delta.isInfinite().any()) {
            throw new IllegalArgumentException(type + ": delta must be finite");
        }
        return delta.dup();
    }

    /** Fails unless a vector {@code delta} has the length of the last axis of per-sample {@code shape}. */
    static void deltaFits(String type, INDArray delta, long[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException(type + ": needs a layer with at least one axis");
        }
        long d = shape[shape.length - 1];
        if (delta.rank() == 1 && delta.length() != d) {
            throw new IllegalArgumentException(type + ": delta has length " + delta.length()
                    + " but the last axis of the layer shape " + Arrays.toString(shape) + " has size " + d);
        }
    }

    /** The per-sample shape of a {@code [B, ...]} shape. */
    static long[] perSample(long[] full) {
        return Arrays.copyOfRange(full, 1, full.length);
    }
}

package org.hamux.core.autodiff;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A value recorded on a {@link Tape}: a leaf (an input, a parameter, a constant) or the result of one
 * primitive op on earlier values. Its shape and data type are known when it is recorded; its array is
 * computed when asked for ({@link #value()}, {@link Tape#evaluate}, {@link Plan#run}).
 */
public final class Var {

    /** What a value is. */
    enum Kind {
        /** A leaf whose array is given (and may be given again): an input or a parameter. */
        INPUT,
        /** A leaf with a fixed array. */
        CONSTANT,
        /** The result of a primitive op. */
        OP
    }

    final Tape tape;
    final int id;
    final Kind kind;
    final Prim op;
    final Var[] in;
    final long[] shape;
    final DataType dtype;
    final String name;
    /** Whether this is a constant filled with zeros (ops on it are simplified when recorded). */
    final boolean zero;
    INDArray value;

    Var(Tape tape, int id, Kind kind, Prim op, Var[] in, long[] shape, DataType dtype, String name, boolean zero,
        INDArray value) {
        this.tape = tape;
        this.id = id;
        this.kind = kind;
        this.op = op;
        this.in = in;
        this.shape = shape;
        this.dtype = dtype;
        this.name = name;
        this.zero = zero;
        this.value = value;
    }

    /** The shape, batch axis first (a copy). */
    public long[] shape() {
        return shape.clone();
    }

    public DataType dataType() {
        return dtype;
    }

    /** The rank (number of axes). */
    public int rank() {
        return shape.length;
    }

    /** The array of this value, computed now if it was not yet (do not modify it). */
    public INDArray value() {
        if (value == null) {
            tape.evaluate(this);
        }
        return value;
    }

    /** Gives an input leaf its array (of this leaf's shape; cast to its data type). */
    public void set(INDArray a) {
        if (kind != Kind.INPUT) {
            throw new IllegalStateException(this + " is not an input: only inputs are given arrays");
        }
        if (!Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException("input '" + name + "' has shape " + Arrays.toString(shape) + ", not "
                    + Arrays.toString(a.shape()));
        }
        value = a.dataType() == dtype ? a : a.castTo(dtype);
    }

    Var in(int i) {
        return in[i];
    }

    @Override
    public String toString() {
        String what = kind == Kind.OP ? op.toString() : kind == Kind.INPUT ? "input '" + name + "'" : "constant";
        return "%" + id + " " + what + Arrays.toString(shape);
    }
}

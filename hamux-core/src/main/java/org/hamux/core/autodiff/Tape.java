package org.hamux.core.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hamux.core.Component;
import org.hamux.core.HamuxException;
import org.hamux.core.ops.Backends;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reverse-mode engine: {@link Ops} recorded as a graph of {@link Var}s, evaluated on the eager ops (the fast
 * kernels of inference on the CPU, ND4J's own ops on other backends), and differentiated by {@link #gradients}:
 * the vector-Jacobian product of every op, written with these same ops, so that a gradient is itself recorded and
 * can be differentiated again (the gradient of a loss that contains {@code dE/dg}).
 *
 * <p>Recording is cheap and computes nothing: an array is computed when it is asked for ({@link Var#value},
 * {@link #evaluate}) or by a {@link Plan}, which runs just the ops its outputs need, as often as wanted, on the
 * arrays of its run before. An op recorded twice with the same inputs is recorded once (so a product the dynamics
 * repeats at every step, such as a clamped input times its weights, is computed once, and its cotangents are summed
 * before one product back), and ops on zeros or by one are simplified as they are recorded.
 *
 * <p>Parameters: {@link #bind} makes a leaf stand for a component's parameter; an unbound parameter is a constant.
 * One tape is used by one thread at a time.
 *
 * <pre>{@code
 * Tape t = new Tape(DataType.DOUBLE);
 * Var x = t.input("x", 3, 4);
 * Var e = synapse.energy(t, List.of(x));             // [3]
 * Var dEdx = t.gradients(e, List.of(x)).get(0);      // d(sum_b E_b)/dx, [3, 4]
 * x.set(values);
 * INDArray d = dEdx.value();
 * }</pre>
 */
public final class Tape implements Ops<Var> {

    private final DataType dtype;
    private final Ops<INDArray> exec;
    private final List<Var> nodes = new ArrayList<>();
    private final Map<Key, Var> recorded = new HashMap<>();
    private final Map<Component, Map<String, Var>> params = new IdentityHashMap<>();
    private final Map<INDArray, Var> constants = new IdentityHashMap<>();
    private final Map<FullKey, Var> fulls = new HashMap<>();

    /** A tape whose parameters and constants are of data type {@code dtype}, evaluated by {@link Backends#standard()}. */
    public Tape(DataType dtype) {
        this(dtype, Backends.standard());
    }

    /**
     * A tape whose parameters and constants are of data type {@code dtype}, its ops evaluated by {@code exec} (e.g. the
     * plain {@link EagerOps#INSTANCE}, or a wrapper that times every op).
     */
    public Tape(DataType dtype, Ops<INDArray> exec) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.exec = Objects.requireNonNull(exec, "exec");
    }

    public DataType dataType() {
        return dtype;
    }

    /** The number of values recorded. */
    public int size() {
        return nodes.size();
    }

    Ops<INDArray> exec() {
        return exec;
    }

    // ---- leaves ----

    /** A leaf whose array is given later ({@link Var#set}), of this tape's data type. */
    public Var input(String name, long... shape) {
        return leaf(Var.Kind.INPUT, name, shape.clone(), dtype, false, null);
    }

    /** A leaf holding {@code value} (cast to this tape's data type), which may be given another array later. */
    public Var input(String name, INDArray value) {
        Var v = input(name, value.shape());
        v.set(value);
        return v;
    }

    /** A constant holding {@code value}, cast to this tape's data type (one leaf per array). */
    public Var constant(INDArray value) {
        return constant(value, dtype);
    }

    private Var constant(INDArray value, DataType type) {
        Var c = constants.get(value);
        if (c != null && c.dtype == type) {
            return c;
        }
        INDArray typed = value.dataType() == type ? value : outsideWorkspaces(() -> value.castTo(type));
        Var v = leaf(Var.Kind.CONSTANT, null, value.shape(), type, false, typed);
        constants.put(value, v);
        return v;
    }

    /** A rank-0 constant. */
    public Var scalar(double value, DataType type) {
        return filled(new long[0], type, value);
    }

    /** A constant of zeros of this tape's data type. */
    public Var zeros(long... shape) {
        return filled(shape.clone(), dtype, 0.0);
    }

    private Var filled(long[] shape, DataType type, double value) {
        FullKey k = new FullKey(Arrays.toString(shape), type, value);
        Var v = fulls.get(k);
        if (v == null) {
            INDArray a = outsideWorkspaces(() -> Nd4j.valueArrayOf(shape, value, type));
            v = leaf(Var.Kind.CONSTANT, null, shape, type, value == 0.0, a);
            fulls.put(k, v);
        }
        return v;
    }

    private record FullKey(String shape, DataType type, double value) {
    }

    private Var leaf(Var.Kind kind, String name, long[] shape, DataType type, boolean zero, INDArray value) {
        Var v = new Var(this, nodes.size(), kind, null, null, shape, type, name, zero, value);
        nodes.add(v);
        return v;
    }

    private static INDArray outsideWorkspaces(java.util.function.Supplier<INDArray> make) {
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return make.get();
        }
    }

    /** Makes {@code value} the tensor used for parameter {@code name} of {@code owner} (e.g. an input to train). */
    public void bind(Component owner, String name, Var value) {
        owner.parameter(name);
        params.computeIfAbsent(owner, k -> new LinkedHashMap<>()).put(name, value);
    }

    /** The bound leaf of parameter {@code name}, or a constant of its value (the same one at every call). */
    @Override
    public Var param(Component owner, String name) {
        Map<String, Var> p = params.computeIfAbsent(owner, k -> new LinkedHashMap<>());
        Var v = p.get(name);
        if (v == null) {
            v = constant(owner.parameter(name));
            p.put(name, v);
        }
        return v;
    }

    // ---- recording ----

    /** The value of {@code op} on {@code in}: the one recorded before, if any, else a new one of {@code shape}. */
    Var record(Prim op, long[] shape, Var... in) {
        for (Var v : in) {
            if (v.tape != this) {
                throw new IllegalArgumentException(v + " is of another tape");
            }
        }
        Key key = new Key(op, in);
        Var v = recorded.get(key);
        if (v == null) {
            v = constantOnly(in) ? folded(op, shape, in)
                    : new Var(this, nodes.size(), Var.Kind.OP, op, in, shape, in[0].dtype, null, false, null);
            if (v.kind == Var.Kind.OP) {
                nodes.add(v);
            }
            recorded.put(key, v);
        }
        return v;
    }

    private static boolean constantOnly(Var[] in) {
        for (Var v : in) {
            if (v.kind != Var.Kind.CONSTANT) {
                return false;
            }
        }
        return true;
    }

    /** {@code op} of constants, computed now, once, as a constant (its array made outside any workspace or loop). */
    private Var folded(Prim op, long[] shape, Var[] in) {
        INDArray[] args = new INDArray[in.length];
        for (int k = 0; k < args.length; k++) {
            args[k] = in[k].value;
        }
        // by the plain backend: it makes new arrays, never those of a loop in progress (which a later step writes)
        INDArray value = outsideWorkspaces(() -> op.eval(EagerOps.INSTANCE, args));
        if (!Arrays.equals(value.shape(), shape)) {
            value = value.reshape('c', shape);
        }
        return leaf(Var.Kind.CONSTANT, null, shape, in[0].dtype, false, value);
    }

    /** What identifies a recorded op: the primitive (with its settings) and its inputs. */
    private static final class Key {
        private final Prim op;
        private final int[] in;
        private final int hash;

        Key(Prim op, Var[] vars) {
            this.op = op;
            this.in = new int[vars.length];
            for (int i = 0; i < vars.length; i++) {
                in[i] = vars[i].id;
            }
            this.hash = 31 * op.hashCode() + Arrays.hashCode(in);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && Arrays.equals(in, k.in) && op.equals(k.op);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    // ---- Ops ----

    @Override
    public Var full(Var like, double value) {
        return filled(like.shape, like.dtype, value);
    }

    @Override
    public Var zeros(Var like, long... shape) {
        return filled(shape.clone(), like.dtype, 0.0);
    }

    @Override
    public long[] shape(Var a) {
        return a.shape.clone();
    }

    @Override
    public Var add(Var a, Var b) {
        long[] s = Shapes.broadcast(a.shape, b.shape);
        if (a.zero && Arrays.equals(b.shape, s)) {
            return b;
        }
        if (b.zero && Arrays.equals(a.shape, s)) {
            return a;
        }
        Var joined = joined(a, b);
        if (joined != null) {
            return joined;
        }
        return record(new Prims.Add(), s, unbroadcast(a, s, b), unbroadcast(b, s, a));
    }

    @Override
    public Var sub(Var a, Var b) {
        long[] s = Shapes.broadcast(a.shape, b.shape);
        if (b.zero && Arrays.equals(a.shape, s)) {
            return a;
        }
        if (a.zero && Arrays.equals(b.shape, s)) {
            return neg(b);
        }
        return record(new Prims.Sub(), s, unbroadcast(a, s, b), unbroadcast(b, s, a));
    }

    @Override
    public Var mul(Var a, Var b) {
        long[] s = Shapes.broadcast(a.shape, b.shape);
        if (a.zero || b.zero) {
            return filled(s, a.dtype, 0.0);
        }
        return record(new Prims.Mul(), s, unbroadcast(a, s, b), unbroadcast(b, s, a));
    }

    @Override
    public Var div(Var a, Var b) {
        long[] s = Shapes.broadcast(a.shape, b.shape);
        return record(new Prims.Div(), s, unbroadcast(a, s, b), unbroadcast(b, s, a));
    }

    /**
     * {@code a + b} as one concatenation when they are zeros but for two adjacent ranges of one axis that together fill
     * it (the cotangents of two slices that cover an array, e.g. the queries and keys of one product), else null.
     */
    private Var joined(Var a, Var b) {
        if (!(a.op instanceof Prims.Embed ea) || !(b.op instanceof Prims.Embed eb) || ea.axis() != eb.axis()
                || ea.size() != eb.size()) {
            return null;
        }
        Var first = ea.from() <= eb.from() ? a : b;
        Var second = first == a ? b : a;
        Prims.Embed f = (Prims.Embed) first.op;
        Prims.Embed g = (Prims.Embed) second.op;
        long fLen = first.in[0].shape[f.axis()];
        long gLen = second.in[0].shape[g.axis()];
        if (f.from() != 0 || g.from() != fLen || fLen + gLen != f.size()) {
            return null;
        }
        return concat(f.axis(), first.in[0], second.in[0]);
    }

    /**
     * {@code a} itself, or the array a {@link Prims.BroadcastTo} repeated when the op's broadcast against {@code other}
     * gives {@code out} without it (the repetition is left to the op).
     */
    private static Var unbroadcast(Var a, long[] out, Var other) {
        if (a.op instanceof Prims.BroadcastTo) {
            Var src = a.in[0];
            if (Arrays.equals(Shapes.broadcast(src.shape, other.shape), out)) {
                return src;
            }
        }
        return a;
    }

    @Override
    public Var add(Var a, double s) {
        if (s == 0) {
            return a;
        }
        return a.zero ? filled(a.shape, a.dtype, s) : record(new Prims.AddScalar(s), a.shape, a);
    }

    @Override
    public Var mul(Var a, double s) {
        if (s == 1) {
            return a;
        }
        if (s == 0 || a.zero) {
            return filled(a.shape, a.dtype, 0.0);
        }
        if (s == -1) {
            return neg(a);
        }
        return record(new Prims.MulScalar(s), a.shape, a);
    }

    @Override
    public Var rdiv(Var a, double s) {
        return record(new Prims.RdivScalar(s), a.shape, a);
    }

    @Override
    public Var neg(Var a) {
        if (a.zero) {
            return a;
        }
        if (a.op instanceof Prims.Neg) {
            return a.in[0];
        }
        return record(new Prims.Neg(), a.shape, a);
    }

    @Override
    public Var exp(Var a) {
        return record(new Prims.Exp(), a.shape, a);
    }

    @Override
    public Var log(Var a) {
        return record(new Prims.Log(), a.shape, a);
    }

    @Override
    public Var abs(Var a) {
        return a.zero ? a : record(new Prims.Abs(), a.shape, a);
    }

    @Override
    public Var sqrt(Var a) {
        return a.zero ? a : record(new Prims.Sqrt(), a.shape, a);
    }

    @Override
    public Var square(Var a) {
        return a.zero ? a : record(new Prims.Square(), a.shape, a);
    }

    @Override
    public Var pow(Var a, double p) {
        if (p == 1) {
            return a;
        }
        if (p == 0) {
            return filled(a.shape, a.dtype, 1.0);
        }
        if (p == 2) {
            return square(a);
        }
        return a.zero && p > 0 ? a : record(new Prims.Pow(p), a.shape, a);
    }

    @Override
    public Var tanh(Var a) {
        return a.zero ? a : record(new Prims.Tanh(), a.shape, a);
    }

    @Override
    public Var sigmoid(Var a) {
        return record(new Prims.Sigmoid(), a.shape, a);
    }

    @Override
    public Var relu(Var a) {
        return a.zero ? a : record(new Prims.Relu(), a.shape, a);
    }

    @Override
    public Var step(Var a) {
        return a.zero ? a : record(new Prims.Step(), a.shape, a);
    }

    @Override
    public Var softplus(Var a) {
        return record(new Prims.Softplus(), a.shape, a);
    }

    @Override
    public Var sin(Var a) {
        return a.zero ? a : record(new Prims.Sin(), a.shape, a);
    }

    @Override
    public Var cos(Var a) {
        return record(new Prims.Cos(), a.shape, a);
    }

    @Override
    public Var sum(Var a, boolean keep, int... axes) {
        int[] ax = normalise(a, axes);
        long[] s = Shapes.reduce(a.shape, keep, ax);
        if (a.zero) {
            return filled(s, a.dtype, 0.0);
        }
        if (onlySizeOne(a.shape, ax)) {
            return reshape(a, s);
        }
        return record(new Prims.Sum(keep, ax), s, a);
    }

    @Override
    public Var max(Var a, boolean keep, int... axes) {
        int[] ax = normalise(a, axes);
        long[] s = Shapes.reduce(a.shape, keep, ax);
        if (onlySizeOne(a.shape, ax)) {
            return reshape(a, s);
        }
        return record(new Prims.Max(keep, ax), s, a);
    }

    private static int[] normalise(Var a, int[] axes) {
        int[] ax = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            ax[i] = axes[i] < 0 ? axes[i] + a.shape.length : axes[i];
            if (ax[i] < 0 || ax[i] >= a.shape.length) {
                throw new IllegalArgumentException("axis " + axes[i] + " of an array of shape " + Shapes.str(a.shape));
            }
        }
        Arrays.sort(ax);
        return ax;
    }

    private static boolean onlySizeOne(long[] shape, int[] axes) {
        for (int ax : axes) {
            if (shape[ax] != 1) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Var logSumExp(Var a, boolean keep, int axis) {
        int ax = normalise(a, new int[] {axis})[0];
        return record(new Prims.LogSumExp(keep, ax), Shapes.reduce(a.shape, keep, ax), a);
    }

    @Override
    public Var expOfDifference(Var a, Var b) {
        return record(new Prims.ExpOfDifference(), Shapes.broadcast(a.shape, b.shape), a, b);
    }

    @Override
    public Var softmax(Var a, int axis) {
        return record(new Prims.Softmax(normalise(a, new int[] {axis})[0]), a.shape, a);
    }

    /** The log-sum-exp, and the soft-max as {@code exp(a - lse)}: two ops, each with its own product back. */
    @Override
    public Softmax<Var> softmaxWithLogSumExp(Var a, int axis) {
        Var lse = logSumExp(a, true, axis);
        return new Softmax<>(softmax(a, axis), lse);
    }

    @Override
    public Var standardDeviation(Var a, double eps) {
        long[] s = a.shape.clone();
        s[s.length - 1] = 1;
        return record(new Prims.StandardDeviation(eps), s, a);
    }

    @Override
    public Var standardize(Var a, double eps) {
        return record(new Prims.Standardize(eps), a.shape, a);
    }

    @Override
    public Var dotPerSample(Var a, Var b) {
        if (a.shape.length < 2 || !Arrays.equals(a.shape, b.shape)) {
            return Ops.super.dotPerSample(a, b);
        }
        if (a.zero || b.zero) {
            return filled(new long[] {a.shape[0]}, a.dtype, 0.0);
        }
        return record(new Prims.DotPerSample(), new long[] {a.shape[0]}, a, b);
    }

    @Override
    public Var mmul(Var a, Var b, boolean transA, boolean transB) {
        return mmul(a, b, transA, transB, 1.0);
    }

    @Override
    public Var mmul(Var a, Var b, boolean transA, boolean transB, double s) {
        long[] shape = productShape(a, b, transA, transB);
        if (a.zero || b.zero || s == 0) {
            return filled(shape, a.dtype, 0.0);
        }
        return record(new Prims.Mmul(transA, transB, s), shape, a, b);
    }

    @Override
    public Var mmul(Var a, Var b, boolean transA, boolean transB, Var c) {
        if (Shapes.size(c.shape) != 1) {
            return Ops.super.mmul(a, b, transA, transB, c);
        }
        long[] shape = productShape(a, b, transA, transB);
        if (a.zero || b.zero || c.zero) {
            return filled(shape, a.dtype, 0.0);
        }
        return record(new Prims.MmulScaled(transA, transB), shape, a, b, c);
    }

    private static long[] productShape(Var a, Var b, boolean transA, boolean transB) {
        if (a.shape.length != 2 || b.shape.length != 2) {
            throw new IllegalArgumentException("a matrix product needs 2-D arrays, got " + Shapes.str(a.shape) + " and "
                    + Shapes.str(b.shape));
        }
        long k = transA ? a.shape[0] : a.shape[1];
        if (k != (transB ? b.shape[1] : b.shape[0])) {
            throw new IllegalArgumentException("matrix product of " + Shapes.str(a.shape) + (transA ? "^T" : "") + " and "
                    + Shapes.str(b.shape) + (transB ? "^T" : "") + ": inner sizes differ");
        }
        return new long[] {transA ? a.shape[1] : a.shape[0], transB ? b.shape[0] : b.shape[1]};
    }

    @Override
    public Var bmmul(Var a, Var b, boolean transA, boolean transB) {
        long n = a.shape[0];
        long m = transA ? a.shape[2] : a.shape[1];
        long p = transB ? b.shape[1] : b.shape[2];
        return record(new Prims.Bmmul(transA, transB), new long[] {n, m, p}, a, b);
    }

    @Override
    public Var headScores(Var a, Var c, Var scale, Var bias) {
        long[] s = {a.shape[0], a.shape[2], a.shape[1], c.shape[1]};
        return bias == null ? record(new Prims.HeadScores(false), s, a, c, scale)
                : record(new Prims.HeadScores(true), s, a, c, scale, bias);
    }

    @Override
    public Var headMix(Var p, Var v, boolean transP) {
        long n = transP ? p.shape[3] : p.shape[2];
        return record(new Prims.HeadMix(transP), new long[] {p.shape[0], n, p.shape[1], v.shape[3]}, p, v);
    }

    @Override
    public Var headMixBoth(Var p, Var v, Var u) {
        return record(new Prims.HeadMixBoth(), new long[] {p.shape[0], p.shape[2], 2 * p.shape[1], v.shape[3]}, p, v, u);
    }

    @Override
    public Var reshape(Var a, long... shape) {
        if (Shapes.size(shape) != Shapes.size(a.shape)) {
            throw new IllegalArgumentException("cannot reshape " + Shapes.str(a.shape) + " to " + Shapes.str(shape));
        }
        if (Arrays.equals(a.shape, shape)) {
            return a;
        }
        if (a.zero) {
            return filled(shape.clone(), a.dtype, 0.0);
        }
        Var src = a.op instanceof Prims.Reshape ? a.in[0] : a;
        return Arrays.equals(src.shape, shape) ? src : record(new Prims.Reshape(shape.clone()), shape.clone(), src);
    }

    @Override
    public Var permute(Var a, int... axes) {
        long[] s = new long[axes.length];
        boolean identity = true;
        for (int i = 0; i < axes.length; i++) {
            s[i] = a.shape[axes[i]];
            identity &= axes[i] == i;
        }
        if (identity) {
            return a;
        }
        return a.zero ? filled(s, a.dtype, 0.0) : record(new Prims.Permute(axes.clone()), s, a);
    }

    @Override
    public Var concat(int axis, Var a, Var b) {
        int ax = axis < 0 ? axis + a.shape.length : axis;
        long[] s = a.shape.clone();
        s[ax] += b.shape[ax];
        return record(new Prims.Concat(ax), s, a, b);
    }

    @Override
    public Var slice(Var a, int axis, long from, long to) {
        int ax = axis < 0 ? axis + a.shape.length : axis;
        if (from == 0 && to == a.shape[ax]) {
            return a;
        }
        long[] s = a.shape.clone();
        s[ax] = to - from;
        if (a.zero) {
            return filled(s, a.dtype, 0.0);
        }
        return record(new Prims.Slice(ax, from, to), s, a);
    }

    @Override
    public Var constant(Var like, INDArray value) {
        return constant(value, like.dtype);
    }

    @Override
    public Var conv2d(Var x, Var w, int sH, int sW, int pH, int pW) {
        long[] s = {x.shape[0], w.shape[0], Ops.convOutSize(x.shape[2], w.shape[2], sH, pH),
                Ops.convOutSize(x.shape[3], w.shape[3], sW, pW)};
        return record(new Prims.Conv2d(sH, sW, pH, pW), s, x, w);
    }

    @Override
    public Var conv2dTranspose(Var y, Var w, long h, long wd, int sH, int sW, int pH, int pW) {
        return record(new Prims.Conv2dTranspose(h, wd, sH, sW, pH, pW), new long[] {y.shape[0], w.shape[1], h, wd}, y, w);
    }

    // ---- ops the backward pass adds ----

    /** {@code c step(a)}: {@code c} where {@code a > 0}, else 0 (the product back through a relu). */
    Var wherePositive(Var c, Var a) {
        if (c.zero || !Arrays.equals(c.shape, a.shape)) {
            return mul(c, step(a));
        }
        return record(new Prims.WherePositive(), c.shape, c, a);
    }

    /** The gradient of {@code <y, conv2d(x, w)>} in {@code w} ({@code [O, C, kH, kW]}), for {@code x [B, C, H, W]}, {@code y [B, O, Ho, Wo]}. */
    Var convWeightGradient(Var x, Var y, long kH, long kW, int sH, int sW, int pH, int pW) {
        return record(new Prims.ConvWeightGradient(kH, kW, sH, sW, pH, pW), new long[] {y.shape[1], x.shape[1], kH, kW}, x, y);
    }

    /** {@code a} repeated to {@code shape} (NumPy broadcasting). */
    Var broadcastTo(Var a, long[] shape) {
        if (Arrays.equals(a.shape, shape)) {
            return a;
        }
        Shapes.broadcast(a.shape, shape);
        return a.zero ? filled(shape.clone(), a.dtype, 0.0) : record(new Prims.BroadcastTo(shape.clone()), shape.clone(), a);
    }

    /** {@code ct} summed over the axes along which an array of {@code shape} was broadcast to it, as {@code shape}. */
    Var sumTo(Var ct, long[] shape) {
        if (ct == null || Arrays.equals(ct.shape, shape)) {
            return ct;
        }
        int lead = ct.shape.length - shape.length;
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < ct.shape.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && ct.shape[i] != 1)) {
                axes.add(i);
            }
        }
        Var s = axes.isEmpty() ? ct : sum(ct, true, axes.stream().mapToInt(Integer::intValue).toArray());
        return reshape(s, shape);
    }

    /** {@code a} placed at {@code [from, from + n)} along {@code axis} of zeros of length {@code size} there. */
    Var embed(Var a, int axis, long from, long size) {
        if (from == 0 && size == a.shape[axis]) {
            return a;
        }
        long[] s = a.shape.clone();
        s[axis] = size;
        return a.zero ? filled(s, a.dtype, 0.0) : record(new Prims.Embed(axis, from, size), s, a);
    }

    /** {@code a} as the value of slot {@code slot} of a synapse: equal to {@code a}, a value of its own (see {@link #gradients}). */
    public Var slot(Var a, int slot) {
        return record(new Prims.SlotOf(slot), a.shape, a);
    }

    // ---- gradients ----

    /**
     * The gradient of {@code sum(y)} (every element of {@code y} summed) with respect to each of {@code wrt}, shaped like
     * it (zeros where {@code y} does not depend on it), recorded on this tape.
     */
    public List<Var> gradients(Var y, List<Var> wrt) {
        return vjp(y, full(y, 1.0), wrt);
    }

    /**
     * The vector-Jacobian product {@code (dy/dw)^T ct} for each {@code w} of {@code wrt}: the gradient of {@code <ct, y>}
     * with {@code ct} held fixed, shaped like {@code w}, recorded on this tape (so it can be differentiated again).
     */
    public List<Var> vjp(Var y, Var ct, List<Var> wrt) {
        if (!Arrays.equals(y.shape, ct.shape)) {
            throw new IllegalArgumentException("the cotangent has shape " + Shapes.str(ct.shape) + ", not that of the value, "
                    + Shapes.str(y.shape));
        }
        // the values between wrt and y: reachable back from y, and depending on one of wrt
        BitSet wanted = new BitSet();
        wrt.forEach(w -> wanted.set(w.id));
        BitSet before = ancestors(List.of(y));
        BitSet depends = new BitSet();
        for (int i = before.nextSetBit(0); i >= 0; i = before.nextSetBit(i + 1)) {
            Var v = nodes.get(i);
            boolean d = wanted.get(i);
            if (!d && v.in != null) {
                for (Var u : v.in) {
                    d |= depends.get(u.id);
                }
            }
            if (d) {
                depends.set(i);
            }
        }
        Map<Integer, Var> cts = new HashMap<>();
        if (depends.get(y.id)) {
            cts.put(y.id, ct);
        }
        // ids are a topological order: every op comes after its inputs
        for (int i = y.id; i >= 0; i = depends.previousSetBit(i - 1)) {
            if (!depends.get(i)) {
                continue;
            }
            Var v = nodes.get(i);
            Var c = cts.get(i);
            if (c == null || v.kind != Var.Kind.OP) {
                continue;
            }
            Var[] in = v.op.vjp(this, v, c);
            for (int k = 0; k < in.length; k++) {
                Var u = v.in[k];
                if (in[k] != null && depends.get(u.id)) {
                    cts.merge(u.id, in[k], this::add);
                }
            }
        }
        List<Var> out = new ArrayList<>();
        for (Var w : wrt) {
            Var g = cts.get(w.id);
            out.add(g != null ? g : full(w, 0.0));
        }
        return out;
    }

    /** The ids of {@code outputs} and of every value they are computed from. */
    BitSet ancestors(List<Var> outputs) {
        BitSet seen = new BitSet();
        ArrayList<Var> stack = new ArrayList<>(outputs);
        while (!stack.isEmpty()) {
            Var v = stack.remove(stack.size() - 1);
            if (v.tape != this) {
                throw new IllegalArgumentException(v + " is of another tape");
            }
            if (seen.get(v.id)) {
                continue;
            }
            seen.set(v.id);
            if (v.in != null) {
                for (Var u : v.in) {
                    if (!seen.get(u.id)) {
                        stack.add(u);
                    }
                }
            }
        }
        return seen;
    }

    Var node(int id) {
        return nodes.get(id);
    }

    // ---- evaluation ----

    /** Computes the arrays of {@code outputs} that are not yet known, and of every value they need. */
    public void evaluate(Var... outputs) {
        BitSet need = ancestors(List.of(outputs));
        for (int i = need.nextSetBit(0); i >= 0; i = need.nextSetBit(i + 1)) {
            Var v = nodes.get(i);
            if (v.value == null) {
                compute(v);
            }
        }
    }

    /** The array of {@code v} from those of its inputs (which must be known). */
    void compute(Var v) {
        if (v.kind == Var.Kind.INPUT) {
            throw new HamuxException("input '" + v.name + "' " + Shapes.str(v.shape) + " has no array: give it one with set()");
        }
        INDArray[] args = new INDArray[v.in.length];
        for (int k = 0; k < args.length; k++) {
            args[k] = v.in[k].value;
        }
        v.value = v.op.eval(exec, args);
    }

    /**
     * {@code f} of {@code inputs}, recorded on a new tape of their data type and evaluated at once: e.g. a user's energy,
     * or its gradient, on arrays. The inputs are read, never written.
     */
    public static List<INDArray> apply(List<INDArray> inputs, java.util.function.BiFunction<Tape, List<Var>, List<Var>> f) {
        Tape t = new Tape(inputs.get(0).dataType());
        List<Var> in = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            in.add(t.input("input " + i, inputs.get(i)));
        }
        return t.values(f.apply(t, in));
    }

    /** A plan that computes {@code outputs} (and whatever they need) each time it is run. */
    public Plan plan(List<Var> outputs) {
        return new Plan(this, outputs);
    }

    /** The arrays of {@code values}, each computed if it was not yet. */
    public List<INDArray> values(List<Var> values) {
        evaluate(values.toArray(Var[]::new));
        return values.stream().map(v -> v.value).toList();
    }
}

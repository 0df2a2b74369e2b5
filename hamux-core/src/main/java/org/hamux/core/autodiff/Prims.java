package org.hamux.core.autodiff;

import java.util.Arrays;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The primitives of the {@link Tape}: for each op of {@link Ops} (and the few the backward pass adds), its
 * evaluation, which hands the work to the eager ops (the fast kernels on the CPU, ND4J's ops elsewhere), and its
 * vector-Jacobian product. {@code ct} is the cotangent of the result {@code out}; {@code a, b, ...} its inputs.
 */
final class Prims {

    private Prims() {
    }

    private static Var[] of(Var... cts) {
        return cts;
    }

    // ---- element-wise, broadcasting ----

    /** {@code a + b}: {@code da = ct}, {@code db = ct}, each summed to its input's shape. */
    record Add() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.add(in[0], in[1]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.sumTo(ct, out.in[0].shape), t.sumTo(ct, out.in[1].shape));
        }
    }

    /** {@code a - b}: {@code da = ct}, {@code db = -ct}. */
    record Sub() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.sub(in[0], in[1]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.sumTo(ct, out.in[0].shape), t.sumTo(t.neg(ct), out.in[1].shape));
        }
    }

    /** {@code a b}: {@code da = ct b}, {@code db = ct a}. */
    record Mul() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.mul(in[0], in[1]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            Var b = out.in[1];
            return of(t.sumTo(t.mul(ct, b), a.shape), t.sumTo(t.mul(ct, a), b.shape));
        }
    }

    /** {@code a / b}: {@code da = ct / b}, {@code db = -ct a / b^2 = -ct out / b}. */
    record Div() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.div(in[0], in[1]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            Var b = out.in[1];
            Var ctOverB = t.div(ct, b);
            return of(t.sumTo(ctOverB, a.shape), t.sumTo(t.neg(t.mul(ctOverB, out)), b.shape));
        }
    }

    /** {@code exp(a - b)}: {@code da = ct out}, {@code db = -ct out}. */
    record ExpOfDifference() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.expOfDifference(in[0], in[1]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var d = t.mul(ct, out);
            return of(t.sumTo(d, out.in[0].shape), t.sumTo(t.neg(d), out.in[1].shape));
        }
    }

    /** {@code a + s}: {@code da = ct}. */
    record AddScalar(double s) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.add(in[0], s);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(ct);
        }
    }

    /** {@code s a}: {@code da = s ct}. */
    record MulScalar(double s) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.mul(in[0], s);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.mul(ct, s));
        }
    }

    /** {@code s / a}: {@code da = -ct s / a^2 = -ct out / a}. */
    record RdivScalar(double s) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.rdiv(in[0], s);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.neg(t.div(t.mul(ct, out), out.in[0])));
        }
    }

    // ---- element-wise, one input ----

    /** {@code -a}. */
    record Neg() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.neg(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.neg(ct));
        }
    }

    /** {@code e^a}: {@code da = ct out}. */
    record Exp() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.exp(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.mul(ct, out));
        }
    }

    /** {@code log a}: {@code da = ct / a}. */
    record Log() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.log(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.div(ct, out.in[0]));
        }
    }

    /** {@code |a|}: {@code da = ct sign(a)}, {@code sign(a) = step(a) - step(-a)}. */
    record Abs() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.abs(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            return of(t.mul(ct, t.sub(t.step(a), t.step(t.neg(a)))));
        }
    }

    /** {@code sqrt(a)}: {@code da = ct / (2 out)}. */
    record Sqrt() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.sqrt(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.div(t.mul(ct, 0.5), out));
        }
    }

    /** {@code a^2}: {@code da = 2 a ct}. */
    record Square() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.square(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.mul(t.mul(ct, out.in[0]), 2.0));
        }
    }

    /**
     * {@code a^p}: {@code da = ct p a^(p-1)}. Below {@code p = 1} the slope is infinite at {@code a = 0}; it is taken as 0
     * there (an exact zero comes from a relu or a step, whose own slope is 0: {@code inf * 0} would give NaN).
     */
    record Pow(double p) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.pow(in[0], p);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            Var slope = p == 2 ? a : t.pow(a, p - 1);
            if (p < 1) {
                slope = t.wherePositive(slope, a);
            }
            return of(t.mul(t.mul(ct, slope), p));
        }
    }

    /** {@code tanh a}: {@code da = ct (1 - out^2)}. */
    record Tanh() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.tanh(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.mul(ct, t.add(t.neg(t.square(out)), 1.0)));
        }
    }

    /** {@code sigmoid a}: {@code da = ct out (1 - out)}. */
    record Sigmoid() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.sigmoid(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.mul(ct, t.mul(out, t.add(t.neg(out), 1.0))));
        }
    }

    /** {@code max(a, 0)}: {@code da = ct step(a)}. */
    record Relu() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.relu(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.wherePositive(ct, out.in[0]));
        }
    }

    /** {@code c step(a)}, {@code c} where {@code a > 0} (one shape): {@code dc = ct step(a)}; {@code a} only selects. */
    record WherePositive() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e instanceof EagerOps eager ? eager.wherePositive(in[0], in[1]) : e.mul(in[0], e.step(in[1]));
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.wherePositive(ct, out.in[1]), null);
        }
    }

    /** {@code 1} where {@code a > 0}, else 0: its derivative is zero wherever it has one. */
    record Step() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.step(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of((Var) null);
        }
    }

    /** {@code log(1 + e^a)}: {@code da = ct sigmoid(a)}. */
    record Softplus() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.softplus(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.mul(ct, t.sigmoid(out.in[0])));
        }
    }

    /** {@code sin a}: {@code da = ct cos a}. */
    record Sin() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.sin(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.mul(ct, t.cos(out.in[0])));
        }
    }

    /** {@code cos a}: {@code da = -ct sin a}. */
    record Cos() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.cos(in[0]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.neg(t.mul(ct, t.sin(out.in[0]))));
        }
    }

    // ---- reductions and their kin ----

    /** {@code sum over axes}: {@code da = ct} broadcast back over the summed axes. */
    record Sum(boolean keep, int[] axes) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.sum(in[0], keep, axes);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            long[] s = out.in[0].shape;
            return of(t.broadcastTo(t.reshape(ct, Shapes.reduce(s, true, axes)), s));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sum p && keep == p.keep && Arrays.equals(axes, p.axes);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(axes) + (keep ? 1 : 0);
        }

        @Override
        public String toString() {
            return "Sum(keep=" + keep + ", axes=" + Arrays.toString(axes) + ")";
        }
    }

    /**
     * {@code max over axes}: {@code da = ct} where {@code a} equals its max ({@code 1 - step(max - a)}), else 0 (every
     * maximal element of a tie gets it).
     */
    record Max(boolean keep, int[] axes) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.max(in[0], keep, axes);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            long[] kept = Shapes.reduce(a.shape, true, axes);
            Var isMax = t.add(t.neg(t.step(t.sub(t.reshape(out, kept), a))), 1.0);
            return of(t.mul(isMax, t.reshape(ct, kept)));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Max p && keep == p.keep && Arrays.equals(axes, p.axes);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(axes) + (keep ? 3 : 2);
        }

        @Override
        public String toString() {
            return "Max(keep=" + keep + ", axes=" + Arrays.toString(axes) + ")";
        }
    }

    /** {@code log sum exp(a)} over {@code axis}: {@code da = ct softmax(a)}. */
    record LogSumExp(boolean keep, int axis) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.logSumExp(in[0], keep, axis);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            return of(t.mul(t.softmax(a, axis), t.reshape(ct, Shapes.reduce(a.shape, true, axis))));
        }
    }

    /** {@code p = softmax(a)} over {@code axis}: {@code da = p (ct - sum(ct p))}. */
    record Softmax(int axis) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.softmax(in[0], axis);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.mul(out, t.sub(ct, t.sum(t.mul(ct, out), true, axis))));
        }
    }

    /** {@code s = sqrt(var + eps)} of each row of the last axis, {@code [..., 1]}: {@code da = ct (a - mean) / (D s)}. */
    record StandardDeviation(double eps) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.standardDeviation(in[0], eps);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            return of(t.mul(t.standardize(a, eps), t.mul(ct, 1.0 / a.shape[a.shape.length - 1])));
        }
    }

    /** {@code y = (a - mean) / s} per row of the last axis: {@code da = (ct - mean(ct) - y mean(ct y)) / s}. */
    record Standardize(double eps) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.standardize(in[0], eps);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            int last = a.shape.length - 1;
            Var centred = t.sub(ct, t.mean(ct, true, last));
            Var d = t.sub(centred, t.mul(out, t.mean(t.mul(ct, out), true, last)));
            return of(t.div(d, t.standardDeviation(a, eps)));
        }
    }

    /** {@code sum over non-batch axes of a b} for one shape: {@code da = ct b}, {@code db = ct a}, per sample. */
    record DotPerSample() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.dotPerSample(in[0], in[1]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            long[] col = new long[a.shape.length];
            Arrays.fill(col, 1);
            col[0] = a.shape[0];
            Var c = t.reshape(ct, col);
            return of(t.mul(out.in[1], c), t.mul(a, c));
        }
    }

    // ---- products ----

    /**
     * {@code s op(a) op(b)}: with {@code C' = op(a)}, {@code B' = op(b)}, {@code dA' = s ct B'^T}, {@code dB' = s A'^T ct},
     * transposed back where the input was.
     */
    record Mmul(boolean transA, boolean transB, double s) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.mmul(in[0], in[1], transA, transB, s);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            Var b = out.in[1];
            Var da = transA ? t.mmul(b, ct, transB, true, s) : t.mmul(ct, b, false, !transB, s);
            Var db = transB ? t.mmul(ct, a, true, transA, s) : t.mmul(a, ct, !transA, false, s);
            return of(da, db);
        }
    }

    /** {@code c op(a) op(b)} for a one-element {@code c}: as {@link Mmul}, and {@code dc = sum(ct op(a) op(b))}. */
    record MmulScaled(boolean transA, boolean transB) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.mmul(in[0], in[1], transA, transB, in[2]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            Var b = out.in[1];
            Var c = out.in[2];
            Var da = transA ? t.mmul(b, ct, transB, true, c) : t.mmul(ct, b, false, !transB, c);
            Var db = transB ? t.mmul(ct, a, true, transA, c) : t.mmul(a, ct, !transA, false, c);
            Var dc = t.reshape(t.sum(t.mul(ct, t.mmul(a, b, transA, transB)), false, 0, 1), c.shape);
            return of(da, db, dc);
        }
    }

    /** Batched {@code op(a[i]) op(b[i])}: as {@link Mmul} for every {@code i}. */
    record Bmmul(boolean transA, boolean transB) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.bmmul(in[0], in[1], transA, transB);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            Var b = out.in[1];
            Var da = transA ? t.bmmul(b, ct, transB, true) : t.bmmul(ct, b, false, !transB);
            Var db = transB ? t.bmmul(ct, a, true, transA) : t.bmmul(a, ct, !transA, false);
            return of(da, db);
        }
    }

    /**
     * {@code s[b,h,q,k] = scale_h sum_y a[b,q,h,y] c[b,k,h,y] (+ bias[q,k])}: {@code da = headMix(ct scale, c)},
     * {@code dc = headMix(ct scale, a, transposed)}, {@code dscale_h = sum ct s_unscaled}, {@code dbias = sum_{b,h} ct}.
     */
    record HeadScores(boolean bias) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.headScores(in[0], in[1], in[2], bias ? in[3] : null);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var a = out.in[0];
            Var c = out.in[1];
            Var scale = out.in[2];
            boolean perHead = scale.shape.length == 1;
            Var ctScaled = t.mul(ct, perHead ? t.reshape(scale, 1, scale.shape[0], 1, 1) : scale);
            Var da = t.headMix(ctScaled, c, false);
            Var dc = t.headMix(ctScaled, a, true);
            Var raw = t.headScores(a, c, t.full(scale, 1.0), null);
            Var prod = t.mul(ct, raw);
            Var dscale = perHead ? t.sum(prod, false, 0, 2, 3) : t.reshape(t.sum(prod, false, 0, 1, 2, 3), scale.shape);
            return bias ? of(da, dc, dscale, t.sumTo(ct, out.in[3].shape)) : of(da, dc, dscale);
        }
    }

    /**
     * {@code r[b,q,h,y] = sum_k p[b,h,q,k] v[b,k,h,y]} ({@code transP}: {@code r[b,k,h,y] = sum_q p[b,h,q,k] v[b,q,h,y]}):
     * {@code dp} is the head scores of {@code ct} and {@code v}, {@code dv} the sum by {@code p} the other way.
     */
    record HeadMix(boolean transP) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.headMix(in[0], in[1], transP);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var p = out.in[0];
            Var v = out.in[1];
            Var one = t.scalar(1.0, p.dtype);
            Var dp = transP ? t.headScores(v, ct, one, null) : t.headScores(ct, v, one, null);
            return of(dp, t.headMix(p, ct, !transP));
        }
    }

    /** {@code headMix(p, v)} in heads {@code 0..H-1} and {@code headMix(p, u, transposed)} in heads {@code H..2H-1}. */
    record HeadMixBoth() implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.headMixBoth(in[0], in[1], in[2]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var p = out.in[0];
            Var v = out.in[1];
            Var u = out.in[2];
            long h = p.shape[1];
            Var ct1 = t.slice(ct, 2, 0, h);
            Var ct2 = t.slice(ct, 2, h, 2 * h);
            Var one = t.scalar(1.0, p.dtype);
            Var dp = t.add(t.headScores(ct1, v, one, null), t.headScores(u, ct2, one, null));
            return of(dp, t.headMix(p, ct1, true), t.headMix(p, ct2, false));
        }
    }

    // ---- shapes ----

    /**
     * {@code a} itself, as the value of slot {@code slot} of a synapse: a value of its own, so that a layer that fills two
     * slots gets a partial derivative for each. {@code da = ct}.
     */
    record SlotOf(int slot) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return in[0];
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(ct);
        }
    }

    /** Row-major reshape: {@code da = ct} reshaped back. */
    record Reshape(long[] to) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.reshape(in[0], to);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.reshape(ct, out.in[0].shape));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Reshape p && Arrays.equals(to, p.to);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(to);
        }

        @Override
        public String toString() {
            return "Reshape" + Arrays.toString(to);
        }
    }

    /** Axes permuted: {@code da = ct} permuted back. */
    record Permute(int[] axes) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.permute(in[0], axes);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            int[] back = new int[axes.length];
            for (int i = 0; i < axes.length; i++) {
                back[axes[i]] = i;
            }
            return of(t.permute(ct, back));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Permute p && Arrays.equals(axes, p.axes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(axes);
        }

        @Override
        public String toString() {
            return "Permute" + Arrays.toString(axes);
        }
    }

    /** {@code a} and {@code b} joined along {@code axis}: each gets its slice of {@code ct}. */
    record Concat(int axis) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.concat(axis, in[0], in[1]);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            long n = out.in[0].shape[axis];
            return of(t.slice(ct, axis, 0, n), t.slice(ct, axis, n, out.shape[axis]));
        }
    }

    /** The entries {@code [from, to)} along {@code axis}: {@code da} is {@code ct} there, zero elsewhere. */
    record Slice(int axis, long from, long to) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.slice(in[0], axis, from, to);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.embed(ct, axis, from, out.in[0].shape[axis]));
        }
    }

    /** {@code a} placed at {@code [from, from + n)} along {@code axis} of zeros of length {@code size}: the adjoint of a slice. */
    record Embed(int axis, long from, long size) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            INDArray a = in[0];
            long[] s = a.shape().clone();
            long before = from;
            long after = size - from - a.size(axis);
            INDArray out = a;
            if (before > 0) {
                s[axis] = before;
                out = e.concat(axis, e.zeros(a, s), out);
            }
            if (after > 0) {
                s[axis] = after;
                out = e.concat(axis, out, e.zeros(a, s));
            }
            return out;
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.slice(ct, axis, from, from + out.in[0].shape[axis]));
        }
    }

    /** {@code a} repeated along the axes where it has size 1 (or lacks, in front) to {@code to}: {@code da = ct} summed back. */
    record BroadcastTo(long[] to) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            INDArray a = in[0];
            long[] padded = new long[to.length];
            Arrays.fill(padded, 1);
            long[] s = a.shape();
            System.arraycopy(s, 0, padded, to.length - s.length, s.length);
            INDArray same = Arrays.equals(padded, s) ? a : a.reshape('c', padded);
            return Nd4j.createUninitialized(a.dataType(), to).assign(same.broadcast(to));
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            return of(t.sumTo(ct, out.in[0].shape));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BroadcastTo p && Arrays.equals(to, p.to);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(to);
        }

        @Override
        public String toString() {
            return "BroadcastTo" + Arrays.toString(to);
        }
    }

    // ---- convolution ----

    /** {@code conv2d(x, w)}: {@code dx = conv2dTranspose(ct, w)}, {@code dw = convWeightGradient(x, ct)}. */
    record Conv2d(int sH, int sW, int pH, int pW) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.conv2d(in[0], in[1], sH, sW, pH, pW);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var x = out.in[0];
            Var w = out.in[1];
            return of(t.conv2dTranspose(ct, w, x.shape[2], x.shape[3], sH, sW, pH, pW),
                    t.convWeightGradient(x, ct, w.shape[2], w.shape[3], sH, sW, pH, pW));
        }
    }

    /**
     * {@code z = conv2dTranspose(y, w)}, the adjoint of {@code conv2d(., w)}: {@code dy = conv2d(ct, w)}, and since
     * {@code <ct, z> = <conv2d(ct, w), y>}, {@code dw = convWeightGradient(ct, y)}.
     */
    record Conv2dTranspose(long h, long wd, int sH, int sW, int pH, int pW) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            return e.conv2dTranspose(in[0], in[1], h, wd, sH, sW, pH, pW);
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var w = out.in[1];
            return of(t.conv2d(ct, w, sH, sW, pH, pW), t.convWeightGradient(ct, out.in[0], w.shape[2], w.shape[3], sH, sW, pH, pW));
        }
    }

    /**
     * The gradient of {@code <y, conv2d(x, w)>} in {@code w}: {@code dw[o,c,u,v] = sum_{b,i,j} y[b,o,i,j] xpad[b,c,i sH + u,
     * j sW + v]}, {@code [O, C, kH, kW]}. Bilinear: {@code <ct, dw> = <y, conv2d(x, ct)>}, so {@code dx = conv2dTranspose(y,
     * ct)} and {@code dy = conv2d(x, ct)}.
     */
    record ConvWeightGradient(long kH, long kW, int sH, int sW, int pH, int pW) implements Prim {
        public INDArray eval(Ops<INDArray> e, INDArray[] in) {
            INDArray x = in[0].dup('c');
            INDArray y = in[1].dup('c');
            INDArray w = Nd4j.zeros(x.dataType(), y.size(1), x.size(1), kH, kW);
            INDArray dx = Nd4j.createUninitialized(x.dataType(), x.shape());
            INDArray dw = Nd4j.createUninitialized(x.dataType(), w.shape());
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                    .addInputs(x, w, y)
                    .addOutputs(dx, dw)
                    .addIntegerArguments((int) kH, (int) kW, sH, sW, pH, pW, 1, 1, 0, 0, 1)
                    .build());
            return dw;
        }

        public Var[] vjp(Tape t, Var out, Var ct) {
            Var x = out.in[0];
            return of(t.conv2dTranspose(out.in[1], ct, x.shape[2], x.shape[3], sH, sW, pH, pW), t.conv2d(x, ct, sH, sW, pH, pW));
        }
    }
}

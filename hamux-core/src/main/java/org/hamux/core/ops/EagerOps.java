package org.hamux.core.ops;

import java.util.Arrays;
import java.util.List;
import org.hamux.core.Component;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link Ops} evaluated at once on ND4J arrays, with ND4J's own ops: the plain backend, on any ND4J backend (the CPU,
 * CUDA). Parameters are read from their components as they are. The module {@code hamux-kernels} extends it with
 * SIMD kernels, direct OpenBLAS products and arrays reused from step to step ({@code FastOps}); {@link Backends#standard}
 * is the fastest one on the class path.
 *
 * <p>Besides {@link Ops}, the in-place updates of the dynamics ({@link #addScaledInPlace}) and of the optimizer
 * ({@link #adam}), and the product back through a relu ({@link #wherePositive}).
 */
public class EagerOps implements Ops<INDArray> {

    /** The plain backend: it holds no state. */
    public static final EagerOps INSTANCE = new EagerOps();

    /** For backends that extend it. */
    protected EagerOps() {
    }

    // ---- updates in place ----

    /**
     * {@code y <- y + s x} in place, for {@code x} of {@code y}'s shape and type; returns {@code max |s x|}. {@code x} is
     * read, never written (it may alias a parameter).
     */
    public double addScaledInPlace(INDArray y, double s, INDArray x) {
        if (x.dataType() == y.dataType() && Arrays.equals(x.shape(), y.shape()) && blasDense(x) && blasDense(y)) {
            // BLAS walks the buffers linearly: only dense row-major arrays (a permuted view would be read wrong)
            Nd4j.getBlasWrapper().level1().axpy(y.length(), s, x, y);
            return Math.abs(s) * x.amaxNumber().doubleValue();
        }
        INDArray d = x.mul(s);
        y.addi(d);
        return d.amaxNumber().doubleValue();
    }

    /**
     * {@code y <- y + s sum_t x_t} in place for the terms {@code x_t} of {@code y}'s shape and type (e.g. the terms
     * of {@code dE/dg}: a layer's own and each synapse's); returns {@code max |s sum_t x_t|}.
     */
    public double addScaledInPlace(INDArray y, double s, List<INDArray> terms) {
        INDArray sum = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            sum = add(sum, terms.get(i));
        }
        return addScaledInPlace(y, s, sum);
    }

    private static boolean blasDense(INDArray a) {
        return a.ordering() == 'c' && a.offset() == 0 && Shape.hasDefaultStridesForShape(a);
    }

    /**
     * Adam's update of a parameter and its moments in place, {@code g' = s g + l2 p}, {@code m <- b1 m + (1 - b1) g'},
     * {@code v <- b2 v + (1 - b2) g'^2}, {@code p <- decay p - (lr / c1) m / (sqrt(v / c2) + eps)}; {@code g} is read,
     * never written.
     */
    public void adam(INDArray p, INDArray g, INDArray m, INDArray v, double s, double l2, double b1, double b2,
                     double lrOverC1, double c2, double eps, double decay) {
        INDArray grad = g.castTo(p.dataType()).mul(s);
        if (l2 > 0) {
            grad.addi(p.mul(l2));
        }
        if (decay != 1) {
            p.muli(decay);
        }
        m.muli(b1).addi(grad.mul(1 - b1));
        v.muli(b2).addi(grad.mul(grad).muli(1 - b2));
        INDArray denom = Transforms.sqrt(v.div(c2), false).addi(eps);
        p.subi(m.div(denom).muli(lrOverC1));
    }

    /** {@code c step(a)}: {@code c} where {@code a > 0}, else 0 ({@code c} and {@code a} of one shape). */
    public INDArray wherePositive(INDArray c, INDArray a) {
        return c.putWhereWithMask(a.lte(0.0), 0.0);     // a put (into a copy), not a product: an infinite c gives 0
    }

    // ---- Ops ----

    @Override
    public INDArray param(Component owner, String name) {
        return owner.parameter(name);
    }

    @Override
    public INDArray full(INDArray like, double value) {
        return Nd4j.valueArrayOf(like.shape(), value, like.dataType());
    }

    @Override
    public INDArray zeros(INDArray like, long... shape) {
        return Nd4j.zeros(like.dataType(), shape);
    }

    @Override
    public long[] shape(INDArray a) {
        return a.shape();
    }

    @Override
    public INDArray add(INDArray a, INDArray b) {
        if (isScalarOf(b, a)) {
            return add(a, b.getDouble(0));
        }
        if (isScalarOf(a, b)) {
            return b.add(a.getDouble(0));
        }
        return broadcast(a, b, '+');
    }

    @Override
    public INDArray sub(INDArray a, INDArray b) {
        if (isScalarOf(b, a)) {
            return add(a, -b.getDouble(0));
        }
        if (isScalarOf(a, b)) {
            return b.rsub(a.getDouble(0));
        }
        return broadcast(a, b, '-');
    }

    @Override
    public INDArray mul(INDArray a, INDArray b) {
        if (isScalarOf(b, a)) {
            return mul(a, b.getDouble(0));
        }
        if (isScalarOf(a, b)) {
            return b.mul(a.getDouble(0));
        }
        return broadcast(a, b, '*');
    }

    @Override
    public INDArray div(INDArray a, INDArray b) {
        if (isScalarOf(b, a)) {
            return a.div(b.getDouble(0));
        }
        if (isScalarOf(a, b)) {
            return b.rdiv(a.getDouble(0));
        }
        return broadcast(a, b, '/');
    }

    /**
     * {@code a op b} by ND4J, broadcasting NumPy-style: ND4J's {@code a.op(b)} gives a result of {@code a}'s shape, so
     * {@code a} is first repeated to the result's shape where it is smaller.
     */
    private static INDArray broadcast(INDArray a, INDArray b, char op) {
        long[] s = Shapes.broadcast(a.shape(), b.shape());
        INDArray big = a;
        if (!Arrays.equals(a.shape(), s)) {
            long[] padded = new long[s.length];
            Arrays.fill(padded, 1);
            System.arraycopy(a.shape(), 0, padded, s.length - a.rank(), a.rank());
            big = (a.rank() == s.length ? a : a.reshape('c', padded)).broadcast(s);
        }
        return switch (op) {
            case '+' -> big.add(b);
            case '-' -> big.sub(b);
            case '*' -> big.mul(b);
            default -> big.div(b);
        };
    }

    /**
     * Whether {@code s} holds one number and broadcasts to {@code a}'s shape: then the op is a scalar op, which
     * libnd4j runs several times faster than a broadcast of a one-element array.
     */
    protected static boolean isScalarOf(INDArray s, INDArray a) {
        return s.length() == 1 && s.rank() <= a.rank() && a.length() > 1 && s.dataType() == a.dataType();
    }

    /** {@code a} itself when {@code s = 0}: no pass (results may alias arguments; no op writes either). */
    @Override
    public INDArray add(INDArray a, double s) {
        return s == 0 ? a : a.add(s);
    }

    /** {@code a} itself when {@code s = 1} (a default beta or scale): no pass. */
    @Override
    public INDArray mul(INDArray a, double s) {
        return s == 1 ? a : a.mul(s);
    }

    @Override
    public INDArray rdiv(INDArray a, double s) {
        if (a.length() == 1) {                          // a parameter such as beta: no op for one number
            INDArray r = Nd4j.createUninitialized(a.dataType(), a.shape());
            r.putScalar(0, s / a.getDouble(0));
            return r;
        }
        return a.rdiv(s);
    }

    @Override
    public INDArray neg(INDArray a) {
        return a.neg();
    }

    @Override
    public INDArray exp(INDArray a) {
        return Transforms.exp(a, true);
    }

    /** The exponential taken in place on the fresh difference: one temporary array, not two. */
    @Override
    public INDArray expOfDifference(INDArray a, INDArray b) {
        INDArray d = sub(a, b);
        return d == a ? Transforms.exp(a, true) : Transforms.exp(d, false);
    }

    @Override
    public INDArray log(INDArray a) {
        return Transforms.log(a, true);
    }

    @Override
    public INDArray abs(INDArray a) {
        return Transforms.abs(a, true);
    }

    @Override
    public INDArray sqrt(INDArray a) {
        return Transforms.sqrt(a, true);
    }

    @Override
    public INDArray square(INDArray a) {
        return a.mul(a);
    }

    @Override
    public INDArray pow(INDArray a, double p) {
        if (p == 1) {
            return a.dup();
        }
        if (p == 2 || p == 3) {                        // libnd4j's pow costs ~50 times a multiplication
            INDArray sq = a.mul(a);
            return p == 2 ? sq : sq.muli(a);
        }
        return Transforms.pow(a, p, true);
    }

    @Override
    public INDArray tanh(INDArray a) {
        return Transforms.tanh(a, true);
    }

    @Override
    public INDArray sigmoid(INDArray a) {
        return Transforms.sigmoid(a, true);
    }

    @Override
    public INDArray relu(INDArray a) {
        return Transforms.relu(a, true);
    }

    @Override
    public INDArray step(INDArray a) {
        return Transforms.step(a, true);
    }

    /**
     * {@code relu(a) + log(1 + e^-|a|)} with libnd4j's softplus on {@code -|a|} (never above 0, so its
     * exponential cannot overflow): one pass for the log-exp instead of three.
     */
    @Override
    public INDArray softplus(INDArray a) {
        INDArray t = Transforms.abs(a, true).negi();
        return Transforms.softPlus(t, false).addi(Transforms.relu(a, true));
    }

    @Override
    public INDArray sum(INDArray a, boolean keep, int... axes) {
        return a.sum(keep, axes);
    }

    @Override
    public INDArray max(INDArray a, boolean keep, int... axes) {
        return a.max(keep, axes);
    }

    @Override
    public INDArray mmul(INDArray a, INDArray b, boolean transA, boolean transB) {
        return Nd4j.gemm(a, b, transA, transB);
    }

    /** The scale goes into gemm's {@code alpha}: no pass over the product. */
    @Override
    public INDArray mmul(INDArray a, INDArray b, boolean transA, boolean transB, INDArray c) {
        if (c.length() != 1 || !gemmable(a, b)) {
            return Ops.super.mmul(a, b, transA, transB, c);
        }
        return scaledGemm(a, b, transA, transB, c.getDouble(0));
    }

    /** The scale goes into gemm's {@code alpha}: no pass over the product. */
    @Override
    public INDArray mmul(INDArray a, INDArray b, boolean transA, boolean transB, double s) {
        return gemmable(a, b) ? scaledGemm(a, b, transA, transB, s) : Ops.super.mmul(a, b, transA, transB, s);
    }

    /** Whether both are matrices of one data type (a product by gemm). */
    protected static boolean gemmable(INDArray a, INDArray b) {
        return a.rank() == 2 && b.rank() == 2 && a.dataType() == b.dataType();
    }

    /** {@code alpha op(a) op(b)} into a new array. */
    protected INDArray scaledGemm(INDArray a, INDArray b, boolean transA, boolean transB, double alpha) {
        long m = transA ? a.size(1) : a.size(0);
        long n = transB ? b.size(0) : b.size(1);
        INDArray out = Nd4j.createUninitialized(a.dataType(), m, n);
        return Nd4j.gemm(a, b, out, transA, transB, alpha, 0.0);
    }

    /** One reduce3 op ({@code Dot} along the non-batch axes) instead of a product and a sum: one pass. */
    @Override
    public INDArray dotPerSample(INDArray a, INDArray b) {
        if (a.rank() < 2 || !Arrays.equals(a.shape(), b.shape()) || a.dataType() != b.dataType()) {
            return Ops.super.dotPerSample(a, b);
        }
        int[] axes = new int[a.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return Nd4j.getExecutioner().exec(new Dot(a, b, axes));
    }

    @Override
    public INDArray reshape(INDArray a, long... shape) {
        return a.reshape('c', shape);
    }

    @Override
    public INDArray permute(INDArray a, int... axes) {
        return a.permute(axes).dup('c');
    }

    @Override
    public INDArray sin(INDArray a) {
        return Transforms.sin(a, true);
    }

    @Override
    public INDArray cos(INDArray a) {
        return Transforms.cos(a, true);
    }

    @Override
    public INDArray concat(int axis, INDArray a, INDArray b) {
        return Nd4j.concat(axis < 0 ? axis + a.rank() : axis, a, b);
    }

    /** A view: {@code a.get} with an interval on {@code axis}. */
    @Override
    public INDArray slice(INDArray a, int axis, long from, long to) {
        int ax = axis < 0 ? axis + a.rank() : axis;
        INDArrayIndex[] at = new INDArrayIndex[a.rank()];
        Arrays.fill(at, NDArrayIndex.all());
        at[ax] = NDArrayIndex.interval(from, to);
        return a.get(at);
    }

    @Override
    public INDArray bmmul(INDArray a, INDArray b, boolean transA, boolean transB) {
        return Nd4j.matmul(a, b, transA, transB, false);
    }

    @Override
    public INDArray constant(INDArray like, INDArray value) {
        return value.dataType() == like.dataType() ? value : value.castTo(like.dataType());
    }

    /** libnd4j's "conv2d": iArgs kH, kW, sH, sW, pH, pW, dH, dW, same-mode 0, NCHW 0, weights OIHW 1. */
    @Override
    public INDArray conv2d(INDArray x, INDArray w, int sH, int sW, int pH, int pW) {
        long[] xs = x.shape();
        long[] ws = w.shape();
        long ho = Ops.convOutSize(xs[2], ws[2], sH, pH);
        long wo = Ops.convOutSize(xs[3], ws[3], sW, pW);
        INDArray out = Nd4j.createUninitialized(x.dataType(), xs[0], ws[0], ho, wo);
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(x.dup('c'), w.dup('c'))
                .addOutputs(out)
                .addIntegerArguments((int) ws[2], (int) ws[3], sH, sW, pH, pW, 1, 1, 0, 0, 1)
                .build());
        return out;
    }

    /**
     * libnd4j's "deconv2d" without padding (weights {@code [iC = O, oC = C, kH, kW]}, format 1) gives the
     * gradient with respect to the zero-padded input for its first {@code sH (Ho - 1) + kH} rows; the
     * rows {@code [pH, pH + h)} of the padded input are the answer, zero where the deconvolution does not
     * reach.
     */
    @Override
    public INDArray conv2dTranspose(INDArray y, INDArray w, long h, long wd, int sH, int sW, int pH, int pW) {
        long[] ys = y.shape();
        long[] ws = w.shape();
        long fh = (long) sH * (ys[2] - 1) + ws[2];
        long fw = (long) sW * (ys[3] - 1) + ws[3];
        INDArray full = Nd4j.createUninitialized(y.dataType(), ys[0], ws[1], fh, fw);
        Nd4j.exec(DynamicCustomOp.builder("deconv2d")
                .addInputs(y.dup('c'), w.dup('c'))
                .addOutputs(full)
                .addIntegerArguments((int) ws[2], (int) ws[3], sH, sW, 0, 0, 1, 1, 0, 0, 1)
                .build());
        if (pH == 0 && pW == 0 && fh == h && fw == wd) {
            return full;
        }
        long hEnd = Math.min(fh, pH + h);
        long wEnd = Math.min(fw, pW + wd);
        INDArray out = Nd4j.zeros(y.dataType(), ys[0], ws[1], h, wd);
        out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, hEnd - pH),
                        NDArrayIndex.interval(0, wEnd - pW))
                .assign(full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(pH, hEnd),
                        NDArrayIndex.interval(pW, wEnd)));
        return out;
    }
}

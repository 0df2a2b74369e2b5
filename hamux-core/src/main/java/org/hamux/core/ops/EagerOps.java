package org.hamux.core.ops;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.hamux.core.Component;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@link Ops} evaluated at once on ND4J arrays. Parameters are read from their components as they are. */
public final class EagerOps implements Ops<INDArray> {

    /** The one instance: eager ops hold no state. */
    public static final EagerOps INSTANCE = new EagerOps();

    private EagerOps() {
    }

    /**
     * {@code y <- y + s x} in place, for {@code x} of {@code y}'s shape and type; returns {@code max |s x|}. One
     * pass by the kernels or BLAS axpy on dense arrays; {@code x} is read, never written (it may alias a
     * parameter).
     */
    public double addScaledInPlace(INDArray y, double s, INDArray x) {
        if (Simd.sameShape(y, x)) {
            return VectorKernels.addScaledInPlace(y, s, x);
        }
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
     * of {@code dE/dg}: a layer's own and each synapse's); returns {@code max |s sum_t x_t|}. Two terms are read in
     * the same pass as the update (a third and more are added to the second first): the sum is never stored.
     */
    public double addScaledInPlace(INDArray y, double s, List<INDArray> terms) {
        INDArray a = terms.get(0);
        if (terms.size() == 1) {
            return addScaledInPlace(y, s, a);
        }
        INDArray b = terms.get(1);
        for (int i = 2; i < terms.size(); i++) {
            b = add(b, terms.get(i));
        }
        if (Simd.sameShape(y, a) && Simd.sameShape(y, b)) {
            return VectorKernels.addScaledSumInPlace(y, s, a, b);
        }
        return addScaledInPlace(y, s, add(a, b));
    }

    private static boolean blasDense(INDArray a) {
        return a.ordering() == 'c' && a.offset() == 0 && Shape.hasDefaultStridesForShape(a);
    }

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
        INDArray fast = arith(a, b, VectorKernels.Arith.ADD);
        return fast != null ? fast : broadcast(a, b, VectorKernels.Arith.ADD);
    }

    @Override
    public INDArray sub(INDArray a, INDArray b) {
        if (isScalarOf(b, a)) {
            return sub(a, b.getDouble(0));
        }
        if (isScalarOf(a, b)) {
            return b.rsub(a.getDouble(0));
        }
        INDArray fast = arith(a, b, VectorKernels.Arith.SUB);
        return fast != null ? fast : broadcast(a, b, VectorKernels.Arith.SUB);
    }

    @Override
    public INDArray mul(INDArray a, INDArray b) {
        if (isScalarOf(b, a)) {
            return mul(a, b.getDouble(0));
        }
        if (isScalarOf(a, b)) {
            return b.mul(a.getDouble(0));
        }
        INDArray fast = arith(a, b, VectorKernels.Arith.MUL);
        return fast != null ? fast : broadcast(a, b, VectorKernels.Arith.MUL);
    }

    @Override
    public INDArray div(INDArray a, INDArray b) {
        if (isScalarOf(b, a)) {
            return div(a, b.getDouble(0));
        }
        if (isScalarOf(a, b)) {
            return b.rdiv(a.getDouble(0));
        }
        INDArray fast = arith(a, b, VectorKernels.Arith.DIV);
        return fast != null ? fast : broadcast(a, b, VectorKernels.Arith.DIV);
    }

    /**
     * {@code a op b} by ND4J, broadcasting NumPy-style: ND4J's {@code a.op(b)} gives a result of {@code a}'s shape, so
     * {@code a} is first repeated to the result's shape where it is smaller.
     */
    private static INDArray broadcast(INDArray a, INDArray b, VectorKernels.Arith op) {
        long[] s = Shapes.broadcast(a.shape(), b.shape());
        INDArray big = a;
        if (!Arrays.equals(a.shape(), s)) {
            long[] padded = new long[s.length];
            Arrays.fill(padded, 1);
            System.arraycopy(a.shape(), 0, padded, s.length - a.rank(), a.rank());
            big = (a.rank() == s.length ? a : a.reshape('c', padded)).broadcast(s);
        }
        return switch (op) {
            case ADD -> big.add(b);
            case SUB -> big.sub(b);
            case MUL -> big.mul(b);
            case DIV -> big.div(b);
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    /**
     * {@code a op b} by the kernels when they take the operands (one shape, or one number per row, or a repeated block;
     * either way round), else null.
     */
    private static INDArray arith(INDArray a, INDArray b, VectorKernels.Arith op) {
        if (Simd.sameShape(a, b) || Simd.rowsAndColumn(a, b) || Simd.trailingShape(a, b)) {
            return VectorKernels.binary(a, b, op);
        }
        if (Simd.rowsAndColumn(b, a) || Simd.trailingShape(b, a)) {
            return VectorKernels.binary(b, a, switch (op) {
                case SUB -> VectorKernels.Arith.RSUB;
                case DIV -> VectorKernels.Arith.RDIV;
                default -> op;
            });
        }
        return null;
    }

    /**
     * Whether {@code s} holds one number and broadcasts to {@code a}'s shape: then the op is a scalar op, which
     * libnd4j runs several times faster than a broadcast of a one-element array.
     */
    private static boolean isScalarOf(INDArray s, INDArray a) {
        return s.length() == 1 && s.rank() <= a.rank() && a.length() > 1 && s.dataType() == a.dataType();
    }

    /** {@code a} itself when {@code s = 0}: no pass (results may alias arguments; no op writes either). */
    @Override
    public INDArray add(INDArray a, double s) {
        return s == 0 ? a : Simd.dense(a) ? VectorKernels.scalar(a, (float) s, VectorKernels.Arith.ADD) : a.add(s);
    }

    private static INDArray sub(INDArray a, double s) {
        return s == 0 ? a : Simd.dense(a) ? VectorKernels.scalar(a, (float) s, VectorKernels.Arith.SUB) : a.sub(s);
    }

    /** {@code a} itself when {@code s = 1} (a default beta or scale): no pass. */
    @Override
    public INDArray mul(INDArray a, double s) {
        return s == 1 ? a : Simd.dense(a) ? VectorKernels.scalar(a, (float) s, VectorKernels.Arith.MUL) : a.mul(s);
    }

    private static INDArray div(INDArray a, double s) {
        return s == 1 ? a : Simd.dense(a) ? VectorKernels.scalar(a, (float) s, VectorKernels.Arith.DIV) : a.div(s);
    }

    @Override
    public INDArray rdiv(INDArray a, double s) {
        if (a.length() == 1) {                          // a parameter such as beta: no op for one number
            INDArray r = StepArrays.uninitialized(a.dataType(), a.shape());
            r.putScalar(0, s / a.getDouble(0));
            return r;
        }
        return a.rdiv(s);
    }

    @Override
    public INDArray neg(INDArray a) {
        return Simd.dense(a) ? VectorKernels.scalar(a, -1f, VectorKernels.Arith.MUL) : a.neg();
    }

    @Override
    public INDArray exp(INDArray a) {
        return Simd.dense(a) ? VectorKernels.exp(a) : Transforms.exp(a, true);
    }

    /** The exponential taken in place on the fresh difference: one temporary array, not two. */
    @Override
    public INDArray expOfDifference(INDArray a, INDArray b) {
        if (Simd.rowsAndColumn(a, b)) {
            return VectorKernels.expOfRowDifference(a, b);
        }
        INDArray d = sub(a, b);
        return d == a ? Transforms.exp(a, true) : Transforms.exp(d, false);
    }

    /** Of a dense float32 array: one kernel, two passes per row. */
    @Override
    public INDArray standardDeviation(INDArray a, double eps) {
        return Simd.denseRows(a, a.rank() - 1) ? VectorKernels.rowStandardDeviation(a, eps) : Ops.super.standardDeviation(a, eps);
    }

    /** Of a dense float32 array: one kernel, three passes per row. */
    @Override
    public INDArray standardize(INDArray a, double eps) {
        return Simd.denseRows(a, a.rank() - 1) ? VectorKernels.rowStandardize(a, eps) : Ops.super.standardize(a, eps);
    }

    /** Along the last axis of a dense float32 array: one kernel, two passes per row (see {@link Ops#logSumExp}). */
    @Override
    public INDArray logSumExp(INDArray a, boolean keep, int axis) {
        if (Simd.denseRows(a, axis)) {
            INDArray lse = VectorKernels.rowLogSumExp(a);
            return keep ? lse : StepArrays.reshape(lse, Arrays.copyOf(a.shape(), a.rank() - 1));
        }
        return Ops.super.logSumExp(a, keep, axis);
    }

    /** Along the last axis of a dense float32 array: one kernel (see {@link Ops#softmax}). */
    @Override
    public INDArray softmax(INDArray a, int axis) {
        if (Simd.denseRows(a, axis)) {
            return VectorKernels.rowSoftmax(a);
        }
        return Ops.super.softmax(a, axis);
    }

    /** Along the last axis of a dense float32 array: one kernel, one exponential per element. */
    @Override
    public Softmax<INDArray> softmaxWithLogSumExp(INDArray a, int axis) {
        if (Simd.denseRows(a, axis)) {
            INDArray[] pl = VectorKernels.rowSoftmaxWithLogSumExp(a);
            return new Softmax<>(pl[0], pl[1]);
        }
        return Ops.super.softmaxWithLogSumExp(a, axis);
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
        return Simd.dense(a) ? VectorKernels.binary(a, a, VectorKernels.Arith.MUL) : a.mul(a);
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
        return Simd.dense(a) ? VectorKernels.sigmoid(a) : Transforms.sigmoid(a, true);
    }

    @Override
    public INDArray relu(INDArray a) {
        return Simd.dense(a) ? VectorKernels.relu(a) : Transforms.relu(a, true);
    }

    @Override
    public INDArray step(INDArray a) {
        return Simd.dense(a) ? VectorKernels.step(a) : Transforms.step(a, true);
    }

    /** {@code c step(a)}: {@code c} where {@code a > 0}, else 0 ({@code c} and {@code a} of one shape), in one pass. */
    public INDArray wherePositive(INDArray c, INDArray a) {
        if (Simd.sameShape(c, a)) {
            return VectorKernels.wherePositive(c, a);
        }
        return c.putWhereWithMask(a.lte(0.0), 0.0);     // a put (into a copy), not a product: an infinite c gives 0
    }

    /**
     * {@code relu(a) + log(1 + e^-|a|)} with libnd4j's softplus on {@code -|a|} (never above 0, so its
     * exponential cannot overflow): one pass for the log-exp instead of three.
     */
    @Override
    public INDArray softplus(INDArray a) {
        if (Simd.dense(a)) {
            return VectorKernels.softplus(a);
        }
        INDArray t = Transforms.abs(a, true).negi();
        return Transforms.softPlus(t, false).addi(Transforms.relu(a, true));
    }

    @Override
    public INDArray sum(INDArray a, boolean keep, int... axes) {
        int lead = Simd.leadingAxes(a, axes);
        if (lead > 0 && Simd.dense(a)) {
            // the summed axes are the first ones: the sum of the rows of their product
            long[] s = a.shape();
            INDArray sums = lead == s.length ? VectorKernels.rowSum(StepArrays.reshape(a, 1, a.length()))
                    : VectorKernels.leadingSum(a, (int) Shapes.size(Arrays.copyOf(s, lead)));
            long[] shape = keep ? s.clone() : Arrays.copyOfRange(s, lead, s.length);
            if (keep) {
                Arrays.fill(shape, 0, lead, 1);
            }
            return StepArrays.reshape(sums, shape);
        }
        int first = Simd.trailingAxes(a, axes);
        if (first > 0 && Simd.dense(a)) {
            // the summed axes are the last ones: rows of their product, one sum per row
            long[] s = a.shape();
            long[] rows = Arrays.copyOf(s, first + 1);
            rows[first] = a.length() / Shapes.size(Arrays.copyOf(s, first));
            INDArray sums = VectorKernels.rowSum(StepArrays.reshape(a, rows));
            long[] shape = keep ? s.clone() : Arrays.copyOf(s, first);
            if (keep) {
                Arrays.fill(shape, first, s.length, 1);
            }
            return StepArrays.reshape(sums, shape);
        }
        return a.sum(keep, axes);
    }

    @Override
    public INDArray max(INDArray a, boolean keep, int... axes) {
        if (Simd.denseRows(a, axes)) {
            INDArray m = VectorKernels.rowMax(a);
            return keep ? m : StepArrays.reshape(m, Arrays.copyOf(a.shape(), a.rank() - 1));
        }
        return a.max(keep, axes);
    }

    @Override
    public INDArray mmul(INDArray a, INDArray b, boolean transA, boolean transB) {
        // into an uninitialised result: Nd4j.gemm(a, b, ...) zero-fills it first
        return gemmable(a, b) ? scaledGemm(a, b, transA, transB, 1.0) : Nd4j.gemm(a, b, transA, transB);
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

    private static boolean gemmable(INDArray a, INDArray b) {
        return a.rank() == 2 && b.rank() == 2 && a.dataType() == b.dataType();
    }

    private static INDArray scaledGemm(INDArray a, INDArray b, boolean transA, boolean transB, double alpha) {
        if (NativeGemm.takes(a, b)) {
            return NativeGemm.gemm(a, b, transA, transB, alpha);
        }
        long m = transA ? a.size(1) : a.size(0);
        long n = transB ? b.size(0) : b.size(1);
        INDArray out = StepArrays.uninitialized(a.dataType(), m, n);
        return Nd4j.gemm(a, b, out, transA, transB, alpha, 0.0);
    }

    /** One reduce3 op ({@code Dot} along the non-batch axes) instead of a product and a sum: one pass. */
    @Override
    public INDArray dotPerSample(INDArray a, INDArray b) {
        if (a.rank() < 2 || !Arrays.equals(a.shape(), b.shape()) || a.dataType() != b.dataType()) {
            return Ops.super.dotPerSample(a, b);
        }
        if (Simd.dense(a) && Simd.dense(b)) {
            return VectorKernels.rowDot(a, b);
        }
        int[] axes = new int[a.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return Nd4j.getExecutioner().exec(new Dot(a, b, axes));
    }

    @Override
    public INDArray reshape(INDArray a, long... shape) {
        return StepArrays.reshape(a, shape);
    }

    @Override
    public INDArray permute(INDArray a, int... axes) {
        if (Arrays.equals(axes, new int[] {0, 2, 1, 3}) && Simd.dense(a)) {
            return VectorKernels.swapMiddleAxes(a);               // the heads of attention to the front and back
        }
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

    /**
     * Of two dense row-major arrays: their blocks copied in turn (for every index of the axes before {@code axis},
     * {@code a}'s block, then {@code b}'s); {@code Nd4j.concat} otherwise.
     */
    @Override
    public INDArray concat(int axis, INDArray a, INDArray b) {
        int ax = axis < 0 ? axis + a.rank() : axis;
        long[] s = a.shape().clone();
        s[ax] += b.size(ax);
        if (!joinable(ax, a, b, s)) {
            return Nd4j.concat(ax, a, b);
        }
        INDArray out = StepArrays.uninitialized(a.dataType(), s);
        long outer = Shapes.size(Arrays.copyOf(s, ax));
        int width = a.dataType().width();
        int blockA = (int) (a.length() / outer) * width;
        int blockB = (int) (b.length() / outer) * width;
        ByteBuffer from = Simd.bytes(a);
        ByteBuffer also = Simd.bytes(b);
        ByteBuffer to = Simd.bytes(out);
        for (int i = 0; i < outer; i++) {
            to.put(i * (blockA + blockB), from, i * blockA, blockA);
            to.put(i * (blockA + blockB) + blockA, also, i * blockB, blockB);
        }
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return out;
    }

    /** Whether {@link #concat} copies the blocks of {@code a} and {@code b} itself (into {@code joined} bytes < 2^31). */
    private static boolean joinable(int axis, INDArray a, INDArray b, long[] joined) {
        if (a.rank() != b.rank() || a.dataType() != b.dataType() || a.isEmpty() || b.isEmpty() || !Simd.rowMajor(a)
                || !Simd.rowMajor(b) || !Nd4j.getEnvironment().isCPU()) {
            return false;
        }
        for (int i = 0; i < a.rank(); i++) {
            if (i != axis && a.size(i) != b.size(i)) {
                return false;
            }
        }
        long width = a.dataType().width();
        return (Shapes.size(joined) + Math.max(a.offset(), b.offset())) * width < Integer.MAX_VALUE;
    }

    /** A view: {@code a.get} with an interval on {@code axis}. */
    @Override
    public INDArray slice(INDArray a, int axis, long from, long to) {
        return StepArrays.slice(a, axis < 0 ? axis + a.rank() : axis, from, to);
    }

    // ---- batched products, constants and convolution (issue 3: attention, conv, conv-pool) ----

    @Override
    public INDArray bmmul(INDArray a, INDArray b, boolean transA, boolean transB) {
        return Nd4j.matmul(a, b, transA, transB, false);
    }

    /**
     * One product per sample and head on the arrays as they lie ({@link NativeGemm#headScores}): no axes move, the
     * scale rides on each product and the bias is where each starts.
     */
    @Override
    public INDArray headScores(INDArray a, INDArray c, INDArray scale, INDArray bias) {
        INDArray typed = bias == null ? null : constant(a, bias);
        if (NativeGemm.takesHeads(a, c) && (typed == null || NativeGemm.takesBias(a, c, typed))) {
            double[] scales = new double[(int) scale.length()];       // one number, or one per head
            for (int h = 0; h < scales.length; h++) {
                scales[h] = scale.getDouble(h);
            }
            return NativeGemm.headScores(a, c, scales, typed);
        }
        return Ops.super.headScores(a, c, scale, bias);
    }

    @Override
    public INDArray headMix(INDArray p, INDArray v, boolean transP) {
        return NativeGemm.takesHeads(p, v) ? NativeGemm.headMix(p, v, transP) : Ops.super.headMix(p, v, transP);
    }

    /** Both sums written into the two halves of one array: no copy to put them side by side. */
    @Override
    public INDArray headMixBoth(INDArray p, INDArray v, INDArray u) {
        return NativeGemm.takesHeads(p, v) && NativeGemm.takesHeads(p, u) && p.size(2) == p.size(3)
                ? NativeGemm.headMixBoth(p, v, u) : Ops.super.headMixBoth(p, v, u);
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
        INDArray out = StepArrays.uninitialized(x.dataType(), xs[0], ws[0], ho, wo);
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
        INDArray full = StepArrays.uninitialized(y.dataType(), ys[0], ws[1], fh, fw);
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

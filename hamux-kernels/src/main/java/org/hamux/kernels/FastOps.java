package org.hamux.kernels;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.Loop;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast backend: {@link EagerOps} with the float32 element-wise and row work on SIMD kernels written with the JDK's
 * Vector API ({@link VectorKernels}, about 4 times faster than libnd4j's scalar loops), matrix products and the per-head
 * products of attention straight to OpenBLAS's {@code cblas_?gemm} on the arrays as they lie ({@link NativeGemm}), the
 * loops split between the cores by helper threads this object owns ({@link Cores}), and the arrays of a loop's steps
 * reused from step to step ({@link #loop}, {@link StepArrays}). Where a fast path does not take its arrays (another data
 * type, a view the kernels cannot walk, the CUDA backend) the op is {@link EagerOps}'s, with the same results to float32
 * rounding.
 *
 * <p>Each switch is an option of the object, not of the process: {@link #standard()} has every fast path the JVM and
 * the backend allow (the SIMD kernels need {@code --add-modules jdk.incubator.vector}, as the {@code hamux} launcher
 * and the tests start the JVM); {@link Options} builds others, e.g. to hold the fast paths against the plain ones.
 */
public class FastOps extends EagerOps implements AutoCloseable {

    /**
     * Which fast paths a backend takes.
     *
     * @param simd       the SIMD kernels (when the JVM has the vector module and the arrays are in host memory)
     * @param nativeGemm matrix products by OpenBLAS directly (on the CPU backend)
     * @param reuse      arrays reused from step to step within a {@link Loop}
     * @param cores      the cores the kernels split their loops between (1: the calling thread only)
     */
    public record Options(boolean simd, boolean nativeGemm, boolean reuse, int cores) {

        /** Every fast path the JVM and the backend allow, on every core. */
        public static Options all() {
            return new Options(true, true, true, Runtime.getRuntime().availableProcessors());
        }

        /** No fast path: {@link EagerOps}'s ops on arrays made anew (for comparisons). */
        public static Options none() {
            return new Options(false, false, false, 1);
        }
    }

    private static volatile FastOps standard;

    private final boolean simd;
    private final boolean nativeGemm;
    private final boolean reuse;
    private final Cores cores;

    /** A backend with these fast paths; its helper threads stop with {@link #close}. */
    public FastOps(Options options) {
        this.simd = options.simd() && Simd.AVAILABLE;
        this.nativeGemm = options.nativeGemm() && NativeGemm.AVAILABLE;
        this.reuse = options.reuse();
        this.cores = new Cores(Math.max(1, options.cores()));
    }

    /** The shared backend with every fast path (made when first asked for; its threads live with the process). */
    public static FastOps standard() {
        FastOps s = standard;
        if (s == null) {
            synchronized (FastOps.class) {
                if (standard == null) {
                    standard = new FastOps(Options.all());
                }
                s = standard;
            }
        }
        return s;
    }

    /** Whether the SIMD kernels are in use. */
    public boolean simd() {
        return simd;
    }

    /** Stops the helper threads (a later split runs on the calling thread). */
    @Override
    public void close() {
        cores.close();
    }

    /** A loop whose steps reuse the arrays of the step before ({@link StepArrays}); none when reuse is off. */
    @Override
    public Loop loop() {
        return reuse ? new StepArrays() : Loop.NONE;
    }

    // ---- which arrays the kernels take ----

    private boolean dense(INDArray a) {
        return simd && Simd.dense(a);
    }

    private boolean sameShape(INDArray a, INDArray b) {
        return simd && Simd.sameShape(a, b);
    }

    private boolean denseRows(INDArray a, int... axes) {
        return simd && Simd.denseRows(a, axes);
    }

    // ---- updates in place ----

    /** One pass by the kernels: the update and its largest change. */
    @Override
    public double addScaledInPlace(INDArray y, double s, INDArray x) {
        return sameShape(y, x) ? VectorKernels.addScaledInPlace(cores, y, s, x) : super.addScaledInPlace(y, s, x);
    }

    /** Two terms are read in the same pass as the update (a third and more are added to the second first): the sum is never stored. */
    @Override
    public double addScaledInPlace(INDArray y, double s, List<INDArray> terms) {
        INDArray a = terms.get(0);
        if (terms.size() == 1) {
            return addScaledInPlace(y, s, a);
        }
        INDArray b = terms.get(1);
        for (int i = 2; i < terms.size(); i++) {
            b = add(b, terms.get(i));
        }
        if (sameShape(y, a) && sameShape(y, b)) {
            return VectorKernels.addScaledSumInPlace(cores, y, s, a, b);
        }
        return addScaledInPlace(y, s, add(a, b));
    }

    /** In one pass over the parameter where the kernels take the arrays. */
    @Override
    public void adam(INDArray p, INDArray g, INDArray m, INDArray v, double s, double l2, double b1, double b2,
                     double lrOverC1, double c2, double eps, double decay) {
        if (sameShape(p, g) && sameShape(p, m) && sameShape(p, v)) {
            VectorKernels.adam(cores, p, g, m, v, new float[] {(float) s, (float) l2, (float) b1, (float) b2,
                    (float) lrOverC1, (float) c2, (float) eps, (float) decay});
        } else {
            super.adam(p, g, m, v, s, l2, b1, b2, lrOverC1, c2, eps, decay);
        }
    }

    /** In one pass. */
    @Override
    public INDArray wherePositive(INDArray c, INDArray a) {
        return sameShape(c, a) ? VectorKernels.wherePositive(cores, c, a) : super.wherePositive(c, a);
    }

    // ---- element-wise ----

    @Override
    public INDArray add(INDArray a, INDArray b) {
        if (isScalarOf(b, a)) {
            return add(a, b.getDouble(0));
        }
        if (isScalarOf(a, b)) {
            return add(b, a.getDouble(0));
        }
        INDArray fast = arith(a, b, VectorKernels.Arith.ADD);
        return fast != null ? fast : super.add(a, b);
    }

    @Override
    public INDArray sub(INDArray a, INDArray b) {
        if (isScalarOf(b, a)) {
            return add(a, -b.getDouble(0));
        }
        INDArray fast = arith(a, b, VectorKernels.Arith.SUB);
        return fast != null ? fast : super.sub(a, b);
    }

    @Override
    public INDArray mul(INDArray a, INDArray b) {
        if (isScalarOf(b, a)) {
            return mul(a, b.getDouble(0));
        }
        if (isScalarOf(a, b)) {
            return mul(b, a.getDouble(0));
        }
        INDArray fast = arith(a, b, VectorKernels.Arith.MUL);
        return fast != null ? fast : super.mul(a, b);
    }

    @Override
    public INDArray div(INDArray a, INDArray b) {
        if (isScalarOf(b, a)) {
            double s = b.getDouble(0);
            return dense(a) ? VectorKernels.scalar(cores, a, (float) s, VectorKernels.Arith.DIV) : super.div(a, b);
        }
        INDArray fast = arith(a, b, VectorKernels.Arith.DIV);
        return fast != null ? fast : super.div(a, b);
    }

    /**
     * {@code a op b} by the kernels when they take the operands (one shape, or one number per row, or a repeated block;
     * either way round), else null.
     */
    private INDArray arith(INDArray a, INDArray b, VectorKernels.Arith op) {
        if (!simd) {
            return null;
        }
        if (Simd.sameShape(a, b) || Simd.rowsAndColumn(a, b) || Simd.trailingShape(a, b)) {
            return VectorKernels.binary(cores, a, b, op);
        }
        if (Simd.rowsAndColumn(b, a) || Simd.trailingShape(b, a)) {
            return VectorKernels.binary(cores, b, a, switch (op) {
                case SUB -> VectorKernels.Arith.RSUB;
                case DIV -> VectorKernels.Arith.RDIV;
                default -> op;
            });
        }
        return null;
    }

    @Override
    public INDArray add(INDArray a, double s) {
        return s != 0 && dense(a) ? VectorKernels.scalar(cores, a, (float) s, VectorKernels.Arith.ADD) : super.add(a, s);
    }

    @Override
    public INDArray mul(INDArray a, double s) {
        return s != 1 && dense(a) ? VectorKernels.scalar(cores, a, (float) s, VectorKernels.Arith.MUL) : super.mul(a, s);
    }

    @Override
    public INDArray rdiv(INDArray a, double s) {
        if (a.length() == 1) {                          // a parameter such as beta: no op for one number
            INDArray r = StepArrays.uninitialized(a.dataType(), a.shape());
            r.putScalar(0, s / a.getDouble(0));
            return r;
        }
        return super.rdiv(a, s);
    }

    @Override
    public INDArray neg(INDArray a) {
        return dense(a) ? VectorKernels.scalar(cores, a, -1f, VectorKernels.Arith.MUL) : super.neg(a);
    }

    @Override
    public INDArray exp(INDArray a) {
        return dense(a) ? VectorKernels.exp(cores, a) : super.exp(a);
    }

    /** One kernel for the exponentials of each row shifted by its number. */
    @Override
    public INDArray expOfDifference(INDArray a, INDArray b) {
        return simd && Simd.rowsAndColumn(a, b) ? VectorKernels.expOfRowDifference(cores, a, b) : super.expOfDifference(a, b);
    }

    @Override
    public INDArray square(INDArray a) {
        return dense(a) ? VectorKernels.binary(cores, a, a, VectorKernels.Arith.MUL) : super.square(a);
    }

    @Override
    public INDArray sigmoid(INDArray a) {
        return dense(a) ? VectorKernels.sigmoid(cores, a) : super.sigmoid(a);
    }

    @Override
    public INDArray relu(INDArray a) {
        return dense(a) ? VectorKernels.relu(cores, a) : super.relu(a);
    }

    @Override
    public INDArray step(INDArray a) {
        return dense(a) ? VectorKernels.step(cores, a) : super.step(a);
    }

    @Override
    public INDArray softplus(INDArray a) {
        return dense(a) ? VectorKernels.softplus(cores, a) : super.softplus(a);
    }

    // ---- rows ----

    /** Of a dense float32 array: one kernel, two passes per row. */
    @Override
    public INDArray standardDeviation(INDArray a, double eps) {
        return denseRows(a, a.rank() - 1) ? VectorKernels.rowStandardDeviation(cores, a, eps) : super.standardDeviation(a, eps);
    }

    /** Of a dense float32 array: one kernel, three passes per row. */
    @Override
    public INDArray standardize(INDArray a, double eps) {
        return denseRows(a, a.rank() - 1) ? VectorKernels.rowStandardize(cores, a, eps) : super.standardize(a, eps);
    }

    /** Along the last axis of a dense float32 array: one kernel, two passes per row (see {@link Ops#logSumExp}). */
    @Override
    public INDArray logSumExp(INDArray a, boolean keep, int axis) {
        if (denseRows(a, axis)) {
            INDArray lse = VectorKernels.rowLogSumExp(cores, a);
            return keep ? lse : StepArrays.reshape(lse, Arrays.copyOf(a.shape(), a.rank() - 1));
        }
        return super.logSumExp(a, keep, axis);
    }

    /** Along the last axis of a dense float32 array: one kernel (see {@link Ops#softmax}). */
    @Override
    public INDArray softmax(INDArray a, int axis) {
        return denseRows(a, axis) ? VectorKernels.rowSoftmax(cores, a) : super.softmax(a, axis);
    }

    /** Along the last axis of a dense float32 array: one kernel, one exponential per element. */
    @Override
    public Softmax<INDArray> softmaxWithLogSumExp(INDArray a, int axis) {
        if (denseRows(a, axis)) {
            INDArray[] pl = VectorKernels.rowSoftmaxWithLogSumExp(cores, a);
            return new Softmax<>(pl[0], pl[1]);
        }
        return super.softmaxWithLogSumExp(a, axis);
    }

    @Override
    public INDArray sum(INDArray a, boolean keep, int... axes) {
        if (!dense(a)) {
            return super.sum(a, keep, axes);
        }
        int lead = Simd.leadingAxes(a, axes);
        if (lead > 0) {
            // the summed axes are the first ones: the sum of the rows of their product
            long[] s = a.shape();
            INDArray sums = lead == s.length ? VectorKernels.rowSum(cores, StepArrays.reshape(a, 1, a.length()))
                    : VectorKernels.leadingSum(a, (int) Shapes.size(Arrays.copyOf(s, lead)));
            long[] shape = keep ? s.clone() : Arrays.copyOfRange(s, lead, s.length);
            if (keep) {
                Arrays.fill(shape, 0, lead, 1);
            }
            return StepArrays.reshape(sums, shape);
        }
        int first = Simd.trailingAxes(a, axes);
        if (first > 0) {
            // the summed axes are the last ones: rows of their product, one sum per row
            long[] s = a.shape();
            long[] rows = Arrays.copyOf(s, first + 1);
            rows[first] = a.length() / Shapes.size(Arrays.copyOf(s, first));
            INDArray sums = VectorKernels.rowSum(cores, StepArrays.reshape(a, rows));
            long[] shape = keep ? s.clone() : Arrays.copyOf(s, first);
            if (keep) {
                Arrays.fill(shape, first, s.length, 1);
            }
            return StepArrays.reshape(sums, shape);
        }
        return super.sum(a, keep, axes);
    }

    @Override
    public INDArray max(INDArray a, boolean keep, int... axes) {
        if (denseRows(a, axes)) {
            INDArray m = VectorKernels.rowMax(cores, a);
            return keep ? m : StepArrays.reshape(m, Arrays.copyOf(a.shape(), a.rank() - 1));
        }
        return super.max(a, keep, axes);
    }

    /** One kernel, one pass. */
    @Override
    public INDArray dotPerSample(INDArray a, INDArray b) {
        if (a.rank() >= 2 && sameShape(a, b)) {
            return VectorKernels.rowDot(cores, a, b);
        }
        return super.dotPerSample(a, b);
    }

    // ---- products ----

    @Override
    public INDArray mmul(INDArray a, INDArray b, boolean transA, boolean transB) {
        // into an uninitialised result: Nd4j.gemm(a, b, ...) zero-fills it first
        return gemmable(a, b) ? scaledGemm(a, b, transA, transB, 1.0) : super.mmul(a, b, transA, transB);
    }

    /** By OpenBLAS directly where it takes the operands, into an array of the loop. */
    @Override
    protected INDArray scaledGemm(INDArray a, INDArray b, boolean transA, boolean transB, double alpha) {
        if (nativeGemm && NativeGemm.takes(a, b)) {
            return NativeGemm.gemm(a, b, transA, transB, alpha);
        }
        long m = transA ? a.size(1) : a.size(0);
        long n = transB ? b.size(0) : b.size(1);
        INDArray out = StepArrays.uninitialized(a.dataType(), m, n);
        return Nd4j.gemm(a, b, out, transA, transB, alpha, 0.0);
    }

    /**
     * One product per sample and head on the arrays as they lie ({@link NativeGemm#headScores}): no axes move, the
     * scale rides on each product and the bias is where each starts.
     */
    @Override
    public INDArray headScores(INDArray a, INDArray c, INDArray scale, INDArray bias) {
        INDArray typed = bias == null ? null : constant(a, bias);
        if (nativeGemm && NativeGemm.takesHeads(a, c) && (typed == null || NativeGemm.takesBias(a, c, typed))) {
            double[] scales = new double[(int) scale.length()];       // one number, or one per head
            for (int h = 0; h < scales.length; h++) {
                scales[h] = scale.getDouble(h);
            }
            return NativeGemm.headScores(cores, a, c, scales, typed);
        }
        return super.headScores(a, c, scale, bias);
    }

    @Override
    public INDArray headMix(INDArray p, INDArray v, boolean transP) {
        return nativeGemm && NativeGemm.takesHeads(p, v) ? NativeGemm.headMix(cores, p, v, transP) : super.headMix(p, v, transP);
    }

    /** Both sums written into the two halves of one array: no copy to put them side by side. */
    @Override
    public INDArray headMixBoth(INDArray p, INDArray v, INDArray u) {
        return nativeGemm && NativeGemm.takesHeads(p, v) && NativeGemm.takesHeads(p, u) && p.size(2) == p.size(3)
                ? NativeGemm.headMixBoth(cores, p, v, u) : super.headMixBoth(p, v, u);
    }

    // ---- shapes ----

    @Override
    public INDArray reshape(INDArray a, long... shape) {
        return StepArrays.reshape(a, shape);
    }

    @Override
    public INDArray permute(INDArray a, int... axes) {
        if (Arrays.equals(axes, new int[] {0, 2, 1, 3}) && dense(a)) {
            return VectorKernels.swapMiddleAxes(cores, a);               // the heads of attention to the front and back
        }
        return super.permute(a, axes);
    }

    /** A view, kept from step to step. */
    @Override
    public INDArray slice(INDArray a, int axis, long from, long to) {
        return StepArrays.slice(a, axis < 0 ? axis + a.rank() : axis, from, to);
    }

    /**
     * Of two dense row-major arrays: their blocks copied in turn (for every index of the axes before {@code axis},
     * {@code a}'s block, then {@code b}'s); {@link EagerOps#concat} otherwise.
     */
    @Override
    public INDArray concat(int axis, INDArray a, INDArray b) {
        int ax = axis < 0 ? axis + a.rank() : axis;
        long[] s = a.shape().clone();
        s[ax] += b.size(ax);
        if (!simd || !joinable(ax, a, b, s)) {
            return super.concat(ax, a, b);
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
                || !Simd.rowMajor(b)) {
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
}

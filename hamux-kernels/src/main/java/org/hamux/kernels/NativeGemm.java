package org.hamux.kernels;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rank-2 float32 and float64 products handed straight to {@code cblas_sgemm} / {@code cblas_dgemm} of the
 * OpenBLAS that ND4J's CPU backend itself runs on (same library, same threads): {@code C = alpha op(A) op(B)}
 * into a new array of the workspace in scope. ND4J's own path ({@code Nd4j.gemm}) builds a custom op with its
 * shape descriptors and arguments for every call, some 20-40 us each, and no faster product.
 *
 * <p>The per-head products of attention ({@link #headScores}, {@link #headMix}) are one {@code gemm} per sample
 * and head on the arrays as they lie per token, {@code [B, N, H, Y]}: a head is a submatrix with a row stride
 * of {@code H Y}, so no axes are moved before or after (libnd4j's batched product, on copies with the heads
 * moved to the front, took 0.62 ms for the Energy Transformer benchmark's scores against 0.47 ms for these
 * products on one core).
 *
 * <p>Used by a {@link FastOps} whose direct products are on, on the CPU backend, for dense row-major operands (views
 * with an offset included); anything else stays with {@code Nd4j.gemm}.
 */
final class NativeGemm {

    /** Whether products can go to OpenBLAS directly: the arrays are in host memory (the CPU backend). */
    static final boolean AVAILABLE = Nd4j.getEnvironment().isCPU();

    private NativeGemm() {
    }

    /** Whether {@link #gemm} takes {@code a} and {@code b}. */
    static boolean takes(INDArray a, INDArray b) {
        return blasOperands(a, b, 2) && Simd.rowMajor(a) && Simd.rowMajor(b) && fitsInt(a) && fitsInt(b);
    }

    /** Products go to OpenBLAS, and {@code a} and {@code b} are both float32 or both float64, of this rank, not empty. */
    private static boolean blasOperands(INDArray a, INDArray b, int rank) {
        DataType t = a.dataType();
        return AVAILABLE && (t == DataType.FLOAT || t == DataType.DOUBLE) && b.dataType() == t
                && a.rank() == rank && b.rank() == rank && !a.isEmpty() && !b.isEmpty();
    }

    /** {@code alpha op(a) op(b)}, {@code op} a transpose where asked; the operands as {@link #takes} them. */
    static INDArray gemm(INDArray a, INDArray b, boolean transA, boolean transB, double alpha) {
        int m = (int) (transA ? a.size(1) : a.size(0));
        int k = (int) (transA ? a.size(0) : a.size(1));
        int n = (int) (transB ? b.size(0) : b.size(1));
        if (k != (transB ? b.size(1) : b.size(0))) {
            throw new IllegalArgumentException("matrix product of " + Shapes.str(a.shape()) + (transA ? "^T" : "")
                    + " and " + Shapes.str(b.shape()) + (transB ? "^T" : "") + ": inner sizes differ");
        }
        INDArray c = StepArrays.uninitialized(a.dataType(), m, n);
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        // row-major: the leading dimension of each stored matrix is its number of columns
        int lda = (int) a.size(1);
        int ldb = (int) b.size(1);
        if (a.dataType() == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, (float) alpha,
                    floats(a), lda, floats(b), ldb, 0f, floats(c), n);
        } else {
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, alpha,
                    doubles(a), lda, doubles(b), ldb, 0.0, doubles(c), n);
        }
        // the pointers do not keep the arrays reachable: an operand the caller no longer holds stays until here
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return c;
    }

    /**
     * Whether {@link #headScores} and {@link #headMix} take these rank-4 operands: float32 or float64, the last
     * axis contiguous, rows no closer than their length (dense arrays, and views such as a range of heads).
     */
    static boolean takesHeads(INDArray a, INDArray b) {
        return blasOperands(a, b, 4) && rowsApart(a) && rowsApart(b);
    }

    private static boolean rowsApart(INDArray a) {
        long last = a.size(3);
        long end = a.offset() + last;
        for (int i = 0; i < 3; i++) {
            if (a.size(i) > 1 && a.stride(i) < last) {
                return false;
            }
            end += (a.size(i) - 1) * Math.max(a.stride(i), 0);
        }
        return (last == 1 || a.stride(3) == 1) && end < Integer.MAX_VALUE;
    }

    /**
     * Whether {@link #headScores} of {@code a} and {@code c} takes this bias: dense {@code [Nq, Nk]} of their
     * type, the scores small enough to be copied into by byte offsets.
     */
    static boolean takesBias(INDArray a, INDArray c, INDArray bias) {
        long bytes = a.size(0) * a.size(2) * a.size(1) * c.size(1) * a.dataType().width();
        return bias.rank() == 2 && bias.size(0) == a.size(1) && bias.size(1) == c.size(1) && Simd.rowMajor(bias)
                && bias.dataType() == a.dataType() && bytes < Integer.MAX_VALUE;
    }

    /**
     * {@link Ops#headScores}: {@code s[b,h] = scale_h a[b,:,h,:] c[b,:,h,:]^T + bias} for {@code a [B, Nq, H, Y]},
     * {@code c [B, Nk, H, Y]}, one scale or one per head, and a dense {@code bias [Nq, Nk]} of their type or null.
     */
    static INDArray headScores(Cores cores, INDArray a, INDArray c, double[] scale, INDArray bias) {
        int batch = (int) a.size(0);
        int nq = (int) a.size(1);
        int heads = (int) a.size(2);
        int dim = (int) a.size(3);
        int nk = (int) c.size(1);
        if (c.size(0) != batch || c.size(2) != heads || c.size(3) != dim) {
            throw new IllegalArgumentException("head scores of " + Shapes.str(a.shape()) + " and " + Shapes.str(c.shape())
                    + ": both must be [B, N, H, Y] with the same B, H and Y");
        }
        if (scale.length != 1 && scale.length != heads) {
            throw new IllegalArgumentException("head scores: " + scale.length + " scales for " + heads + " heads");
        }
        if (bias != null && !takesBias(a, c, bias)) {
            throw new IllegalArgumentException("head scores: the bias must be a dense [" + nq + ", " + nk + "] array of "
                    + a.dataType() + ", got " + Shapes.str(bias.shape()) + " " + bias.dataType());
        }
        INDArray s = StepArrays.uninitialized(a.dataType(), batch, heads, nq, nk);
        perHead(cores, batch, heads, false, true, nq, nk, dim, scale, bias,
                Heads.of(a, 0, 2, 1), Heads.of(c, 0, 2, 1), Heads.of(s, 0, 1, 2));
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(c);
        Reference.reachabilityFence(bias);
        return s;
    }

    /**
     * {@link Ops#headMix}: {@code r[b,:,h,:] = op(p[b,h]) v[b,:,h,:]} for {@code p [B, H, Nq, Nk]} and
     * {@code v [B, Nk, H, Y]} ({@code [B, Nq, H, Y]} with {@code transP}).
     */
    static INDArray headMix(Cores cores, INDArray p, INDArray v, boolean transP) {
        INDArray r = StepArrays.uninitialized(p.dataType(), p.size(0), transP ? p.size(3) : p.size(2), p.size(1), v.size(3));
        headMix(cores, p, v, transP, r);
        return r;
    }

    /**
     * {@link Ops#headMixBoth}: {@code headMix(p, v, false)} and {@code headMix(p, u, true)} into the two halves of
     * the heads axis of one {@code [B, N, 2H, Y]} array, for a square {@code p [B, H, N, N]}.
     */
    static INDArray headMixBoth(Cores cores, INDArray p, INDArray v, INDArray u) {
        long heads = p.size(1);
        INDArray r = StepArrays.uninitialized(p.dataType(), p.size(0), p.size(2), 2 * heads, v.size(3));
        headMix(cores, p, v, false, StepArrays.slice(r, 2, 0, heads));
        headMix(cores, p, u, true, StepArrays.slice(r, 2, heads, 2 * heads));
        return r;
    }

    /** {@link #headMix} into {@code r [B, Nq or Nk, H, Y]} (a view as {@link #takesHeads} takes them). */
    private static void headMix(Cores cores, INDArray p, INDArray v, boolean transP, INDArray r) {
        int batch = (int) p.size(0);
        int heads = (int) p.size(1);
        int m = (int) (transP ? p.size(3) : p.size(2));
        int k = (int) (transP ? p.size(2) : p.size(3));
        int dim = (int) v.size(3);
        if (v.size(0) != batch || v.size(1) != k || v.size(2) != heads) {
            throw new IllegalArgumentException("head mix of " + Shapes.str(p.shape()) + (transP ? "^T" : "") + " and "
                    + Shapes.str(v.shape()) + ": need p [B, H, Nq, Nk] and v [B, " + (transP ? "Nq" : "Nk") + ", H, Y]");
        }
        perHead(cores, batch, heads, transP, false, m, dim, k, new double[] {1}, null,
                Heads.of(p, 0, 1, 2), Heads.of(v, 0, 2, 1), Heads.of(r, 0, 2, 1));
        Reference.reachabilityFence(p);
        Reference.reachabilityFence(v);
        Reference.reachabilityFence(r);
    }

    /**
     * Where the matrices of a per-head operand lie: the one of sample {@code b} and head {@code h} starts
     * {@code b * batch + h * head} elements from the array's first, its rows {@code ld} apart, each contiguous.
     */
    private record Heads(INDArray array, long batch, long head, int ld) {

        static Heads of(INDArray a, int batchAxis, int headAxis, int rowAxis) {
            return new Heads(a, step(a, batchAxis), step(a, headAxis),
                    (int) (a.size(rowAxis) > 1 ? a.stride(rowAxis) : Math.max(a.size(3), 1)));
        }

        /** The stride along an axis; 0 where it has one entry (ND4J may give such an axis any stride). */
        private static long step(INDArray a, int axis) {
            return a.size(axis) > 1 ? a.stride(axis) : 0;
        }

        /** A pointer of its own for one thread, at the array's first element. */
        Pointer pointer() {
            return array.dataType() == DataType.FLOAT ? floats(array) : doubles(array);
        }

        long at(int b, int h) {
            return b * batch + h * head;
        }
    }

    /** Below this {@code m n k} OpenBLAS runs a product on one thread (its {@code SMP_THRESHOLD_MIN} times 4). */
    private static final long ONE_THREAD_MNK = 65536L * 4;

    /**
     * {@code C_bh = alpha_h op(A_bh) op(B_bh) (+ bias)} for every sample {@code b} and head {@code h}; with a bias,
     * each {@code C_bh} starts as a copy of it. Products OpenBLAS runs on one thread are shared out between the
     * cores; larger ones run in turn, each threaded by OpenBLAS.
     */
    private static void perHead(Cores cores, int batch, int heads, boolean transA, boolean transB, int m, int n, int k,
            double[] alpha, INDArray bias, Heads a, Heads b, Heads c) {
        int count = batch * heads;
        int pieces = (long) m * n * k < ONE_THREAD_MNK ? Math.min(count, cores.pieces()) : 1;
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        boolean single = c.array().dataType() == DataType.FLOAT;
        int width = c.array().dataType().width();
        ByteBuffer from = bias == null ? null : Simd.bytes(bias);
        ByteBuffer to = bias == null ? null : Simd.bytes(c.array());
        int biasBytes = bias == null ? 0 : (int) bias.length() * width;
        double beta = bias == null ? 0 : 1;
        cores.forEach(pieces, piece -> {
            // pointers of this thread's own: a product reads its matrices at their positions
            Pointer pa = a.pointer();
            Pointer pb = b.pointer();
            Pointer pc = c.pointer();
            for (int i = (int) ((long) count * piece / pieces), end = (int) ((long) count * (piece + 1) / pieces); i < end; i++) {
                int s = i / heads;
                int h = i % heads;
                pa.position(a.at(s, h));
                pb.position(b.at(s, h));
                pc.position(c.at(s, h));
                if (bias != null) {
                    to.put((int) c.at(s, h) * width, from, 0, biasBytes);                        // C_bh = bias
                }
                double alphaH = alpha[alpha.length == 1 ? 0 : h];
                if (single) {
                    openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, (float) alphaH,
                            (FloatPointer) pa, a.ld(), (FloatPointer) pb, b.ld(), (float) beta, (FloatPointer) pc, c.ld());
                } else {
                    openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, alphaH,
                            (DoublePointer) pa, a.ld(), (DoublePointer) pb, b.ld(), beta, (DoublePointer) pc, c.ld());
                }
            }
        });
    }

    private static boolean fitsInt(INDArray a) {
        return a.offset() + a.length() < Integer.MAX_VALUE;
    }

    /**
     * The address of {@code a}'s first element. (The data buffer of a view starts at the view's offset already;
     * its NIO buffer, which the kernels read, does not.)
     */
    private static FloatPointer floats(INDArray a) {
        return new FloatPointer(a.data().addressPointer());
    }

    private static DoublePointer doubles(INDArray a) {
        return new DoublePointer(a.data().addressPointer());
    }
}

package org.hamux.core.ops;

import java.lang.ref.Reference;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
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
 * <p>Used only on the CPU backend, for dense row-major operands (views with an offset included), and unless the
 * system property {@code hamux.nativegemm} is {@code false}; anything else stays with {@code Nd4j.gemm}.
 */
final class NativeGemm {

    /** Whether products go to OpenBLAS directly in this JVM. */
    static final boolean ENABLED = !"false".equals(System.getProperty("hamux.nativegemm"))
            && Nd4j.getEnvironment().isCPU();

    private NativeGemm() {
    }

    /** Whether {@link #gemm} takes {@code a} and {@code b}. */
    static boolean takes(INDArray a, INDArray b) {
        DataType t = a.dataType();
        return ENABLED && (t == DataType.FLOAT || t == DataType.DOUBLE) && b.dataType() == t
                && a.rank() == 2 && b.rank() == 2 && !a.isEmpty() && !b.isEmpty()
                && Simd.rowMajor(a) && Simd.rowMajor(b) && fitsInt(a) && fitsInt(b);
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
        INDArray c = Nd4j.createUninitialized(a.dataType(), m, n);
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

    /** Whether {@link #headScores} and {@link #headMix} take these operands: rank 4, as {@link #takes} says. */
    static boolean takesHeads(INDArray a, INDArray b) {
        DataType t = a.dataType();
        return ENABLED && (t == DataType.FLOAT || t == DataType.DOUBLE) && b.dataType() == t
                && a.rank() == 4 && b.rank() == 4 && !a.isEmpty() && !b.isEmpty()
                && Simd.rowMajor(a) && Simd.rowMajor(b) && fitsInt(a) && fitsInt(b);
    }

    /** {@link Ops#headScores}: {@code s[b,h] = a[b,:,h,:] c[b,:,h,:]^T} for {@code a [B, Nq, H, Y]}, {@code c [B, Nk, H, Y]}. */
    static INDArray headScores(INDArray a, INDArray c) {
        int batch = (int) a.size(0);
        int nq = (int) a.size(1);
        int heads = (int) a.size(2);
        int dim = (int) a.size(3);
        int nk = (int) c.size(1);
        if (c.size(0) != batch || c.size(2) != heads || c.size(3) != dim) {
            throw new IllegalArgumentException("head scores of " + Shapes.str(a.shape()) + " and " + Shapes.str(c.shape())
                    + ": both must be [B, N, H, Y] with the same B, H and Y");
        }
        INDArray s = Nd4j.createUninitialized(a.dataType(), batch, heads, nq, nk);
        int hy = heads * dim;
        perHead(batch, heads, false, true, nq, nk, dim,
                a, (long) nq * hy, dim, hy,
                c, (long) nk * hy, dim, hy,
                s, (long) heads * nq * nk, (long) nq * nk, nk);
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(c);
        return s;
    }

    /**
     * {@link Ops#headMix}: {@code r[b,:,h,:] = op(p[b,h]) v[b,:,h,:]} for {@code p [B, H, Nq, Nk]} and
     * {@code v [B, Nk, H, Y]} ({@code [B, Nq, H, Y]} with {@code transP}).
     */
    static INDArray headMix(INDArray p, INDArray v, boolean transP) {
        int batch = (int) p.size(0);
        int heads = (int) p.size(1);
        int nq = (int) p.size(2);
        int nk = (int) p.size(3);
        int m = transP ? nk : nq;
        int k = transP ? nq : nk;
        int dim = (int) v.size(3);
        if (v.size(0) != batch || v.size(1) != k || v.size(2) != heads) {
            throw new IllegalArgumentException("head mix of " + Shapes.str(p.shape()) + (transP ? "^T" : "") + " and "
                    + Shapes.str(v.shape()) + ": need p [B, H, Nq, Nk] and v [B, " + (transP ? "Nq" : "Nk") + ", H, Y]");
        }
        INDArray r = Nd4j.createUninitialized(p.dataType(), batch, m, heads, dim);
        int hy = heads * dim;
        perHead(batch, heads, transP, false, m, dim, k,
                p, (long) heads * nq * nk, (long) nq * nk, nk,
                v, (long) k * hy, dim, hy,
                r, (long) m * hy, dim, hy);
        Reference.reachabilityFence(p);
        Reference.reachabilityFence(v);
        return r;
    }

    /** Below this {@code m n k} OpenBLAS runs a product on one thread (its {@code SMP_THRESHOLD_MIN} times 4). */
    private static final long ONE_THREAD_MNK = 65536L * 4;

    /**
     * {@code C_bh = op(A_bh) op(B_bh)} for every sample {@code b} and head {@code h}, each matrix at
     * {@code b * batchStride + h * headStride} elements from its array's first, rows {@code ld} apart. Products
     * OpenBLAS runs on one thread are shared out between the cores; larger ones run in turn, each threaded by
     * OpenBLAS.
     */
    private static void perHead(int batch, int heads, boolean transA, boolean transB, int m, int n, int k,
            INDArray a, long aBatch, long aHead, int lda,
            INDArray b, long bBatch, long bHead, int ldb,
            INDArray c, long cBatch, long cHead, int ldc) {
        int count = batch * heads;
        int pieces = (long) m * n * k < ONE_THREAD_MNK ? Math.min(count, Runtime.getRuntime().availableProcessors()) : 1;
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        boolean single = a.dataType() == DataType.FLOAT;
        IntStream.range(0, pieces).parallel().forEach(piece -> {
            // pointers of this thread's own: a product reads its matrices at their positions
            Pointer pa = single ? floats(a) : doubles(a);
            Pointer pb = single ? floats(b) : doubles(b);
            Pointer pc = single ? floats(c) : doubles(c);
            for (int i = (int) ((long) count * piece / pieces), end = (int) ((long) count * (piece + 1) / pieces); i < end; i++) {
                int s = i / heads;
                int h = i % heads;
                pa.position(s * aBatch + h * aHead);
                pb.position(s * bBatch + h * bHead);
                pc.position(s * cBatch + h * cHead);
                if (single) {
                    openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1f,
                            (FloatPointer) pa, lda, (FloatPointer) pb, ldb, 0f, (FloatPointer) pc, ldc);
                } else {
                    openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1.0,
                            (DoublePointer) pa, lda, (DoublePointer) pb, ldb, 0.0, (DoublePointer) pc, ldc);
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

package org.hamux.core.ops;

import java.lang.ref.Reference;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
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

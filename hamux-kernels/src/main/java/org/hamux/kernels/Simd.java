package org.hamux.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which arrays the {@link VectorKernels} take, and their memory as buffers: the SIMD kernels of a {@link FastOps} need
 * the JVM started with {@code --add-modules jdk.incubator.vector} (the {@code hamux} launcher and the tests do) and
 * ND4J's arrays in host memory (the CPU backend).
 */
final class Simd {

    /** Whether the kernels can run in this JVM: the vector module is there and the arrays are in host memory. */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && Nd4j.getEnvironment().isCPU();

    private Simd() {
    }

    /**
     * {@code a}'s host memory from its first element, in native byte order (the NIO buffer of a view starts where
     * its whole buffer starts). The buffer does not keep {@code a} reachable: whoever reads it fences {@code a}
     * until done, or an array the caller no longer holds (outside a workspace) could be freed under the reads.
     */
    static ByteBuffer bytes(INDArray a) {
        DataBuffer d = a.data();
        int width = a.dataType().width();
        long end = (d.offset() + d.length()) * width;         // a view's buffer: its start and length in the whole
        long address = d.address();                            // where the whole starts, as asNio() does
        int slot = (int) ((address >>> 6) ^ (address >>> 18)) & (BUFFERS.length - 1);
        Wrapped w = BUFFERS[slot];
        if (w == null || w.address != address || w.bytes.capacity() < end) {
            w = new Wrapped(address, d.asNio());
            BUFFERS[slot] = w;
        }
        int from = (int) (a.offset() * width);
        return w.bytes.slice(from, w.bytes.capacity() - from).order(ByteOrder.nativeOrder());
    }

    /**
     * The host memory at {@code address} as a buffer ({@code DataBuffer.asNio} wraps it anew, about 0.4 us, at every
     * call; a kernel call takes three). A wrapper owns no memory: one kept for an address whose array is gone reads the
     * memory of the next array there, and is used only while that array is held.
     */
    private record Wrapped(long address, ByteBuffer bytes) {
    }

    /** Wrappers by address, one per slot (a slot's wrapper is replaced when another address maps to it). */
    private static final Wrapped[] BUFFERS = new Wrapped[4096];

    /** Whether the kernels take {@code a}: a dense row-major float32 array the JDK can address as one buffer. */
    static boolean dense(INDArray a) {
        return AVAILABLE && a.dataType() == DataType.FLOAT && !a.isEmpty() && rowMajor(a)
                && (a.offset() + a.length()) * Float.BYTES < Integer.MAX_VALUE;
    }

    /**
     * Whether the elements of {@code a} lie one after the other in row-major order: every axis longer than 1 has
     * the stride of the axes after it. (ND4J's own check refuses e.g. {@code [32, 4, 49, 1]} with strides
     * {@code [196, 49, 1, 1]}.)
     */
    static boolean rowMajor(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != step) {
                return false;
            }
            step *= shape[i];
        }
        return true;
    }

    /**
     * Whether {@code a [..., c]} (rank 2 or more) and {@code b [..., 1]} are dense float32 arrays: {@code b} holds
     * one number per row of {@code a} (a row: the last axis).
     */
    static boolean rowsAndColumn(INDArray a, INDArray b) {
        int r = a.rank();
        if (r < 2 || b.rank() != r || b.size(-1) != 1 || a.size(-1) == 1) {
            return false;
        }
        for (int i = 0; i < r - 1; i++) {
            if (a.size(i) != b.size(i)) {
                return false;
            }
        }
        return dense(a) && dense(b);
    }

    /**
     * Whether {@code b}'s shape, without leading axes of size 1, is the last axes of {@code a}'s (dense float32 both):
     * {@code b} repeats over the rest.
     */
    static boolean trailingShape(INDArray a, INDArray b) {
        int ra = a.rank();
        int rb = b.rank();
        int lead = 0;
        while (lead < rb - 1 && b.size(lead) == 1) {
            lead++;
        }
        int rest = rb - lead;
        if (rest < 1 || rest >= ra || b.length() < 2) {
            return false;
        }
        for (int i = 1; i <= rest; i++) {
            if (a.size(ra - i) != b.size(rb - i)) {
                return false;
            }
        }
        return dense(a) && dense(b);
    }

    /** Whether {@code a} and {@code b} are dense float32 arrays of one shape. */
    static boolean sameShape(INDArray a, INDArray b) {
        return a.length() == b.length() && java.util.Arrays.equals(a.shape(), b.shape()) && dense(a) && dense(b);
    }

    /** Whether {@code axes} name just the last axis of {@code a} (rank 2 or more) and the kernels take {@code a}. */
    static boolean denseRows(INDArray a, int... axes) {
        return trailingAxes(a, axes) == a.rank() - 1 && dense(a);
    }

    /** The number of {@code axes} when they are the first axes of {@code a} (each once, in any order), else -1. */
    static int leadingAxes(INDArray a, int... axes) {
        boolean[] named = named(a.rank(), axes);
        if (named == null) {
            return -1;
        }
        for (int i = 0; i < axes.length; i++) {
            if (!named[i]) {
                return -1;
            }
        }
        return axes.length == 0 ? -1 : axes.length;
    }

    /**
     * The first of {@code axes} when they are the last axes of {@code a} (each once, in any order, not all
     * of them), else -1.
     */
    static int trailingAxes(INDArray a, int... axes) {
        int r = a.rank();
        boolean[] named = named(r, axes);
        if (named == null) {
            return -1;
        }
        int first = r - axes.length;
        for (int i = first; i < r; i++) {
            if (!named[i]) {
                return -1;
            }
        }
        return axes.length == 0 || first == 0 ? -1 : first;
    }

    /** Which of {@code rank} axes {@code axes} name (negative ones from the end), or null when one is out of range or twice. */
    private static boolean[] named(int rank, int... axes) {
        boolean[] named = new boolean[rank];
        for (int ax : axes) {
            int i = ax < 0 ? ax + rank : ax;
            if (i < 0 || i >= rank || named[i]) {
                return null;
            }
            named[i] = true;
        }
        return named;
    }
}

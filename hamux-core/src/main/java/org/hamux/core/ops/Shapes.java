package org.hamux.core.ops;

import java.util.Arrays;

/** Shape arithmetic: broadcasting, reductions, formatting. */
public final class Shapes {

    private Shapes() {
    }

    /** The NumPy broadcast of two shapes; throws {@link IllegalArgumentException} if they do not broadcast. */
    public static long[] broadcast(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long da = i < n - a.length ? 1 : a[i - (n - a.length)];
            long db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + str(a) + " and " + str(b) + " do not broadcast");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** The shape after reducing {@code axes} (negative counts from the end). */
    public static long[] reduce(long[] s, boolean keep, int... axes) {
        boolean[] reduced = new boolean[s.length];
        for (int ax : axes) {
            reduced[ax < 0 ? ax + s.length : ax] = true;
        }
        long[] out = new long[s.length];
        int k = 0;
        for (int i = 0; i < s.length; i++) {
            if (!reduced[i]) {
                out[k++] = s[i];
            } else if (keep) {
                out[k++] = 1;
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** The most axes an array of a spec or a file may have (ND4J's own limit is 32; a layer adds the batch axis). */
    public static final int MAX_RANK = 16;

    /** The number of elements of a shape, or -1 when it overflows a long. */
    public static long elements(long[] s) {
        long n = 1;
        for (long d : s) {
            if (d == 0) {
                return 0;
            }
            if (d < 0 || n > Long.MAX_VALUE / d) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    /**
     * Checks that {@code shape} has at most {@link #MAX_RANK} axes, none negative; throws a
     * {@link org.hamux.core.HamuxException} naming {@code what} otherwise.
     */
    public static void check(String what, long[] shape) {
        if (shape.length > MAX_RANK) {
            throw new org.hamux.core.HamuxException(what + " has " + shape.length + " axes; at most " + MAX_RANK
                    + " are supported");
        }
        for (long d : shape) {
            if (d < 0) {
                throw new org.hamux.core.HamuxException(what + " has a negative size in its shape " + str(shape));
            }
        }
    }

    /** The number of elements of a shape. */
    public static long size(long[] s) {
        long n = 1;
        for (long d : s) {
            n *= d;
        }
        return n;
    }

    /** {@code [batch, ...shape]}. */
    public static long[] withBatch(long batch, long[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = batch;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    /** {@code [2, 3]} style (a shape of very many axes is shortened). */
    public static String str(long[] s) {
        return org.hamux.core.HamuxException.shorten(Arrays.toString(s), 120);
    }
}

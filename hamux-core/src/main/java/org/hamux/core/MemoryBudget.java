package org.hamux.core;

import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The largest array a spec, a file or a command may make this process allocate: every array whose size comes from
 * input (layer states times the batch, parameters, arrays in files and archives, data sets) is checked against it
 * before it is made, so that a shape like {@code [46341, 46341]} is refused with a message instead of exhausting the
 * machine. The default is half of what the process may allocate off the heap (JavaCPP's {@code maxBytes}, by default
 * the JVM's {@code -Xmx}) or of the machine's memory, whichever is smaller; {@code -Dhamux.maxMemory=4g} or the
 * command line's {@code --max-memory} sets it.
 */
public final class MemoryBudget {

    /** The system property that sets the budget ({@code 512m}, {@code 4g}, or bytes). */
    public static final String PROPERTY = "hamux.maxMemory";

    private static volatile long limit = initial();

    private MemoryBudget() {
    }

    private static long initial() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return parse(p, "-D" + PROPERTY);
        }
        long offHeap = Pointer.maxBytes() > 0 ? Pointer.maxBytes() : Runtime.getRuntime().maxMemory();
        long physical = Pointer.totalPhysicalBytes() > 0 ? Pointer.totalPhysicalBytes() : offHeap;
        return Math.max(1L << 20, Math.min(offHeap, physical) / 2);
    }

    /** The budget in bytes. */
    public static long bytes() {
        return limit;
    }

    /** Sets the budget back to its default (the system property, else the machine's). */
    public static void reset() {
        limit = initial();
    }

    /** Sets the budget, in bytes (at least 1 MB). */
    public static void set(long bytes) {
        if (bytes < (1L << 20)) {
            throw new HamuxException("the memory budget must be at least 1 MB, got " + human(bytes));
        }
        limit = bytes;
    }

    /** {@code 512m}, {@code 4g}, {@code 1.5g}, {@code 2000000} (bytes) as bytes; {@code what} names the setting. */
    public static long parse(String text, String what) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (!t.isEmpty() && "kmgt".indexOf(t.charAt(t.length() - 1)) >= 0) {
            unit = 1L << (10 * ("kmgt".indexOf(t.charAt(t.length() - 1)) + 1));
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("b") && unit == 1) {
            t = t.substring(0, t.length() - 1);
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new HamuxException(what + ": '" + HamuxException.shorten(text, 40) + "' is not a size (like 512m or 4g)");
        }
        if (!(v * unit >= 1) || v * unit > Long.MAX_VALUE) {
            throw new HamuxException(what + ": '" + HamuxException.shorten(text, 40) + "' is not a positive size");
        }
        return (long) (v * unit);
    }

    /**
     * Checks that an array of {@code shape} and {@code type} fits in the budget (and that its shape has a sane rank and
     * no negative size); throws a {@link HamuxException} that names {@code what} and its size otherwise.
     */
    public static void check(String what, DataType type, long... shape) {
        Shapes.check(what, shape);
        long n = Shapes.elements(shape);
        long width = type.width();
        if (n < 0 || n > Long.MAX_VALUE / width) {
            throw new HamuxException(what + " of shape " + Shapes.str(shape) + " has more elements than can be counted");
        }
        long bytes = n * width;
        if (bytes > limit) {
            throw new HamuxException(what + " of shape " + Shapes.str(shape) + " needs " + human(bytes)
                    + ", more than the memory budget of " + human(limit) + " (set it with --max-memory or -D" + PROPERTY + ")");
        }
    }

    /** {@code 8.6 GB}, {@code 512 MB}, {@code 1.2 kB}. */
    public static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}

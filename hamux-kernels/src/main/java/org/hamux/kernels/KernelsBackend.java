package org.hamux.kernels;

import org.hamux.core.ops.Backends;
import org.hamux.core.ops.EagerOps;

/**
 * Makes {@link FastOps#standard()} the library's backend when this module is on the class path ({@link Backends}).
 * What the JVM cannot be given at load time it says once, on stderr, with the fix: the SIMD kernels need
 * {@code --add-modules jdk.incubator.vector}, and libnd4j's and OpenBLAS's thread pools want
 * {@code OMP_WAIT_POLICY=PASSIVE} (read by the native libraries before any Java code runs). The {@code hamux}
 * launcher sets both; {@code -Dhamux.quiet=true} silences the note.
 */
public final class KernelsBackend implements Backends.Provider {

    @Override
    public EagerOps ops() {
        FastOps ops = FastOps.standard();
        advise();
        return ops;
    }

    private static volatile boolean advised;

    /** The note about the JVM's options, once per JVM, only where one of them is missing. */
    static void advise() {
        if (advised || Boolean.getBoolean("hamux.quiet")) {
            return;
        }
        advised = true;
        StringBuilder fix = new StringBuilder();
        if (!Simd.AVAILABLE) {
            fix.append(" --add-modules jdk.incubator.vector (the JVM option; without it the element-wise ops run on ND4J,"
                    + " about 4 times slower)");
        }
        if (!"PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"))) {
            fix.append(fix.length() > 0 ? " and" : "").append(" OMP_WAIT_POLICY=PASSIVE (in the environment; without it"
                    + " the native thread pools can spin against each other, up to twice as slow)");
        }
        if (fix.length() > 0) {
            System.err.println("hamux: note: for full speed start the JVM with" + fix
                    + "; the hamux launcher does both (-Dhamux.quiet=true hides this note)");
        }
    }
}

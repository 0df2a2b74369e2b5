package org.hamux.core.ops;

import java.util.ServiceLoader;

/**
 * The backend the library runs arrays with unless told otherwise: the fastest {@link EagerOps} on the class path. The
 * module {@code hamux-kernels} provides one ({@code FastOps}: SIMD kernels, direct OpenBLAS products, arrays reused
 * from step to step); without it, the plain {@link EagerOps#INSTANCE}. Any backend can be given explicitly instead
 * ({@code Dynamics.Builder#ops}, {@code new Tape(dtype, ops)}).
 */
public final class Backends {

    /** Provides a backend, found with {@link ServiceLoader} ({@code META-INF/services/org.hamux.core.ops.Backends$Provider}). */
    public interface Provider {
        /** The backend. */
        EagerOps ops();
    }

    private static volatile EagerOps standard;

    private Backends() {
    }

    /** The backend of the first {@link Provider} found, else {@link EagerOps#INSTANCE} (looked up once). */
    public static EagerOps standard() {
        EagerOps s = standard;
        if (s == null) {
            synchronized (Backends.class) {
                if (standard == null) {
                    standard = ServiceLoader.load(Provider.class).findFirst().map(Provider::ops).orElse(EagerOps.INSTANCE);
                }
                s = standard;
            }
        }
        return s;
    }
}

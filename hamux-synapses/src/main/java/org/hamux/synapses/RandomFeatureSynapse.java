package org.hamux.synapses;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Rng;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The random-feature Dense Associative Memory (DrDAM) on one layer: the log-sum-exp memory with the
 * negative half squared distance, {@code E = -(1/beta) log sum_mu exp(-beta/2 |g - xi_mu|^2)}, estimated
 * with {@code Y} random features {@code phi} of the kernel {@code exp(-beta/2 |x - y|^2)}:
 * <pre>  E = -(1/beta) log( phi(g) . T ),   T = sum_mu phi(xi_mu)</pre>
 * so that the memories are folded into one vector {@code T} and the model size does not grow with their
 * number. With {@code omega_k ~ N(0, I)} (rows of {@code omega [Y, D]}) and {@code h = sqrt(beta) omega g}:
 * <ul>
 *   <li>{@code trigonometric}: {@code phi(x) = [cos h, sin h] / sqrt(Y)}, {@code 2Y} features; unbiased,
 *       but {@code phi(g) . T} may be {@code <= 0} far from the memories or with few features;</li>
 *   <li>{@code positive}: {@code phi(x) = exp(h - beta |x|^2) / sqrt(Y)}, {@code Y} features, always
 *       positive (computed max-shifted).</li>
 * </ul>
 *
 * <p>Gradient: {@code dE/dg = -(1/beta) (d phi(g)/dg)^T T / (phi(g) . T)}, i.e. for trigonometric features
 * {@code -(1/beta) sqrt(beta/Y) sum_k (-sin h_k T_k + cos h_k T_(Y+k)) omega_k / (phi . T)} and for positive
 * ones {@code -(1/beta) sum_k p_k (sqrt(beta) omega_k - 2 beta g)} with {@code p_k = phi_k T_k / (phi . T)}.
 *
 * <p><b>Where {@code phi(g) . T <= 0}</b> (trigonometric features only) the logarithm is undefined: the
 * energy is {@code +Infinity} there (never NaN), the gradient 0, and the dynamics stops with a
 * {@code DivergenceException} naming the synapse and the step. More features, or positive ones, avoid it.
 *
 * <p>Shapes: {@code g [B, ...s]}, {@code omega [Y, D]}, {@code T [2Y]} (trigonometric: cosines then sines) or
 * {@code [Y]} (positive); energy {@code [B]}. As for {@link LseMemorySynapse}, {@code D} is the layer's size
 * or its last axis (then the memory acts on every row and the rows' energies are summed). {@code beta} is
 * a fixed setting (T depends on it), not a trainable parameter.
 *
 * <p>JSON: {@code {"type": "random-features", "kind": "positive"|"trigonometric", "beta": 1, "features": Y,
 * "seed": 0, "memories": ARRAY [K, D]}}, or with the folded form {@code "params": {"omega": ARRAY, "T": ARRAY}}
 * instead of {@code features}, {@code seed} and {@code memories} (this is how it is written back).
 */
public final class RandomFeatureSynapse extends Hypersynapse {

    /** The JSON type name. */
    public static final String TYPE = "random-features";

    /** The default inverse temperature. */
    public static final double DEFAULT_BETA = 1.0;
    /** The default kind of features: positive ones, whose estimate is never {@code <= 0}. */
    public static final Kind DEFAULT_KIND = Kind.POSITIVE;
    /** The default seed of {@code omega}. */
    public static final long DEFAULT_SEED = 0;

    /** The family of random features. */
    public enum Kind {
        TRIGONOMETRIC, POSITIVE;

        /** The JSON name. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind of a JSON name; throws {@link IllegalArgumentException} listing the names. */
        public static Kind of(String name) {
            for (Kind k : values()) {
                if (k.jsonName().equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown kind of random features '" + name
                    + "' (known: trigonometric, positive)");
        }

        /** The number of features made from {@code y} frequencies. */
        public long width(long y) {
            return this == TRIGONOMETRIC ? 2 * y : y;
        }
    }

    private final Kind kind;
    private final double beta;

    /**
     * The folded form.
     *
     * @param omega the frequencies {@code [Y, D]}, normal draws
     * @param t     the folded memories {@code sum_mu phi(xi_mu)}: {@code [2Y]} (trigonometric) or {@code [Y]}
     * @param beta  the inverse temperature, positive and finite
     * @param kind  the kind of features
     */
    public RandomFeatureSynapse(INDArray omega, INDArray t, double beta, Kind kind) {
        Objects.requireNonNull(omega, "omega");
        Objects.requireNonNull(t, "T");
        this.kind = Objects.requireNonNull(kind, "kind");
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, got " + beta);
        }
        if (omega.rank() != 2 || omega.size(0) < 1) {
            throw new IllegalArgumentException("parameter 'omega' must be [Y, D], got " + Shapes.str(omega.shape()));
        }
        long m = kind.width(omega.size(0));
        if (!Arrays.equals(t.shape(), new long[] {m})) {
            throw new IllegalArgumentException("parameter 'T' has shape " + Shapes.str(t.shape()) + " but " + kind.jsonName()
                    + " features of omega " + Shapes.str(omega.shape()) + " need [" + m + "]");
        }
        this.beta = beta;
        declare("omega", omega);
        declare("T", t);
    }

    /**
     * {@code features} frequencies drawn with {@code seed}, and the memories {@code xi [K, D]} folded in.
     */
    public static RandomFeatureSynapse of(INDArray xi, double beta, int features, Kind kind, long seed) {
        if (features < 1) {
            throw new IllegalArgumentException("features must be at least 1, got " + features);
        }
        if (xi.rank() != 2) {
            throw new IllegalArgumentException("memories must be [K, D], got " + Shapes.str(xi.shape()));
        }
        INDArray omega = new Rng(seed).normal(xi.dataType(), 0, 1, features, xi.size(1));
        RandomFeatureSynapse empty = new RandomFeatureSynapse(omega,
                org.nd4j.linalg.factory.Nd4j.zeros(xi.dataType(), kind.width(features)), beta, kind);
        return empty.withMemories(xi);
    }

    /** A copy with the memories {@code xi [K, D]} added to {@code T}; this synapse is not modified. */
    public RandomFeatureSynapse withMemories(INDArray xi) {
        INDArray omega = parameter("omega");
        if (xi.rank() != 2 || xi.size(1) != omega.size(1)) {
            throw new IllegalArgumentException("memories must be [K, " + omega.size(1) + "], got " + Shapes.str(xi.shape()));
        }
        INDArray phi = features(xi.castTo(omega.dataType()));
        INDArray t = parameter("T").add(phi.sum(0));                     // T + sum_mu phi(xi_mu)
        return new RandomFeatureSynapse(omega, t, beta, kind);
    }

    /** {@code phi(x)} for the rows of {@code x [N, D]}: {@code [N, 2Y]} or {@code [N, Y]}. */
    public INDArray features(INDArray x) {
        EagerOps o = EagerOps.INSTANCE;
        INDArray omega = parameter("omega");
        INDArray h = o.mul(o.mmul(x, omega, false, true), Math.sqrt(beta));
        double norm = 1 / Math.sqrt(omega.size(0));
        if (kind == Kind.TRIGONOMETRIC) {
            return o.mul(o.concat(1, o.cos(h), o.sin(h)), norm);
        }
        return o.mul(o.expOfDifference(h, o.mul(Tensors.sumRowsKeep(o, o.square(x)), beta)), norm);
    }

    @Override
    public String type() {
        return TYPE;
    }

    public Kind kind() {
        return kind;
    }

    public double beta() {
        return beta;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("kind", kind.jsonName());
        h.put("beta", beta);
        return h;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        DamSynapse.checkMemoryWidth(TYPE, "omega", parameter("omega").shape(), layerShapes);
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        T omega = o.param(this, "omega");
        T t = o.param(this, "T");
        long[] gs = o.shape(g.get(0));
        T x = Tensors.rows(o, g.get(0), o.shape(omega)[1]);
        T h = o.mul(o.mmul(x, omega, false, true), Math.sqrt(beta));         // h = sqrt(beta) omega x   [R, Y]
        long y = o.shape(omega)[0];
        T logz;
        if (kind == Kind.TRIGONOMETRIC) {
            T phi = o.concat(1, o.cos(h), o.sin(h));                             // sqrt(Y) phi   [R, 2Y]
            T z = o.mmul(phi, column(o, t));                                     // sqrt(Y) phi . T   [R, 1]
            logz = o.add(o.log(o.relu(z)), -0.5 * Math.log(y));                  // log(phi . T); -inf where <= 0
        } else {
            T a = o.sub(h, o.mul(Tensors.sumRowsKeep(o, o.square(x)), beta));   // a = h - beta |x|^2
            T m = Tensors.maxRowsKeep(o, a);
            T z = o.mmul(o.expOfDifference(a, m), column(o, t));           // sum_k e^(a_k - m) T_k   [R, 1]
            logz = o.add(o.add(m, o.log(o.relu(z))), -0.5 * Math.log(y));        // log(phi . T)
        }
        T e = o.mul(o.reshape(logz, o.shape(logz)[0]), -1 / beta);             // E_row = -(1/beta) log(phi . T)
        long rows = o.shape(e)[0];
        return rows == gs[0] ? e : Tensors.sumRows(o, o.reshape(e, gs[0], rows / gs[0]));
    }

    @Override
    public <T> List<T> gradient(Ops<T> o, List<T> g) {
        T omega = o.param(this, "omega");
        T t = o.param(this, "T");
        T x = Tensors.rows(o, g.get(0), o.shape(omega)[1]);
        T h = o.mul(o.mmul(x, omega, false, true), Math.sqrt(beta));
        long m2 = kind.width(o.shape(omega)[0]);
        T tRow = o.reshape(t, 1, m2);
        T dlogz;                                                                // d log(phi . T) / dx   [R, D]
        if (kind == Kind.TRIGONOMETRIC) {
            T phiT = o.mul(o.concat(1, o.cos(h), o.sin(h)), tRow);               // sqrt(Y) phi_k T_k
            T z = Tensors.sumRowsKeep(o, phiT);                                  // sqrt(Y) phi . T   [R, 1]
            T dphiT = o.mul(o.concat(1, o.neg(o.sin(h)), o.cos(h)), tRow);       // sqrt(Y) dphi_k/dh_k T_k
            T dz = o.mul(o.mmul(dphiT, o.concat(0, omega, omega)), Math.sqrt(beta));  // sqrt(Y) dz/dx
            dlogz = o.mul(dz, Tensors.safeInverse(o, z));                                // dz/dx / z, 0 where z <= 0
        } else {
            T a = o.sub(h, o.mul(Tensors.sumRowsKeep(o, o.square(x)), beta));
            T w = o.mul(o.expOfDifference(a, Tensors.maxRowsKeep(o, a)), tRow); // e^(a_k - m) T_k
            T p = o.mul(w, Tensors.safeInverse(o, Tensors.sumRowsKeep(o, w)));           // p_k = phi_k T_k / (phi . T)
            // sum_k p_k (sqrt(beta) omega_k - 2 beta x)
            dlogz = o.sub(o.mul(o.mmul(p, omega), Math.sqrt(beta)), o.mul(o.mul(x, Tensors.sumRowsKeep(o, p)), 2 * beta));
        }
        T d = o.mul(dlogz, -1 / beta);                                           // dE/dg = -(1/beta) d log(phi . T)/dg
        return List.of(Tensors.shaped(o, d, o.shape(g.get(0))));
    }

    private static <T> T column(Ops<T> o, T t) {
        return o.reshape(t, o.shape(t)[0], 1);
    }
}

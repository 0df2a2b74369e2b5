package org.hamux.synapses;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Param;
import org.hamux.core.Rng;
import org.hamux.core.Setting;
import org.hamux.core.ops.Backends;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.hamux.core.spec.ComponentType;
import org.hamux.core.spec.Settings;
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
 * {@code [Y]} (positive); energy {@code [B]}. As for {@link DamSynapse}, {@code D} is the layer's size
 * or its last axis (then the memory acts on every row and the rows' energies are summed). {@code beta} is
 * a fixed setting (T depends on it), not a trainable parameter.
 *
 * <p>Settings and parameters: {@link #TYPE}. A spec gives the memories ({@code "memories"}, {@code "features"},
 * {@code "seed"}), or the folded form {@code omega} and {@code T} under {@code "params"}, which is how it is
 * written back.
 */
public final class RandomFeatureSynapse extends Hypersynapse {

    /** The family of random features. */
    public enum Kind {
        TRIGONOMETRIC, POSITIVE;


        /** The number of features made from {@code y} frequencies. */
        public long width(long y) {
            return this == TRIGONOMETRIC ? 2 * y : y;
        }
    }


    /** The frequencies. */
    public static final Param OMEGA = Param.array("omega", "the frequencies [Y, D], normal draws");
    /** The folded memories. */
    public static final Param FOLDED = Param.array("T", "the folded memories sum_mu phi(xi_mu): [2Y] trigonometric, [Y] positive");
    /** The kind of features. */
    public static final Setting<Kind> KIND = Setting.choice("kind", Kind.class, Kind.POSITIVE,
            "trigonometric [cos h, sin h] (2Y features, unbiased) or positive exp(h - beta |x|^2) (Y, never <= 0)");
    /** The inverse temperature, fixed ({@code T} depends on it). */
    public static final Setting<Double> BETA = Setting.number("beta", 1.0,
            "the inverse temperature, positive (fixed: T depends on it)");
    /** The memories to fold in. */
    public static final Setting<INDArray> MEMORIES = Setting.array("memories",
            "the memories [K, D] to fold into T (instead of omega and T under params)").optional();
    /** The number of frequencies to draw. */
    public static final Setting<Integer> FEATURES = Setting.integer("features", null,
            "the number Y of frequencies drawn for the memories").optional();
    /** The seed of the frequencies. */
    public static final Setting<Long> SEED = Setting.longInteger("seed", 0L, "the seed the frequencies are drawn with");
    /** The JSON type. */
    public static final ComponentType<RandomFeatureSynapse> TYPE = ComponentType.<RandomFeatureSynapse>synapse(
            "random-features", "E = -(1/beta) log(phi(g) . T), T = sum_mu phi(xi_mu): the distance log-sum-exp memory"
                    + " estimated with random features (DrDAM)")
            .params(OMEGA, FOLDED).settings(KIND, BETA, MEMORIES, FEATURES, SEED).build(RandomFeatureSynapse::read);

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
        this.kind = set(KIND, Objects.requireNonNull(kind, "kind"));
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, got " + beta);
        }
        if (omega.rank() != 2 || omega.size(0) < 1) {
            throw new IllegalArgumentException("parameter 'omega' must be [Y, D], got " + Shapes.str(omega.shape()));
        }
        long m = kind.width(omega.size(0));
        if (!Arrays.equals(t.shape(), new long[] {m})) {
            throw new IllegalArgumentException("parameter 'T' has shape " + Shapes.str(t.shape()) + " but " + Setting.word(kind)
                    + " features of omega " + Shapes.str(omega.shape()) + " need [" + m + "]");
        }
        this.beta = set(BETA, beta);
        declare(OMEGA, omega);
        declare(FOLDED, t);
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
        INDArray omega = parameter(OMEGA);
        if (xi.rank() != 2 || xi.size(1) != omega.size(1)) {
            throw new IllegalArgumentException("memories must be [K, " + omega.size(1) + "], got " + Shapes.str(xi.shape()));
        }
        INDArray phi = features(xi.castTo(omega.dataType()));
        INDArray t = parameter(FOLDED).add(phi.sum(0));                     // T + sum_mu phi(xi_mu)
        return new RandomFeatureSynapse(omega, t, beta, kind);
    }

    /** {@code phi(x)} for the rows of {@code x [N, D]}: {@code [N, 2Y]} or {@code [N, Y]}, with the standard backend. */
    public INDArray features(INDArray x) {
        return features(Backends.standard(), x);
    }

    /** {@code phi(x)} for the rows of {@code x [N, D]} with any backend: {@code [cos h, sin h] / sqrt(Y)} or {@code e^a / sqrt(Y)}. */
    public <V> V features(Ops<V> o, V x) {
        V omega = o.param(this, OMEGA);
        V h = frequencies(o, x, omega);
        double norm = 1 / Math.sqrt(o.shape(omega)[0]);
        return o.mul(kind == Kind.TRIGONOMETRIC ? o.concat(1, o.cos(h), o.sin(h)) : o.exp(exponents(o, x, h)), norm);
    }

    /** {@code h = sqrt(beta) omega x} for the rows {@code x}: {@code [R, Y]}. */
    private <V> V frequencies(Ops<V> o, V x, V omega) {
        return o.mul(o.mmul(x, omega, false, true), Math.sqrt(beta));
    }

    /** The exponents of the positive features, {@code a = h - beta |x|^2}: {@code [R, Y]}. */
    private <V> V exponents(Ops<V> o, V x, V h) {
        return o.sub(h, o.mul(Tensors.sumRowsKeep(o, o.square(x)), beta));
    }

    /** From a spec: the memories folded in, or the folded form. */
    private static RandomFeatureSynapse read(Settings s) {
        Kind kind = s.get(KIND);
        double beta = s.get(BETA);
        if (s.has(MEMORIES)) {
            if (!s.has(FEATURES)) {
                throw s.error(null, "missing required key 'features' (" + FEATURES.doc() + ")");
            }
            int features = s.get(FEATURES);
            long seed = s.get(SEED);
            return of(s.get(MEMORIES), beta, features, kind, seed);
        }
        if (s.has(FEATURES) || s.has(SEED)) {
            throw s.error(s.has(FEATURES) ? FEATURES : SEED,
                    "features and seed draw omega for \"memories\": give the memories, or omega and T under \"params\"");
        }
        return new RandomFeatureSynapse(s.array(OMEGA, null), s.array(FOLDED, null), beta, kind);
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    public Kind kind() {
        return kind;
    }

    public double beta() {
        return beta;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        DamSynapse.checkMemoryWidth(TYPE.name(), OMEGA.name(), parameter(OMEGA).shape(), layerShapes);
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        T omega = o.param(this, OMEGA);
        T t = o.param(this, FOLDED);
        long[] gs = o.shape(g.get(0));
        T x = Tensors.rows(o, g.get(0), o.shape(omega)[1]);
        T h = frequencies(o, x, omega);                                       // h = sqrt(beta) omega x   [R, Y]
        long y = o.shape(omega)[0];
        T logz;
        if (kind == Kind.TRIGONOMETRIC) {
            T phi = o.concat(1, o.cos(h), o.sin(h));                             // sqrt(Y) phi   [R, 2Y]
            T z = o.mmul(phi, column(o, t));                                     // sqrt(Y) phi . T   [R, 1]
            logz = o.add(o.log(o.relu(z)), -0.5 * Math.log(y));                  // log(phi . T); -inf where <= 0
        } else {
            T a = exponents(o, x, h);                                            // a = h - beta |x|^2
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
        T omega = o.param(this, OMEGA);
        T t = o.param(this, FOLDED);
        T x = Tensors.rows(o, g.get(0), o.shape(omega)[1]);
        T h = frequencies(o, x, omega);
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
            T a = exponents(o, x, h);
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

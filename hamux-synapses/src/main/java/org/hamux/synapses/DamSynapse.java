package org.hamux.synapses;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Param;
import org.hamux.core.Setting;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.hamux.core.spec.ComponentType;
import org.hamux.core.spec.Settings;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Dense Associative Memory family on one layer:
 * <pre>  E = -c Q( sum_mu F( beta S(xi_mu, g) ) )   per row, summed over the rows of a sample</pre>
 * with
 * <ul>
 *   <li>separation {@code F}: {@code power} {@code F(s) = s^n} (n a positive integer), {@code relu-power}
 *       {@code F(s) = relu(s)^n} (n &ge; 1), {@code exp} {@code F(s) = e^s}, {@code shifted-relu}
 *       {@code F(s) = relu(1 + s)} (the Epanechnikov kernel of the LSR paper, Hoover et al. 2025: with the
 *       distance similarity {@code F = relu(1 - beta/2 |g - xi_mu|^2)});</li>
 *   <li>similarity {@code S}: {@code dot} {@code <xi_mu, g>}, {@code neg-half-sq-distance}
 *       {@code -|g - xi_mu|^2 / 2};</li>
 *   <li>{@code Q}: the identity, or ({@code log = true}) {@code Q(z) = log(eps + z)};</li>
 *   <li>prefactor {@code c}: a number (1 by default) or {@code 1/beta}.</li>
 * </ul>
 *
 * <p>Gradient, with {@code s_mu = beta S(xi_mu, g)} and {@code Q'(z) = 1} or {@code 1/(eps + z)}:
 * {@code dE/dg = -c beta Q'(z) sum_mu F'(s_mu) dS_mu/dg}, where {@code dS/dg = xi_mu} (dot) or
 * {@code xi_mu - g} (distance). The exp/log form is computed max-shifted.
 *
 * <p><b>Where {@code eps + sum_mu F <= 0}</b> (with {@code shifted-relu} and {@code eps = 0}: no memory
 * within {@code |g - xi_mu| < sqrt(2/beta)}; with an odd {@code power}: a negative sum) the log form is
 * undefined: the energy is {@code +Infinity} there (never NaN) and the gradient is taken as 0 (no memory
 * pulls). The dynamics stops with a {@code DivergenceException} naming the synapse and the step. Give
 * {@code eps > 0} for a finite plateau {@code -c log(eps)} instead.
 *
 * <p>Shapes: {@code g [B, ...s]}, memories {@code xi [K, D]}, scalar parameter {@code beta}; energy
 * {@code [B]}. If {@code D = prod(s)} the memory acts on the flattened layer; otherwise {@code D} must be the
 * last axis of {@code s}, and the memory acts on every row (token) with the rows' energies summed.
 *
 * <p>Settings, parameters and presets: {@link #TYPE} and the preset constants; every preset is the same synapse
 * with other defaults (any key may still be given) and is written back under its name with all its settings. The
 * modern Hopfield network (exp, dot, log, 1/beta: {@link #LSE_MEMORY}) takes one fused soft-max and log-sum-exp.
 */
public final class DamSynapse extends Hypersynapse {

    /** The JSON value of the prefactor {@code 1/beta}. */
    public static final String INVERSE_BETA = "1/beta";

    /** The separation function {@code F}. */
    public enum Separation {
        POWER, RELU_POWER, EXP, SHIFTED_RELU;
    }

    /** The similarity {@code S}. */
    public enum Similarity {
        DOT, NEG_HALF_SQ_DISTANCE;
    }

    /** The memories. */
    public static final Param XI = Param.array("xi", "the memories [K, D], one per row; D the layer's size or its last axis");
    /** The inverse temperature. */
    public static final Param BETA = Param.scalar("beta", 1.0, "the inverse temperature, positive (learnable)");
    /** The separation function. */
    public static final Setting<Separation> SEPARATION = Setting.choice("separation", Separation.class, Separation.POWER,
            "F: power s^n, relu-power relu(s)^n, exp e^s, shifted-relu relu(1 + s)");
    /** The power of {@code power} and {@code relu-power}. */
    public static final Setting<Double> N = Setting.number("n", 2.0,
            "the power n of power (a positive integer) and relu-power (at least 1)");
    /** The similarity. */
    public static final Setting<Similarity> SIMILARITY = Setting.choice("similarity", Similarity.class, Similarity.DOT,
            "S: dot <xi, g>, neg-half-sq-distance -|g - xi|^2 / 2");
    /** Whether {@code Q} is the log. */
    public static final Setting<Boolean> LOG = Setting.bool("log", false, "Q(z) = log(eps + z) instead of z");
    /** The {@code eps} of the log form. */
    public static final Setting<Double> EPS = Setting.number("eps", 0.0, "eps of the log form, at least 0");
    /** The prefactor. */
    public static final Setting<Object> PREFACTOR = Setting.numberOr("prefactor", 1.0,
            "the prefactor c: a number or \"1/beta\"", INVERSE_BETA);

    /** The JSON type {@code dam}. */
    public static final ComponentType<DamSynapse> TYPE = ComponentType.<DamSynapse>synapse("dam",
            "E = -c Q(sum_mu F(beta S(xi_mu, g))), per row, summed over the rows of a sample")
            .params(XI, BETA).settings(SEPARATION, N, SIMILARITY, LOG, EPS, PREFACTOR).build(DamSynapse::read);
    /** {@code E = -1/2 sum_mu <xi_mu, g>^2}. */
    public static final ComponentType<DamSynapse> HOPFIELD = TYPE.preset("hopfield",
            "E = -1/2 sum_mu <xi_mu, g>^2 (classical Hopfield)", Map.of(N, 2.0, PREFACTOR, 0.5));
    /** {@code E = -sum_mu (beta <xi_mu, g>)^n}, n 3 by default. */
    public static final ComponentType<DamSynapse> POWER_DAM = TYPE.preset("power-dam",
            "E = -sum_mu (beta <xi_mu, g>)^n (Krotov & Hopfield 2016)", Map.of(N, 3.0));
    /** {@code E = -sum_mu exp(beta <xi_mu, g>)}. */
    public static final ComponentType<DamSynapse> EXP_DAM = TYPE.preset("exp-dam",
            "E = -sum_mu exp(beta <xi_mu, g>) (Demircigil et al. 2017)", Map.of(SEPARATION, Separation.EXP));
    /** {@code E = -(1/beta) log sum_mu exp(beta <xi_mu, g>)}: the modern Hopfield network. */
    public static final ComponentType<DamSynapse> LSE_MEMORY = TYPE.preset("lse-memory",
            "E = -(1/beta) log sum_mu exp(beta <xi_mu, g>) (modern Hopfield network)",
            Map.of(SEPARATION, Separation.EXP, LOG, true, PREFACTOR, INVERSE_BETA));
    /** {@code E = -(1/beta) log(eps + sum_mu relu(1 - beta/2 |g - xi_mu|^2))}. */
    public static final ComponentType<DamSynapse> LSR = TYPE.preset("lsr",
            "E = -(1/beta) log(eps + sum_mu relu(1 - beta/2 |g - xi_mu|^2)) (log-sum-ReLU, Hoover et al. 2025)",
            Map.of(SEPARATION, Separation.SHIFTED_RELU, SIMILARITY, Similarity.NEG_HALF_SQ_DISTANCE, LOG, true,
                    PREFACTOR, INVERSE_BETA));
    /** {@code E = -1/2 sum_mu relu(<xi_mu, g>)^2}. */
    public static final ComponentType<DamSynapse> ET_HOPFIELD = TYPE.preset("et-hopfield",
            "E = -1/2 sum_mu relu(<xi_mu, g>)^2 (the Energy Transformer's Hopfield module)",
            Map.of(SEPARATION, Separation.RELU_POWER, N, 2.0, PREFACTOR, 0.5));

    /** The DAM types: {@code dam} and its presets. */
    public static final List<ComponentType<DamSynapse>> TYPES = List.of(TYPE, HOPFIELD, POWER_DAM, EXP_DAM, LSE_MEMORY,
            LSR, ET_HOPFIELD);

    private final String typeName;
    private final Separation separation;
    private final double n;
    private final Similarity similarity;
    private final boolean log;
    private final double eps;
    /** The prefactor c; NaN stands for 1/beta. */
    private final double prefactor;

    private DamSynapse(Builder b) {
        Objects.requireNonNull(b.xi, "xi");
        if (!(b.beta > 0) || Double.isInfinite(b.beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, got " + b.beta);
        }
        if (b.separation == Separation.POWER && (!(b.n >= 1) || b.n != Math.rint(b.n) || Double.isInfinite(b.n))) {
            throw new IllegalArgumentException("n of the power separation must be a positive integer, got " + b.n);
        }
        if (b.separation == Separation.RELU_POWER && (!(b.n >= 1) || Double.isInfinite(b.n))) {
            throw new IllegalArgumentException("n of the relu-power separation must be at least 1, got " + b.n);
        }
        if (!(b.eps >= 0) || Double.isInfinite(b.eps)) {
            throw new IllegalArgumentException("eps must be at least 0 and finite, got " + b.eps);
        }
        if (Double.isInfinite(b.prefactor)) {
            throw new IllegalArgumentException("the prefactor must be finite, got " + b.prefactor);
        }
        boolean powered = b.separation == Separation.POWER || b.separation == Separation.RELU_POWER;
        this.typeName = b.typeName;
        this.separation = set(SEPARATION, b.separation);
        this.n = powered ? set(N, b.n) : 0;
        this.similarity = set(SIMILARITY, b.similarity);
        this.log = set(LOG, b.log);
        this.eps = b.log ? set(EPS, b.eps) : 0;
        this.prefactor = b.prefactor;
        set(PREFACTOR, Double.isNaN(b.prefactor) ? INVERSE_BETA : (Object) b.prefactor);
        declare(XI, b.xi);
        declare(BETA, b.xi.dataType().isFPType() ? Nd4j.scalar(b.xi.dataType(), b.beta) : scalar(b.beta));
    }

    /** A builder for memories {@code xi [K, D]}, with the defaults: power 2, dot, no log, prefactor 1, beta 1. */
    public static Builder builder(INDArray xi) {
        return new Builder(xi);
    }

    /** Classic Hopfield: {@code E = -1/2 sum_mu <xi_mu, g>^2}. */
    public static DamSynapse hopfield(INDArray xi) {
        return builder(xi).power(2).prefactor(0.5).named(HOPFIELD).build();
    }

    /** Polynomial DenseAM: {@code E = -sum_mu (beta <xi_mu, g>)^n}. */
    public static DamSynapse powerDam(INDArray xi, int n, double beta) {
        return builder(xi).power(n).beta(beta).named(POWER_DAM).build();
    }

    /** Exponential DenseAM: {@code E = -sum_mu exp(beta <xi_mu, g>)}. */
    public static DamSynapse expDam(INDArray xi, double beta) {
        return builder(xi).separation(Separation.EXP).beta(beta).named(EXP_DAM).build();
    }

    /** Log-sum-ReLU: {@code E = -(1/beta) log(eps + sum_mu relu(1 - beta/2 |g - xi_mu|^2))}. */
    public static DamSynapse lsr(INDArray xi, double beta, double eps) {
        return builder(xi).separation(Separation.SHIFTED_RELU).similarity(Similarity.NEG_HALF_SQ_DISTANCE)
                .log(eps).inverseBetaPrefactor().beta(beta).named(LSR).build();
    }

    /** The Energy Transformer's Hopfield module: {@code E = -1/2 sum_mu relu(<xi_mu, g>)^2}. */
    public static DamSynapse etHopfield(INDArray xi) {
        return builder(xi).separation(Separation.RELU_POWER).n(2).prefactor(0.5).named(ET_HOPFIELD).build();
    }

    /** The modern Hopfield network: {@code E = -(1/beta) log sum_mu exp(beta <xi_mu, g>)}. */
    public static DamSynapse lseMemory(INDArray xi, double beta) {
        return builder(xi).separation(Separation.EXP).log(0).inverseBetaPrefactor().beta(beta).named(LSE_MEMORY).build();
    }

    /** From a spec: the settings in the order they were always read, then the memories. */
    private static DamSynapse read(Settings s) {
        Separation f = s.get(SEPARATION);
        Similarity similarity = s.get(SIMILARITY);
        boolean powered = f == Separation.POWER || f == Separation.RELU_POWER;
        double n = powered ? s.get(N) : 0;
        boolean log = s.get(LOG);
        double eps = log ? s.get(EPS) : 0;
        Object c = s.get(PREFACTOR);
        double beta = s.number(BETA);
        @SuppressWarnings("unchecked")
        ComponentType<DamSynapse> type = (ComponentType<DamSynapse>) s.type();
        Builder b = builder(s.array(XI, memoryInit(s.layerShapes()))).separation(f).n(n).similarity(similarity).beta(beta)
                .named(type);
        if (log) {
            b.log(eps);
        }
        return (c instanceof Double d ? b.prefactor(d) : b.inverseBetaPrefactor()).build();
    }

    /** The {@code init} shape of memories on a one-axis layer {@code [-1, D]} (K from the init); null otherwise. */
    static long[] memoryInit(List<long[]> ls) {
        return ls.size() == 1 && ls.get(0).length == 1 ? new long[] {-1, ls.get(0)[0]} : null;
    }

    /** Settings of a {@link DamSynapse}. */
    public static final class Builder {
        private final INDArray xi;
        private String typeName = TYPE.name();
        private double beta = BETA.defaultValue();
        private Separation separation = SEPARATION.defaultValue();
        private double n = N.defaultValue();
        private Similarity similarity = SIMILARITY.defaultValue();
        private boolean log = LOG.defaultValue();
        private double eps = EPS.defaultValue();
        private double prefactor = (Double) PREFACTOR.defaultValue();

        private Builder(INDArray xi) {
            this.xi = xi;
        }

        public Builder beta(double beta) {
            this.beta = beta;
            return this;
        }

        public Builder separation(Separation f) {
            this.separation = Objects.requireNonNull(f, "separation");
            return this;
        }

        /** The power {@code n} of {@code power} and {@code relu-power}. */
        public Builder n(double n) {
            this.n = n;
            return this;
        }

        /** {@code F(s) = s^n}. */
        public Builder power(int n) {
            return separation(Separation.POWER).n(n);
        }

        public Builder similarity(Similarity s) {
            this.similarity = Objects.requireNonNull(s, "similarity");
            return this;
        }

        /** {@code Q(z) = log(eps + z)}. */
        public Builder log(double eps) {
            this.log = true;
            this.eps = eps;
            return this;
        }

        /** {@code Q} the identity (the default). */
        public Builder noLog() {
            this.log = false;
            return this;
        }

        public Builder prefactor(double c) {
            this.prefactor = c;
            return this;
        }

        /** The prefactor {@code 1/beta}. */
        public Builder inverseBetaPrefactor() {
            this.prefactor = Double.NaN;
            return this;
        }

        /** The name it is written under: {@code dam} or the preset's (the settings are written in full either way). */
        public Builder named(ComponentType<DamSynapse> preset) {
            this.typeName = preset.name();
            return this;
        }

        public DamSynapse build() {
            return new DamSynapse(this);
        }
    }

    @Override
    public String type() {
        return typeName;
    }

    public Separation separation() {
        return separation;
    }

    public Similarity similarity() {
        return similarity;
    }

    public boolean usesLog() {
        return log;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        checkMemoryWidth(TYPE.name(), XI.name(), parameter(XI).shape(), layerShapes);
    }

    /** Memories {@code [K, D]} with {@code D} the layer's size or last axis; shared with the random features. */
    static void checkMemoryWidth(String type, String name, long[] actual, List<long[]> layerShapes) {
        if (layerShapes.size() != 1) {
            throw new IllegalArgumentException("a " + type + " synapse connects 1 layer, not " + layerShapes.size());
        }
        long[] s = layerShapes.get(0);
        long flat = Shapes.size(s);
        long row = s[s.length - 1];
        if (actual.length != 2 || actual[0] < 1 || (actual[1] != flat && actual[1] != row)) {
            String expected = flat == row ? "[K, " + flat + "]"
                    : "[K, " + flat + "] (acting on the flattened layer) or [K, " + row + "] (acting on every row)";
            throw new IllegalArgumentException("parameter '" + name + "' has shape " + Shapes.str(actual)
                    + " but expected " + expected + "; give " + name
                    + " as K rows, each as wide as the layer or its last axis");
        }
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        return energy(o, g, scores(o, g));
    }

    @Override
    public <T> List<T> gradient(Ops<T> o, List<T> g) {
        return gradient(o, g, scores(o, g));
    }

    /** Energy and gradient from one evaluation of the scores {@code a = beta S(xi, g)}. */
    @Override
    public <T> EnergyAndGradient<T> energyAndGradient(Ops<T> o, List<T> g) {
        Scores<T> sc = scores(o, g);
        if (isLogSumExp() && o.shape(sc.a())[1] > 1) {
            return logSumExp(o, g, sc);
        }
        return new EnergyAndGradient<>(energy(o, g, sc), gradient(o, g, sc));
    }

    /** Exp, dot, log with eps 0 and prefactor 1/beta: {@code E = -(1/beta) log sum_mu e^(beta <xi_mu, g>)}. */
    private boolean isLogSumExp() {
        return separation == Separation.EXP && similarity == Similarity.DOT && log && eps == 0 && Double.isNaN(prefactor);
    }

    /** The modern Hopfield network from one fused soft-max and log-sum-exp of the scores: two matrix products in all. */
    private <T> EnergyAndGradient<T> logSumExp(Ops<T> o, List<T> g, Scores<T> sc) {
        long[] gs = o.shape(g.get(0));
        Ops.Softmax<T> sm = o.softmaxWithLogSumExp(sc.a(), 1);          // over the memories, max-shifted
        T grad = Tensors.shaped(o, o.mmul(sm.p(), o.param(this, XI), false, false, -1.0), gs); // dE/dg = -softmax(a) xi
        T lse = sm.lse();                                               // log sum_mu e^a_mu   [R, 1]
        T e = o.mul(o.reshape(lse, o.shape(lse)[0]), o.rdiv(o.param(this, BETA), -1.0)); // E_row = -lse / beta
        long rows = o.shape(e)[0];
        return new EnergyAndGradient<>(rows == gs[0] ? e : Tensors.sumRows(o, o.reshape(e, gs[0], rows / gs[0])), List.of(grad));
    }

    /** Two products of {@code [R, D] x [D, K]} (the scores and the pull): {@code 4 R D K}. */
    @Override
    public double gemmFlops(List<long[]> layerShapes, long batch) {
        long[] xi = parameter(XI).shape();
        double rows = (double) batch * Shapes.size(layerShapes.get(0)) / xi[1];
        return 4.0 * rows * xi[0] * xi[1];
    }

    /**
     * The rows {@code x [R, D]} of the layer, the scores {@code a_mu = beta S(xi_mu, x)} {@code [R, K]} and, for
     * the relu-power separation, {@code relu(a)} (which both {@code F} and {@code F'} need), else null.
     */
    private record Scores<T>(T x, T a, T reluA) {
    }

    private <T> Scores<T> scores(Ops<T> o, List<T> g) {
        T xi = o.param(this, XI);
        T x = Tensors.rows(o, g.get(0), o.shape(xi)[1]);
        T a = similarity(o, x, xi, o.param(this, BETA));
        return new Scores<>(x, a, separation == Separation.RELU_POWER ? o.relu(a) : null);
    }

    private <T> T energy(Ops<T> o, List<T> g, Scores<T> sc) {
        long[] gs = o.shape(g.get(0));
        T e = rowEnergy(o, sc);
        long rows = o.shape(e)[0];
        return rows == gs[0] ? e : Tensors.sumRows(o, o.reshape(e, gs[0], rows / gs[0]));
    }

    /** {@code E_row = -c Q(z)}, {@code z = sum_mu F(a_mu)}, for every row of the scores: {@code [R]}. */
    private <T> T rowEnergy(Ops<T> o, Scores<T> sc) {
        T beta = o.param(this, BETA);
        T a = sc.a();
        T q;
        if (separation == Separation.EXP && log) {
            q = logEpsSumExp(o, a);                                      // log(eps + sum_mu e^a_mu), shifted
        } else {
            T z = separationSum(o, sc);                                  // z = sum_mu F(a_mu)   [R]
            q = log ? o.log(o.relu(o.add(z, eps))) : z;                  // log(eps + z); -inf where eps + z <= 0
        }
        return Double.isNaN(prefactor) ? o.mul(q, o.rdiv(beta, -1.0))   // E_row = -c Q(z); c = 1/beta as a product
                : o.mul(q, -prefactor);
    }

    /**
     * Closed form for binary neurons: flipping neuron {@code i} of a row {@code x} changes every score by
     * {@code a'_mu = a_mu - 2 beta x_i xi_mu,i} (for both similarities), so the row's energy with neuron {@code i}
     * flipped is {@code E_row(a')}, for every {@code i} at once ({@code [R, D, K]}, a few rows at a time).
     */
    @Override
    public <T> T flipChanges(Ops<T> o, List<T> g, Set<Integer> slots) {
        T xi = o.param(this, XI);
        Scores<T> sc = scores(o, g);
        long r = o.shape(sc.x())[0];
        long d = o.shape(sc.x())[1];
        long k = o.shape(xi)[0];
        T eRow = rowEnergy(o, sc);                                       // [R]
        T step = o.mul(o.reshape(o.permute(xi, 1, 0), 1, d, k), o.mul(o.param(this, BETA), -2.0)); // -2 beta xi^T
        long chunk = Math.max(1, FLIP_ROWS / (d * k));
        T out = null;
        for (long from = 0; from < r; from += chunk) {
            long to = Math.min(r, from + chunk);
            long c = to - from;
            T x = c == r ? sc.x() : o.slice(sc.x(), 0, from, to);
            T a = c == r ? sc.a() : o.slice(sc.a(), 0, from, to);
            T flipped = o.reshape(o.add(o.reshape(a, c, 1, k), o.mul(o.reshape(x, c, d, 1), step)), c * d, k); // a'
            T e = rowEnergy(o, new Scores<>(null, flipped, separation == Separation.RELU_POWER ? o.relu(flipped) : null));
            T here = c == r ? eRow : o.slice(eRow, 0, from, to);
            T delta = o.sub(o.reshape(e, c, d), o.reshape(here, c, 1));
            out = out == null ? delta : o.concat(0, out, delta);
        }
        return Tensors.shaped(o, out, o.shape(g.get(0)));
    }

    /** The most score elements {@link #flipChanges} makes at once. */
    private static final long FLIP_ROWS = 1L << 22;

    private <T> List<T> gradient(Ops<T> o, List<T> g, Scores<T> sc) {
        T beta = o.param(this, BETA);
        T xi = o.param(this, XI);
        T x = sc.x();
        T a = sc.a();
        double k = derivativeFactor();
        T w;                                                            // w_mu = Q'(z) F'(a_mu) / k   [R, K]
        if (separation == Separation.EXP && log) {
            w = expOverEpsSum(o, a);                                     // e^a_mu / (eps + sum_nu e^a_nu)
        } else {
            T dF = separationSlope(o, sc);
            if (log) {
                T z = o.add(separationSum(o, sc), eps);                  // eps + z   [R]
                T inv = Tensors.safeInverse(o, z);                       // 1/(eps + z) where > 0, else 0
                w = o.mul(dF, o.reshape(inv, o.shape(inv)[0], 1));
            } else {
                w = dF;
            }
        }
        // dE/dg = -c beta k sum_mu w_mu dS_mu/dg: the factor -c beta k rides on the product (c beta = 1 when c = 1/beta)
        boolean inverse = Double.isNaN(prefactor);
        T factor = inverse ? null : o.mul(beta, -prefactor * k);
        T d;
        if (similarity == Similarity.DOT) {                             // factor sum_mu w_mu xi_mu   [R, D]
            d = inverse ? o.mmul(w, xi, false, false, -k) : o.mmul(w, xi, false, false, factor);
        } else {
            T pull = o.sub(o.mmul(w, xi), o.mul(x, Tensors.sumRowsKeep(o, w))); // sum_mu w_mu (xi_mu - g)
            d = inverse ? o.mul(pull, -k) : o.mul(pull, factor);
        }
        return List.of(Tensors.shaped(o, d, o.shape(g.get(0))));
    }

    /**
     * {@code beta S(xi_mu, x)}: {@code beta x xi^T} (beta folded into the product), or
     * {@code beta (x xi^T - |x|^2/2 - |xi_mu|^2/2)}; {@code [R, K]}.
     */
    private <T> T similarity(Ops<T> o, T x, T xi, T beta) {
        if (similarity == Similarity.DOT) {
            return o.mmul(x, xi, false, true, beta);
        }
        T dot = o.mmul(x, xi, false, true);
        long k = o.shape(xi)[0];
        T xx = Tensors.sumRowsKeep(o, o.square(x));                      // |x|^2   [R, 1]
        T mm = o.reshape(Tensors.sumRowsKeep(o, o.square(xi)), 1, k);    // |xi_mu|^2   [1, K]
        return o.mul(o.sub(dot, o.mul(o.add(xx, mm), 0.5)), beta);
    }

    /** {@code F(a)} element-wise. */
    private <T> T separation(Ops<T> o, Scores<T> sc) {
        T a = sc.a();
        return switch (separation) {
            case POWER -> o.pow(a, n);                                   // a^n
            case RELU_POWER -> o.pow(sc.reluA(), n);                     // relu(a)^n
            case EXP -> o.exp(a);                                        // e^a
            case SHIFTED_RELU -> o.relu(o.add(a, 1.0));                  // relu(1 + a)
        };
    }

    /** {@code z = sum_mu F(a_mu)} per row, {@code [R]}; a sum of squares as one dot product of each row with itself. */
    private <T> T separationSum(Ops<T> o, Scores<T> sc) {
        boolean squares = n == 2 && (separation == Separation.POWER || separation == Separation.RELU_POWER);
        if (squares && o.shape(sc.a())[1] > 1) {
            T base = separation == Separation.POWER ? sc.a() : sc.reluA();
            return o.dotPerSample(base, base);
        }
        return Tensors.sumRows(o, separation(o, sc));
    }

    /** The constant {@code k} of {@code F'(a) = k f(a)}: {@code n} for the powers, else 1. */
    private double derivativeFactor() {
        return separation == Separation.POWER || separation == Separation.RELU_POWER ? n : 1;
    }

    /** {@code F'(a) / k} element-wise ({@link #derivativeFactor}: the constant goes onto the gradient's product). */
    private <T> T separationSlope(Ops<T> o, Scores<T> sc) {
        T a = sc.a();
        return switch (separation) {
            case POWER -> n == 1 ? o.full(a, 1.0) : power(o, a, n - 1);                  // a^(n-1)
            case RELU_POWER -> n == 1 ? o.step(a) : power(o, sc.reluA(), n - 1);        // relu(a)^(n-1)
            case EXP -> o.exp(a);                                                       // e^a
            case SHIFTED_RELU -> o.step(o.add(a, 1.0));                                 // 1 where 1 + a > 0
        };
    }

    /** {@code a^p}; {@code a} itself when {@code p = 1}. */
    private static <T> T power(Ops<T> o, T a, double p) {
        return p == 1 ? a : o.pow(a, p);
    }

    /** The shift {@code m = max(max_mu a_mu, log eps)}, {@code [R, 1]}, so that both terms stay at most 1. */
    private <T> T shift(Ops<T> o, T a) {
        T m = Tensors.maxRowsKeep(o, a);
        if (eps == 0) {
            return m;
        }
        double le = Math.log(eps);
        return o.add(o.relu(o.add(m, -le)), le);                         // max(m, log eps)
    }

    /** {@code log(eps + sum_mu e^a_mu) = m + log(eps e^-m + sum_mu e^(a_mu - m))}, {@code [R]}. */
    private <T> T logEpsSumExp(Ops<T> o, T a) {
        if (eps == 0) {
            return Tensors.logSumExpRows(o, a);
        }
        T m = shift(o, a);
        T inner = o.add(Tensors.sumRowsKeep(o, o.expOfDifference(a, m)), o.mul(o.exp(o.neg(m)), eps));
        T r = o.add(m, o.log(inner));
        return o.reshape(r, o.shape(r)[0]);
    }

    /** {@code e^a_mu / (eps + sum_nu e^a_nu)}, shifted; the softmax when {@code eps = 0}. */
    private <T> T expOverEpsSum(Ops<T> o, T a) {
        if (eps == 0) {
            return Tensors.softmaxRows(o, a);
        }
        T m = shift(o, a);
        T ex = o.expOfDifference(a, m);
        T den = o.add(Tensors.sumRowsKeep(o, ex), o.mul(o.exp(o.neg(m)), eps));
        return o.div(ex, den);
    }
}

package org.hamux.synapses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.hamux.core.Hypersynapse;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
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
 * {@code xi_mu - g} (distance). The exp/log form is computed max-shifted, like {@link LseMemorySynapse}.
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
 * <p>JSON: {@code {"type": "dam", "separation": "power"|"relu-power"|"exp"|"shifted-relu", "n": 2,
 * "similarity": "dot"|"neg-half-sq-distance", "log": false, "eps": 0, "prefactor": 1 | "1/beta",
 * "beta": 1, "params": {"xi": ARRAY}}}. Presets, each the same synapse with other defaults (any key may
 * still be given):
 * <ul>
 *   <li>{@code hopfield}: power 2, dot, prefactor 1/2: {@code E = -1/2 sum_mu <xi_mu, g>^2};</li>
 *   <li>{@code power-dam}: power n (default {@value #DEFAULT_POWER_DAM_N}), dot:
 *       {@code E = -sum_mu (beta <xi_mu, g>)^n} (Krotov &amp; Hopfield 2016);</li>
 *   <li>{@code exp-dam}: exp, dot: {@code E = -sum_mu exp(beta <xi_mu, g>)} (Demircigil et al. 2017);</li>
 *   <li>{@code lsr}: shifted-relu, neg-half-sq-distance, log, prefactor 1/beta:
 *       {@code E = -(1/beta) log(eps + sum_mu relu(1 - beta/2 |g - xi_mu|^2))};</li>
 *   <li>{@code et-hopfield}: relu-power 2, dot, prefactor 1/2: {@code E = -1/2 sum_mu relu(<xi_mu, g>)^2}
 *       (the Energy Transformer's Hopfield module).</li>
 * </ul>
 * The modern Hopfield network (exp, dot, log, 1/beta) is {@link LseMemorySynapse} ({@code lse-memory}), a
 * faster special case of this one. A preset is written back as {@code dam} with all its settings.
 */
public final class DamSynapse extends Hypersynapse {

    /** The JSON type name. */
    public static final String TYPE = "dam";

    /** The default inverse temperature. */
    public static final double DEFAULT_BETA = 1.0;
    /** The default power {@code n} of {@code power} and {@code relu-power}. */
    public static final double DEFAULT_N = 2;
    /** The default power of the {@code power-dam} preset. */
    public static final int DEFAULT_POWER_DAM_N = 3;
    /** The default {@code eps} of the log form. */
    public static final double DEFAULT_EPS = 0.0;
    /** The default prefactor. */
    public static final double DEFAULT_PREFACTOR = 1.0;
    /** The JSON value of the prefactor {@code 1/beta}. */
    public static final String INVERSE_BETA = "1/beta";

    /** The separation function {@code F}. */
    public enum Separation {
        POWER, RELU_POWER, EXP, SHIFTED_RELU;

        /** The JSON name, e.g. {@code "relu-power"}. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The separation of a JSON name; throws {@link IllegalArgumentException} listing the names. */
        public static Separation of(String name) {
            for (Separation s : values()) {
                if (s.jsonName().equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown separation '" + name + "' (known: power, relu-power, exp, shifted-relu)");
        }
    }

    /** The similarity {@code S}. */
    public enum Similarity {
        DOT, NEG_HALF_SQ_DISTANCE;

        /** The JSON name, e.g. {@code "neg-half-sq-distance"}. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The similarity of a JSON name; throws {@link IllegalArgumentException} listing the names. */
        public static Similarity of(String name) {
            for (Similarity s : values()) {
                if (s.jsonName().equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown similarity '" + name + "' (known: dot, neg-half-sq-distance)");
        }
    }

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
        this.separation = b.separation;
        this.n = b.separation == Separation.POWER || b.separation == Separation.RELU_POWER ? b.n : 0;
        this.similarity = b.similarity;
        this.log = b.log;
        this.eps = b.log ? b.eps : 0;
        this.prefactor = b.prefactor;
        declare("xi", b.xi);
        declare("beta", b.xi.dataType().isFPType() ? Nd4j.scalar(b.xi.dataType(), b.beta) : scalar(b.beta));
    }

    /** A builder for memories {@code xi [K, D]}, with the defaults: power 2, dot, no log, prefactor 1, beta 1. */
    public static Builder builder(INDArray xi) {
        return new Builder(xi);
    }

    /** Classic Hopfield: {@code E = -1/2 sum_mu <xi_mu, g>^2}. */
    public static DamSynapse hopfield(INDArray xi) {
        return builder(xi).power(2).prefactor(0.5).build();
    }

    /** Polynomial DenseAM: {@code E = -sum_mu (beta <xi_mu, g>)^n}. */
    public static DamSynapse powerDam(INDArray xi, int n, double beta) {
        return builder(xi).power(n).beta(beta).build();
    }

    /** Exponential DenseAM: {@code E = -sum_mu exp(beta <xi_mu, g>)}. */
    public static DamSynapse expDam(INDArray xi, double beta) {
        return builder(xi).separation(Separation.EXP).beta(beta).build();
    }

    /** Log-sum-ReLU: {@code E = -(1/beta) log(eps + sum_mu relu(1 - beta/2 |g - xi_mu|^2))}. */
    public static DamSynapse lsr(INDArray xi, double beta, double eps) {
        return builder(xi).separation(Separation.SHIFTED_RELU).similarity(Similarity.NEG_HALF_SQ_DISTANCE)
                .log(eps).inverseBetaPrefactor().beta(beta).build();
    }

    /** The Energy Transformer's Hopfield module: {@code E = -1/2 sum_mu relu(<xi_mu, g>)^2}. */
    public static DamSynapse etHopfield(INDArray xi) {
        return builder(xi).separation(Separation.RELU_POWER).n(2).prefactor(0.5).build();
    }

    /** Settings of a {@link DamSynapse}. */
    public static final class Builder {
        private final INDArray xi;
        private double beta = DEFAULT_BETA;
        private Separation separation = Separation.POWER;
        private double n = DEFAULT_N;
        private Similarity similarity = Similarity.DOT;
        private boolean log;
        private double eps = DEFAULT_EPS;
        private double prefactor = DEFAULT_PREFACTOR;

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

        public DamSynapse build() {
            return new DamSynapse(this);
        }
    }

    @Override
    public String type() {
        return TYPE;
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
    public Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("separation", separation.jsonName());
        if (separation == Separation.POWER || separation == Separation.RELU_POWER) {
            h.put("n", n);
        }
        h.put("similarity", similarity.jsonName());
        h.put("log", log);
        if (log) {
            h.put("eps", eps);
        }
        h.put("prefactor", Double.isNaN(prefactor) ? INVERSE_BETA : prefactor);
        return h;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        checkMemoryWidth(TYPE, "xi", parameter("xi").shape(), layerShapes);
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
        return new EnergyAndGradient<>(energy(o, g, sc), gradient(o, g, sc));
    }

    /** Two products of {@code [R, D] x [D, K]} (the scores and the pull): {@code 4 R D K}. */
    @Override
    public double gemmFlops(List<long[]> layerShapes, long batch) {
        long[] xi = parameter("xi").shape();
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
        T xi = o.param(this, "xi");
        T x = Tensors.rows(o, g.get(0), o.shape(xi)[1]);
        T a = similarity(o, x, xi, o.param(this, "beta"));
        return new Scores<>(x, a, separation == Separation.RELU_POWER ? o.relu(a) : null);
    }

    private <T> T energy(Ops<T> o, List<T> g, Scores<T> sc) {
        T beta = o.param(this, "beta");
        long[] gs = o.shape(g.get(0));
        T a = sc.a();
        T q;
        if (separation == Separation.EXP && log) {
            q = logEpsSumExp(o, a);                                      // log(eps + sum_mu e^a_mu), shifted
        } else {
            T z = separationSum(o, sc);                                  // z = sum_mu F(a_mu)   [R]
            q = log ? o.log(o.relu(o.add(z, eps))) : z;                  // log(eps + z); -inf where eps + z <= 0
        }
        T e = Double.isNaN(prefactor) ? o.mul(q, o.rdiv(beta, -1.0))     // E_row = -c Q(z); c = 1/beta as a product
                : o.mul(q, -prefactor);
        long rows = o.shape(e)[0];
        return rows == gs[0] ? e : Tensors.sumRows(o, o.reshape(e, gs[0], rows / gs[0]));
    }

    private <T> List<T> gradient(Ops<T> o, List<T> g, Scores<T> sc) {
        T beta = o.param(this, "beta");
        T xi = o.param(this, "xi");
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
        T factor = Double.isNaN(prefactor) ? o.full(beta, -k) : o.mul(beta, -prefactor * k);
        T d;
        if (similarity == Similarity.DOT) {
            d = o.mmul(w, xi, false, false, factor);                     // factor sum_mu w_mu xi_mu   [R, D]
        } else {
            T pull = o.sub(o.mmul(w, xi), o.mul(x, Tensors.sumRowsKeep(o, w))); // sum_mu w_mu (xi_mu - g)
            d = o.mul(pull, factor);
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

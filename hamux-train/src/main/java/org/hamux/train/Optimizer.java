package org.hamux.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.hamux.core.HamuxException;
import org.hamux.core.ops.Backends;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * First-order optimizers over named INDArrays, updating the parameters in place. Written here rather than
 * taken from ND4J's updaters so that the state is a plain map of named arrays (saved in checkpoints and
 * restored exactly on resume) and the formulas are the textbook ones, stated below.
 *
 * <ul>
 * <li>{@code sgd}: {@code v <- mu v + (grad + wd p)}, {@code p <- p - lr v} (plain SGD when mu = 0).</li>
 * <li>{@code adam}: {@code grad += wd p} (L2), {@code m <- b1 m + (1-b1) grad},
 *     {@code v <- b2 v + (1-b2) grad^2}, {@code p <- p - lr mhat / (sqrt(vhat) + eps)} with bias-corrected
 *     {@code mhat = m/(1-b1^t)}, {@code vhat = v/(1-b2^t)}.</li>
 * <li>{@code adamw}: Adam without the L2 term, and decoupled decay {@code p <- p - lr wd p} before the
 *     Adam step (Loshchilov and Hutter).</li>
 * </ul>
 */
public final class Optimizer {

    /** The optimizer settings. */
    public record Settings(String type, double lr, double momentum, double beta1, double beta2, double eps,
                           double weightDecay) {

        public static final double DEFAULT_LR = 1e-3;
        public static final double DEFAULT_BETA1 = 0.9;
        public static final double DEFAULT_BETA2 = 0.999;
        public static final double DEFAULT_EPS = 1e-8;

        public Settings {
            type = type.toLowerCase(Locale.ROOT);
            if (!type.equals("sgd") && !type.equals("adam") && !type.equals("adamw")) {
                throw new HamuxException("unknown optimizer '" + type + "' (use sgd, adam or adamw)");
            }
            check("lr", lr, lr > 0 && Double.isFinite(lr), "positive");
            check("momentum", momentum, momentum >= 0 && momentum < 1, "in [0, 1)");
            check("beta1", beta1, beta1 >= 0 && beta1 < 1, "in [0, 1)");
            check("beta2", beta2, beta2 >= 0 && beta2 < 1, "in [0, 1)");
            check("eps", eps, eps > 0, "positive");
            check("weight_decay", weightDecay, weightDecay >= 0 && Double.isFinite(weightDecay), "at least 0");
        }

        private static void check(String name, double v, boolean ok, String what) {
            if (!ok) {
                throw new HamuxException("optimizer " + name + " must be " + what + ", got " + v);
            }
        }

        /** Adam with learning rate {@code lr} and the usual betas. */
        public static Settings adam(double lr) {
            return new Settings("adam", lr, 0, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0);
        }

        /** SGD with momentum. */
        public static Settings sgd(double lr, double momentum) {
            return new Settings("sgd", lr, momentum, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0);
        }

        /** AdamW with decoupled weight decay {@code wd}. */
        public static Settings adamw(double lr, double wd) {
            return new Settings("adamw", lr, 0, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, wd);
        }
    }

    private final Settings s;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long t;

    public Optimizer(Settings settings) {
        this.s = settings;
    }

    public Settings settings() {
        return s;
    }

    /** The number of updates made. */
    public long updates() {
        return t;
    }

    /**
     * One update of every parameter in {@code params} (modified in place) with its gradient in
     * {@code grads} (not modified) at learning rate {@code lr}.
     */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
        step(params, grads, lr, 1.0);
    }

    /**
     * One update of every parameter in {@code params} (modified in place) with its gradient in {@code grads} times
     * {@code scale} (e.g. a clipping factor; the gradients are not modified) at learning rate {@code lr}.
     */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr, double scale) {
        t++;
        for (var e : params.entrySet()) {
            String name = e.getKey();
            INDArray p = e.getValue();
            INDArray grad = grads.get(name);
            switch (s.type()) {
                case "sgd" -> {
                    INDArray g = grad.castTo(p.dataType()).mul(scale);
                    if (s.weightDecay() > 0) {
                        g.addi(p.mul(s.weightDecay()));
                    }
                    if (s.momentum() > 0) {
                        INDArray vel = m.computeIfAbsent(name, k -> p.like());
                        vel.muli(s.momentum()).addi(g);
                        p.subi(vel.mul(lr));
                    } else {
                        p.subi(g.muli(lr));
                    }
                }
                case "adam", "adamw" -> adam(name, p, grad, lr, scale);
                default -> throw new IllegalStateException(s.type());
            }
        }
    }

    /** Adam (or AdamW) on one parameter; see the class comment. */
    private void adam(String name, INDArray p, INDArray grad, double lr, double scale) {
        boolean decoupled = s.type().equals("adamw");
        double l2 = decoupled ? 0 : s.weightDecay();
        double decay = decoupled ? 1 - lr * s.weightDecay() : 1;
        INDArray mm = m.computeIfAbsent(name, k -> p.like());
        INDArray vv = v.computeIfAbsent(name, k -> p.like());
        double c1 = 1 - Math.pow(s.beta1(), t);
        double c2 = 1 - Math.pow(s.beta2(), t);
        Backends.standard().adam(p, grad, mm, vv, scale, l2, s.beta1(), s.beta2(), lr / c1, c2, s.eps(), decay);
    }

    /** The state by name: {@code m/<param>}, {@code v/<param>} and {@code t} (copies). */
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        m.forEach((k, a) -> out.put("m/" + k, a.dup()));
        v.forEach((k, a) -> out.put("v/" + k, a.dup()));
        out.put("t", org.nd4j.linalg.factory.Nd4j.scalar((double) t));
        return out;
    }

    /** Restores a state written by {@link #state()}. */
    public void load(Map<String, INDArray> state) {
        m.clear();
        v.clear();
        state.forEach((k, a) -> {
            if (k.startsWith("m/")) {
                m.put(k.substring(2), a.dup());
            } else if (k.startsWith("v/")) {
                v.put(k.substring(2), a.dup());
            } else if (k.equals("t")) {
                t = (long) a.getDouble(0);
            }
        });
    }

    /** The global L2 norm of the gradients, {@code sqrt(sum_i |g_i|^2)}. */
    public static double globalNorm(Map<String, INDArray> grads) {
        double sq = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        return Math.sqrt(sq);
    }

    /**
     * The factor that brings gradients of global norm {@code norm} down to at most {@code maxNorm}: {@code maxNorm /
     * norm} when {@code norm} is larger, else 1 (also when {@code maxNorm} is 0: no clipping).
     */
    public static double clipFactor(double norm, double maxNorm) {
        return maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1.0;
    }
}

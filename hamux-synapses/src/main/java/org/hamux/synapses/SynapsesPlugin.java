package org.hamux.synapses;

import java.util.ArrayList;
import java.util.List;
import org.hamux.core.HamuxPlugin;
import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Shapes;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecException;
import org.hamux.core.spec.SpecNode;
import org.hamux.synapses.DamSynapse.Separation;
import org.hamux.synapses.DamSynapse.Similarity;
import org.hamux.synapses.RandomFeatureSynapse.Kind;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Registers the synapses of this module under their JSON names: {@code dense}, {@code bias},
 * {@code lse-memory}, {@code dam} and its presets {@code hopfield}, {@code power-dam}, {@code exp-dam},
 * {@code lsr}, {@code et-hopfield}, {@code random-features}, {@code hidden}, {@code attention}, {@code conv},
 * {@code conv-pool}, and {@code class} (a user's synapse class, see {@link ClassSynapses}).
 */
public final class SynapsesPlugin implements HamuxPlugin {

    @Override
    public void register(Registry r) {
        r.addSynapse(DenseSynapse.TYPE, s -> {
            List<long[]> ls = s.layerShapes();
            long[] init = ls.isEmpty() ? null : ls.stream().mapToLong(Shapes::size).toArray();
            return new DenseSynapse(s.param("W", init));
        });
        r.addSynapse(BiasSynapse.TYPE, s -> {
            List<long[]> ls = s.layerShapes();
            return new BiasSynapse(s.param("b", ls.size() == 1 ? ls.get(0) : null));
        });
        r.addSynapse(LseMemorySynapse.TYPE, s -> {
            double beta = s.number("beta", LseMemorySynapse.DEFAULT_BETA);
            return new LseMemorySynapse(s.param("xi", memoryInit(s)), beta);
        });
        r.addSynapse(DamSynapse.TYPE, s -> dam(s, Separation.POWER, DamSynapse.DEFAULT_N, Similarity.DOT, false, 1.0));
        r.addSynapse("hopfield", s -> dam(s, Separation.POWER, 2, Similarity.DOT, false, 0.5));
        r.addSynapse("power-dam", s -> dam(s, Separation.POWER, DamSynapse.DEFAULT_POWER_DAM_N, Similarity.DOT,
                false, 1.0));
        r.addSynapse("exp-dam", s -> dam(s, Separation.EXP, 0, Similarity.DOT, false, 1.0));
        r.addSynapse("lsr", s -> dam(s, Separation.SHIFTED_RELU, 0, Similarity.NEG_HALF_SQ_DISTANCE, true, Double.NaN));
        r.addSynapse("et-hopfield", s -> dam(s, Separation.RELU_POWER, 2, Similarity.DOT, false, 0.5));
        r.addSynapse(RandomFeatureSynapse.TYPE, SynapsesPlugin::randomFeatures);
        r.addSynapse(HiddenSynapse.TYPE, s -> hidden(r, s));
        r.addSynapse(AttentionSynapse.TYPE, SynapsesPlugin::attention);
        r.addSynapse(ClassSynapses.TYPE, ClassSynapses::create);
        r.addSynapse(ConvSynapse.TYPE, s -> {
            int[] stride = pair(s, "stride", ConvSynapse.DEFAULT_STRIDE);
            int[] padding = pair(s, "padding", ConvSynapse.DEFAULT_PADDING);
            INDArray[] wb = kernel(s);
            return new ConvSynapse(wb[0], wb[1], stride, padding);
        });
        r.addSynapse(ConvPoolSynapse.TYPE, s -> {
            int[] stride = pair(s, "stride", ConvSynapse.DEFAULT_STRIDE);
            int[] padding = pair(s, "padding", ConvSynapse.DEFAULT_PADDING);
            String pool = s.string("pool", ConvPoolSynapse.DEFAULT_POOL);
            if (!s.has("window")) {
                throw s.error(null, "missing required key 'window' (the pooling window, e.g. 2 or [2, 2])");
            }
            int[] window = pair(s, "window", 0);
            int[] poolStride = s.has("pool_stride") ? pair(s, "pool_stride", 0) : null;
            INDArray[] wb = kernel(s);
            return new ConvPoolSynapse(wb[0], wb[1], stride, padding, pool, window, poolStride);
        });
    }

    /** A one-axis layer has one possible memory width; a wider layer allows [K, prod(shape)] or [K, last axis]. */
    private static long[] memoryInit(SpecNode s) {
        List<long[]> ls = s.layerShapes();
        return ls.size() == 1 && ls.get(0).length == 1 ? new long[] {-1, ls.get(0)[0]} : null;
    }

    /** A {@link DamSynapse} from {@code s}, the arguments being the defaults of the type (prefactor NaN: 1/beta). */
    private static DamSynapse dam(SpecNode s, Separation sep, double n, Similarity sim, boolean log, double prefactor) {
        Separation f;
        Similarity similarity;
        try {
            f = Separation.of(s.string("separation", sep.jsonName()));
        } catch (IllegalArgumentException e) {
            throw s.error("separation", e.getMessage());
        }
        try {
            similarity = Similarity.of(s.string("similarity", sim.jsonName()));
        } catch (IllegalArgumentException e) {
            throw s.error("similarity", e.getMessage());
        }
        boolean hasPower = f == Separation.POWER || f == Separation.RELU_POWER;
        double power = hasPower ? s.number("n", f == sep ? n : DamSynapse.DEFAULT_N) : 0;
        boolean useLog = s.bool("log", log);
        double eps = useLog ? s.number("eps", DamSynapse.DEFAULT_EPS) : 0;
        double c = prefactor(s, prefactor);
        double beta = s.number("beta", DamSynapse.DEFAULT_BETA);
        DamSynapse.Builder b = DamSynapse.builder(s.param("xi", memoryInit(s))).separation(f).n(power).similarity(similarity).beta(beta);
        if (useLog) {
            b.log(eps);
        }
        return (Double.isNaN(c) ? b.inverseBetaPrefactor() : b.prefactor(c)).build();
    }

    /** {@code "prefactor"}: a number or {@code "1/beta"}. */
    private static double prefactor(SpecNode s, double def) {
        if (!s.has("prefactor")) {
            return s.number("prefactor", def);
        }
        try {
            return s.number("prefactor");
        } catch (SpecException notANumber) {
            String v;
            try {
                v = s.string("prefactor");
            } catch (SpecException notAString) {
                throw s.error("prefactor", "expected a number or \"" + DamSynapse.INVERSE_BETA + "\"");
            }
            if (!v.equals(DamSynapse.INVERSE_BETA)) {
                throw s.error("prefactor", "expected a number or \"" + DamSynapse.INVERSE_BETA + "\", got \"" + v + "\"");
            }
            return Double.NaN;
        }
    }

    /** From memories ({@code features}, {@code seed}, {@code memories}) or folded ({@code params.omega}, {@code params.T}). */
    private static RandomFeatureSynapse randomFeatures(SpecNode s) {
        Kind kind;
        try {
            kind = Kind.of(s.string("kind", RandomFeatureSynapse.DEFAULT_KIND.jsonName()));
        } catch (IllegalArgumentException e) {
            throw s.error("kind", e.getMessage());
        }
        double beta = s.number("beta", RandomFeatureSynapse.DEFAULT_BETA);
        if (s.has("memories")) {
            int features = s.integer("features");
            long seed = s.longValue("seed", RandomFeatureSynapse.DEFAULT_SEED);
            return RandomFeatureSynapse.of(s.array("memories"), beta, features, kind, seed);
        }
        if (s.has("features") || s.has("seed")) {
            throw s.error(s.has("features") ? "features" : "seed",
                    "features and seed draw omega for \"memories\": give the memories, or omega and T under \"params\"");
        }
        return new RandomFeatureSynapse(s.param("omega", null), s.param("T", null), beta, kind);
    }

    /** The hidden layer's Lagrangian through the registry {@code r}; weights W0, W1, ... one per connected layer. */
    private static HiddenSynapse hidden(Registry r, SpecNode s) {
        SpecNode ls = s.child("lagrangian");
        if (ls == null) {
            throw s.error(null, "missing required key 'lagrangian' (the hidden layer's, e.g. {\"type\": \"softmax\"})");
        }
        Lagrangian lagrangian = r.lagrangian(ls);
        int hidden = s.integer("hidden", -1);
        int heads = s.integer("heads", 0);
        if (s.has("hidden") && hidden < 1) {
            throw s.error("hidden", "the hidden size must be at least 1, got " + hidden);
        }
        if (s.has("heads") && heads < 1) {
            throw s.error("heads", "the number of heads must be at least 1, got " + heads);
        }
        List<long[]> shapes = s.layerShapes();
        if (shapes.isEmpty()) {
            throw s.error(null, "a hidden synapse takes one weight array per connected layer: connect it to its layers");
        }
        List<INDArray> weights = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            long d = Shapes.size(shapes.get(i));
            long[] init = hidden < 1 ? null : heads > 0 ? new long[] {heads, d, hidden} : new long[] {d, hidden};
            weights.add(s.param("W" + i, init));
        }
        return new HiddenSynapse(lagrangian, weights);
    }

    /** {@code attention}: see {@link AttentionSynapse} for the keys. */
    private static AttentionSynapse attention(SpecNode s) {
        List<long[]> ls = s.layerShapes();
        long d = ls.isEmpty() ? -1 : ls.get(0)[ls.get(0).length - 1];
        long heads = s.longValue("heads", -1);
        long dim = s.longValue("head_dim", -1);
        long[] init = heads > 0 && dim > 0 && d > 0 ? new long[] {heads, dim, d} : null;
        INDArray wq = s.param("W_Q", init);
        INDArray wk = s.param("W_K", init);
        String[] keys = {"heads", "head_dim"};
        long[] given = {heads, dim};
        for (int axis = 0; axis < 2; axis++) {
            if (given[axis] > 0 && wq.rank() == 3 && wq.size(axis) != given[axis]) {
                throw s.error(keys[axis], "\"" + keys[axis] + "\" is " + given[axis] + " but W_Q has shape "
                        + Shapes.str(wq.shape()) + " = [H, Y, D]");
            }
        }
        // beta: a number or one per head, as a key or (as the spec writer puts a per-head beta) a parameter
        INDArray param = s.optionalParam("beta", null);
        if (param != null && s.has("beta")) {
            throw s.error("beta", "beta is given twice, as a key and under \"params\": give it once");
        }
        INDArray beta = s.has("beta") ? s.array("beta") : param;
        return new AttentionSynapse(wq, wk, beta, s.bool("diagonal", false));
    }

    /** An integer pair written as one number ({@code 2}: both axes) or a list {@code [2, 1]}; {@code def} if absent. */
    private static int[] pair(SpecNode s, String key, int def) {
        if (!s.has(key)) {
            s.integer(key, def);
            return new int[] {def, def};
        }
        long[] v;
        try {
            v = s.shape(key);
        } catch (SpecException notAList) {
            int n = s.integer(key);
            return new int[] {n, n};
        }
        if (v.length != 2) {
            throw s.error(key, "expected one integer or two [rows, columns], got " + v.length);
        }
        return new int[] {(int) v[0], (int) v[1]};
    }

    /**
     * The kernel {@code W} and optional bias {@code b} of a convolution; an {@code init} without a shape
     * makes {@code [O, C, kH, kW]} from the layers' channels and {@code "kernel": [kH, kW]}.
     */
    private static INDArray[] kernel(SpecNode s) {
        List<long[]> ls = s.layerShapes();
        long[] init = null;
        long outChannels = -1;
        if (ls.size() == 2 && ls.get(0).length == 3 && ls.get(1).length == 3) {
            outChannels = ls.get(1)[0];
            if (s.has("kernel")) {
                int[] k = pair(s, "kernel", 0);
                init = new long[] {outChannels, ls.get(0)[0], k[0], k[1]};
            }
        } else if (s.has("kernel")) {
            pair(s, "kernel", 0);
        }
        INDArray w = s.param("W", init);
        INDArray b = s.optionalParam("b", outChannels > 0 ? new long[] {outChannels} : null);
        return new INDArray[] {w, b};
    }
}

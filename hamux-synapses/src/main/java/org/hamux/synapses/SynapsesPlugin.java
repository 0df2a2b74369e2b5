package org.hamux.synapses;

import java.util.List;
import org.hamux.core.HamuxPlugin;
import org.hamux.core.ops.Shapes;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecException;
import org.hamux.core.spec.SpecNode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Registers the synapses of this module under their JSON names: {@code dense}, {@code bias},
 * {@code lse-memory}, {@code attention}, {@code conv}, {@code conv-pool}, and {@code class} (a user's synapse class, see
 * {@link ClassSynapses}).
 */
public final class SynapsesPlugin implements HamuxPlugin {

    @Override
    public void register(Registry r) {
        r.addSynapse(DenseSynapse.TYPE, s -> {
            List<long[]> ls = s.layerShapes();
            long[] init = ls.size() == 2 ? new long[] {Shapes.size(ls.get(0)), Shapes.size(ls.get(1))} : null;
            return new DenseSynapse(s.param("W", init));
        });
        r.addSynapse(BiasSynapse.TYPE, s -> {
            List<long[]> ls = s.layerShapes();
            return new BiasSynapse(s.param("b", ls.size() == 1 ? ls.get(0) : null));
        });
        r.addSynapse(LseMemorySynapse.TYPE, s -> {
            double beta = s.number("beta", LseMemorySynapse.DEFAULT_BETA);
            List<long[]> ls = s.layerShapes();
            // a one-axis layer has one possible width; a wider layer allows [K, prod(shape)] or [K, last axis]
            long[] init = ls.size() == 1 && ls.get(0).length == 1 ? new long[] {-1, ls.get(0)[0]} : null;
            return new LseMemorySynapse(s.param("xi", init), beta);
        });
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
        INDArray beta = s.has("beta") ? s.array("beta") : null;
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

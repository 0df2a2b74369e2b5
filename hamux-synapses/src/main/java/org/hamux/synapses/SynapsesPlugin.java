package org.hamux.synapses;

import java.util.List;
import org.hamux.core.HamuxPlugin;
import org.hamux.core.ops.Shapes;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecNode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Registers the synapses of this module under their JSON names: {@code dense}, {@code bias},
 * {@code lse-memory}, {@code attention}.
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
}

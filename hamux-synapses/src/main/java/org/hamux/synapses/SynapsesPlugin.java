package org.hamux.synapses;

import java.util.List;
import org.hamux.core.HamuxPlugin;
import org.hamux.core.ops.Shapes;
import org.hamux.core.spec.Registry;

/** Registers the synapses of this module under their JSON names: {@code dense}, {@code bias}, {@code lse-memory}. */
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
    }
}

package org.hamux.synapses;

import org.hamux.core.HamuxPlugin;
import org.hamux.core.spec.Registry;

/**
 * Registers the synapses of this module; each class declares its JSON type, settings and parameters as {@code TYPE}
 * (and {@link DamSynapse} its presets: {@code hopfield}, {@code power-dam}, {@code exp-dam}, {@code lse-memory},
 * {@code lsr}, {@code et-hopfield}). {@code class} names a user's synapse class ({@link ClassSynapses}).
 */
public final class SynapsesPlugin implements HamuxPlugin {

    @Override
    public void register(Registry r) {
        r.addSynapse(DenseSynapse.TYPE)
                .addSynapse(BiasSynapse.TYPE)
                .addSynapse(RandomFeatureSynapse.TYPE)
                .addSynapse(HiddenSynapse.TYPE)
                .addSynapse(AttentionSynapse.TYPE)
                .addSynapse(ConvSynapse.TYPE)
                .addSynapse(ConvPoolSynapse.TYPE)
                .addSynapse(ClassSynapses.TYPE);
        DamSynapse.TYPES.forEach(r::addSynapse);
    }
}

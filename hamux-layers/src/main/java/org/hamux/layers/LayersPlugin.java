package org.hamux.layers;

import org.hamux.core.HamuxPlugin;
import org.hamux.core.spec.Registry;

/** Registers the Lagrangians of this module; each declares its JSON type, settings and parameters as {@code TYPE}. */
public final class LayersPlugin implements HamuxPlugin {

    @Override
    public void register(Registry r) {
        r.addLagrangian(IdentityLagrangian.TYPE)
                .addLagrangian(ReluLagrangian.TYPE)
                .addLagrangian(RepuLagrangian.TYPE)
                .addLagrangian(ExpLagrangian.TYPE)
                .addLagrangian(RexpLagrangian.TYPE)
                .addLagrangian(TanhLagrangian.TYPE)
                .addLagrangian(SigmoidLagrangian.TYPE)
                .addLagrangian(SoftmaxLagrangian.TYPE)
                .addLagrangian(GhostmaxLagrangian.TYPE)
                .addLagrangian(LayerNormLagrangian.TYPE)
                .addLagrangian(SphericalLagrangian.TYPE)
                .addLagrangian(SignLagrangian.TYPE);
    }
}

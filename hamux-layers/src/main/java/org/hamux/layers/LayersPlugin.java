package org.hamux.layers;

import org.hamux.core.HamuxPlugin;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecNode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Registers the Lagrangians of this module under their JSON names: identity, relu, repu (n), exp (beta),
 * rexp (beta), tanh (beta), sigmoid (beta, scale), softmax (beta, axis), layernorm (gamma, delta, eps),
 * spherical (gamma, delta, eps), ghostmax (axis).
 */
public final class LayersPlugin implements HamuxPlugin {

    @Override
    public void register(Registry r) {
        r.addLagrangian("identity", s -> new IdentityLagrangian());
        r.addLagrangian("relu", s -> new ReluLagrangian());
        r.addLagrangian("repu", s -> new RepuLagrangian(s.number("n")));
        r.addLagrangian("exp", s -> new ExpLagrangian(s.number("beta", ExpLagrangian.DEFAULT_BETA)));
        r.addLagrangian("rexp", s -> new RexpLagrangian(s.number("beta", RexpLagrangian.DEFAULT_BETA)));
        r.addLagrangian("tanh", s -> new TanhLagrangian(s.number("beta", TanhLagrangian.DEFAULT_BETA)));
        r.addLagrangian("sigmoid", s -> new SigmoidLagrangian(s.number("beta", SigmoidLagrangian.DEFAULT_BETA),
                s.number("scale", SigmoidLagrangian.DEFAULT_SCALE)));
        r.addLagrangian("softmax", s -> new SoftmaxLagrangian(s.number("beta", SoftmaxLagrangian.DEFAULT_BETA),
                s.integer("axis", SoftmaxLagrangian.DEFAULT_AXIS)));
        r.addLagrangian("ghostmax", s -> new GhostmaxLagrangian(s.integer("axis", GhostmaxLagrangian.DEFAULT_AXIS)));
        r.addLagrangian("layernorm", s -> new LayerNormLagrangian(s.number("gamma", LayerNormLagrangian.DEFAULT_GAMMA),
                delta(s, LayerNormLagrangian.DEFAULT_DELTA), s.number("eps", LayerNormLagrangian.DEFAULT_EPS)));
        r.addLagrangian("spherical", s -> new SphericalLagrangian(s.number("gamma", SphericalLagrangian.DEFAULT_GAMMA),
                delta(s, SphericalLagrangian.DEFAULT_DELTA), s.number("eps", SphericalLagrangian.DEFAULT_EPS)));
    }

    /**
     * {@code "delta": number} or {@code "params": {"delta": ARRAY}} (not both); the default when neither. A number
     * is kept in double precision until the graph is cast to its data type.
     */
    private static INDArray delta(SpecNode s, double def) {
        INDArray array = s.optionalParam("delta", null);
        if (s.has("delta")) {
            if (array != null) {
                throw s.error("delta", "delta is given twice: as a number here and under \"params\"");
            }
            return Nd4j.scalar(DataType.DOUBLE, s.number("delta"));
        }
        return array != null ? array : Nd4j.scalar(DataType.DOUBLE, def);
    }
}

package org.hamux.synapses;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Param;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.hamux.core.spec.ComponentType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A bias on one layer, {@code E = -b . g} per sample.
 *
 * <p>Gradient: {@code dE/dg = -b}, broadcast over the batch.
 *
 * <p>Shapes: {@code g [B, ...s]}, parameter {@code b [...s]} (the layer's per-sample shape); energy
 * {@code [B]}.
 *
 * <p>Settings and parameters: {@link #TYPE}; an {@code init} of {@code b} without a shape makes the layer's shape.
 */
public final class BiasSynapse extends Hypersynapse {

    /** The bias, shaped like the layer. */
    public static final Param B = Param.array("b", "the bias, shaped like the layer");
    /** The JSON type. */
    public static final ComponentType<BiasSynapse> TYPE = ComponentType.<BiasSynapse>synapse("bias", "E = -b . g, per sample")
            .params(B).build(s -> new BiasSynapse(s.array(B, s.layerShapes().size() == 1 ? s.layerShapes().get(0) : null)));

    /** @param b the bias, shaped like the layer */
    public BiasSynapse(INDArray b) {
        declare(B, Objects.requireNonNull(b, "b"));
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    /** {@code E} is affine in each neuron of a layer that fills one slot. */
    @Override
    public <T> T flipChanges(Ops<T> o, List<T> g, Set<Integer> slots) {
        return affineFlipChanges(o, g, slots);
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        if (layerShapes.size() != 1) {
            throw new IllegalArgumentException("a bias synapse connects 1 layer, not " + layerShapes.size());
        }
        long[] expected = layerShapes.get(0);
        long[] actual = parameter(B).shape();
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalArgumentException("parameter 'b' has shape " + Shapes.str(actual) + " but expected "
                    + Shapes.str(expected) + " (the layer's shape); give b as a " + Shapes.str(expected) + " array");
        }
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        T b = o.param(this, B);
        T gb = Tensors.rows(o, o.mul(g.get(0), b), Shapes.size(o.shape(b)));
        return o.neg(Tensors.sumRows(o, gb));
    }

    @Override
    public <T> List<T> gradient(Ops<T> o, List<T> g) {
        return List.of(o.sub(o.full(g.get(0), 0.0), o.param(this, B)));
    }
}

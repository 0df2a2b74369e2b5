package org.hamux.synapses;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.hamux.core.Hypersynapse;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dense synapse between two layers, {@code E = -g1^T W g2} per sample, the layers flattened.
 *
 * <p>Gradient: {@code dE/dg1 = -(W g2)}, {@code dE/dg2 = -(W^T g1)}, each reshaped like its layer.
 * Both slots may be the same layer ({@code E = -g^T W g}, no 1/2, no symmetrising; the engine sums
 * the two slots' gradients).
 *
 * <p>Shapes: {@code g1 [B, ...s1]}, {@code g2 [B, ...s2]}, parameter {@code W [D1, D2]} with
 * {@code D_i = prod(s_i)}; energy {@code [B]}.
 *
 * <p>JSON: {@code {"type": "dense", "params": {"W": ARRAY}}}; an {@code init} without a shape makes
 * {@code [D1, D2]}.
 */
public final class DenseSynapse extends Hypersynapse {

    /** The JSON type name. */
    public static final String TYPE = "dense";

    /** @param w the weights {@code [D1, D2]} */
    public DenseSynapse(INDArray w) {
        declare("W", Objects.requireNonNull(w, "W"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        if (layerShapes.size() != 2) {
            throw new IllegalArgumentException("a dense synapse connects 2 layers, not " + layerShapes.size());
        }
        long[] expected = {Shapes.size(layerShapes.get(0)), Shapes.size(layerShapes.get(1))};
        long[] actual = parameter("W").shape();
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalArgumentException("parameter 'W' has shape " + Shapes.str(actual) + " but expected "
                    + Shapes.str(expected) + " (size of the first layer, size of the second layer); give W as a "
                    + Shapes.str(expected) + " array, or swap the layers of the connection");
        }
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        T w = o.param(this, "W");
        T g1 = Tensors.rows(o, g.get(0), o.shape(w)[0]);
        T g2 = Tensors.rows(o, g.get(1), o.shape(w)[1]);
        return o.neg(Tensors.sumRows(o, o.mul(o.mmul(g1, w), g2)));
    }

    @Override
    public <T> List<T> gradient(Ops<T> o, List<T> g) {
        T w = o.param(this, "W");
        T g1 = Tensors.rows(o, g.get(0), o.shape(w)[0]);
        T g2 = Tensors.rows(o, g.get(1), o.shape(w)[1]);
        T d1 = o.neg(o.mmul(g2, w, false, true));
        T d2 = o.neg(o.mmul(g1, w));
        return List.of(Tensors.shaped(o, d1, o.shape(g.get(0))), Tensors.shaped(o, d2, o.shape(g.get(1))));
    }

    /** The energy from the first slot's gradient, {@code E = <g1, dE/dg1>}: two matrix products in all. */
    @Override
    public <T> EnergyAndGradient<T> energyAndGradient(Ops<T> o, List<T> g) {
        List<T> d = gradient(o, g);
        T w = o.param(this, "W");
        T g1 = Tensors.rows(o, g.get(0), o.shape(w)[0]);
        T d1 = Tensors.rows(o, d.get(0), o.shape(w)[0]);
        return new EnergyAndGradient<>(Tensors.sumRows(o, o.mul(g1, d1)), d);
    }

    /** Two products of {@code [B, D1] x [D1, D2]}: {@code 4 B D1 D2}. */
    @Override
    public double gemmFlops(List<long[]> layerShapes, long batch) {
        long[] w = parameter("W").shape();
        return 4.0 * batch * w[0] * w[1];
    }
}

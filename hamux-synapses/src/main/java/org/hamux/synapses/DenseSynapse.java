package org.hamux.synapses;

import java.util.ArrayList;
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
 * The dense synapse: between two layers {@code E = -g1^T W g2} per sample, the layers flattened; in
 * general one weight tensor with one axis per connected layer,
 * <pre>  E = -W . (g1 x g2 x ... x gn) = -sum_{i1..in} W[i1, ..., in] g1[i1] ... gn[in]</pre>
 * for any number {@code n >= 1} of layers (the number of axes of {@code W}).
 *
 * <p>Gradient: {@code dE/dg_k = -W} contracted with every other slot; for two layers
 * {@code dE/dg1 = -(W g2)}, {@code dE/dg2 = -(W^T g1)}, each reshaped like its layer. A layer may fill
 * several slots ({@code E = -g^T W g}, no 1/2, no symmetrising; the engine sums the slots' gradients).
 *
 * <p>Shapes: {@code g_k [B, ...s_k]}, parameter {@code W [D1, ..., Dn]} with {@code D_k = prod(s_k)}; energy
 * {@code [B]}. Two layers take the matrix path (two gemm calls); more (or one) contract {@code W} with the
 * slots one after the other, cost {@code B prod(D)}.
 *
 * <p>Settings and parameters: {@link #TYPE}; an {@code init} of {@code W} without a shape makes {@code [D1, ..., Dn]}.
 */
public final class DenseSynapse extends Hypersynapse {

    /** The weights, one axis per connected layer. */
    public static final Param W = Param.array("W", "the weights [D1, ..., Dn], one axis per connected layer (flattened)");
    /** The JSON type. */
    public static final ComponentType<DenseSynapse> TYPE = ComponentType.<DenseSynapse>synapse("dense",
            "E = -W . (g1 x ... x gn), per sample; two layers: E = -g1^T W g2").params(W)
            .build(s -> new DenseSynapse(s.array(W, s.layerShapes().isEmpty() ? null
                    : s.layerShapes().stream().mapToLong(Shapes::size).toArray())));

    /** @param w the weights {@code [D1, ..., Dn]}, one axis per connected layer */
    public DenseSynapse(INDArray w) {
        declare(W, Objects.requireNonNull(w, "W"));
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
        return -1;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        long[] actual = parameter(W).shape();
        if (layerShapes.size() != actual.length) {
            throw new IllegalArgumentException("parameter 'W' has " + actual.length + " axes, so this dense synapse connects "
                    + actual.length + " layer(s), but its connection lists " + layerShapes.size()
                    + "; give W one axis per connected layer");
        }
        long[] expected = new long[actual.length];
        for (int k = 0; k < expected.length; k++) {
            expected[k] = Shapes.size(layerShapes.get(k));
        }
        if (!Arrays.equals(expected, actual)) {
            String sizes = expected.length == 2 ? "size of the first layer, size of the second layer" : "the layers' sizes";
            throw new IllegalArgumentException("parameter 'W' has shape " + Shapes.str(actual) + " but expected "
                    + Shapes.str(expected) + " (" + sizes + "); give W as a "
                    + Shapes.str(expected) + " array, or reorder the layers of the connection");
        }
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        T w = o.param(this, W);
        if (o.shape(w).length != 2) {
            T c = contract(o, w, g, -1);                                       // W . (g1 x ... x gn)   [B, 1]
            return o.neg(o.reshape(c, o.shape(c)[0]));
        }
        T g1 = Tensors.rows(o, g.get(0), o.shape(w)[0]);
        T g2 = Tensors.rows(o, g.get(1), o.shape(w)[1]);
        return o.neg(Tensors.sumRows(o, o.mul(o.mmul(g1, w), g2)));
    }

    @Override
    public <T> List<T> gradient(Ops<T> o, List<T> g) {
        T w = o.param(this, W);
        if (o.shape(w).length != 2) {
            List<T> d = new ArrayList<>();
            for (int k = 0; k < g.size(); k++) {
                // dE/dg_k = -W contracted with every slot but k
                d.add(Tensors.shaped(o, o.neg(contract(o, w, g, k)), o.shape(g.get(k))));
            }
            return d;
        }
        T g1 = Tensors.rows(o, g.get(0), o.shape(w)[0]);
        T g2 = Tensors.rows(o, g.get(1), o.shape(w)[1]);
        T d1 = o.mmul(g2, w, false, true, -1.0);                               // the sign rides on the product
        T d2 = o.mmul(g1, w, false, false, -1.0);
        return List.of(Tensors.shaped(o, d1, o.shape(g.get(0))), Tensors.shaped(o, d2, o.shape(g.get(1))));
    }

    /**
     * The energy from one slot's gradient: {@code E} is linear in every {@code g_k}, so {@code E = <g_k, dE/dg_k>}
     * (two matrix products in all for two layers), taken on the smallest layer.
     */
    @Override
    public <T> EnergyAndGradient<T> energyAndGradient(Ops<T> o, List<T> g) {
        List<T> d = gradient(o, g);
        long[] w = o.shape(o.param(this, W));
        int k = 0;
        for (int i = 1; i < w.length; i++) {
            k = w[i] < w[k] ? i : k;
        }
        return new EnergyAndGradient<>(o.dotPerSample(g.get(k), d.get(k)), d);
    }

    /** Two layers: two products of {@code [B, D1] x [D1, D2]}, {@code 4 B D1 D2}; n layers: {@code 2 n B |W|}. */
    @Override
    public double gemmFlops(List<long[]> layerShapes, long batch) {
        long[] w = parameter(W).shape();
        return (w.length == 2 ? 4.0 : 2.0 * w.length) * batch * Shapes.size(w);
    }

    /**
     * {@code W} contracted with the flattened activation of every slot but {@code skip} (-1: none), the
     * slots taken in order: {@code [B, D_skip]}, or {@code [B, 1]} when none is skipped.
     */
    private static <T> T contract(Ops<T> o, T w, List<T> g, int skip) {
        long[] ws = o.shape(w);
        int n = ws.length;
        int[] order = new int[n];                                              // the other axes first, skip last
        int j = 0;
        for (int k = 0; k < n; k++) {
            if (k != skip) {
                order[j++] = k;
            }
        }
        if (skip >= 0) {
            order[j] = skip;
        }
        long b = o.shape(g.get(0))[0];
        long rest = Shapes.size(ws);
        if (j == 0) {                                                          // one layer: W, batched
            return o.add(o.full(Tensors.rows(o, g.get(skip), ws[skip]), 0.0), o.reshape(w, 1, ws[skip]));
        }
        T wp = w;
        for (int k = 0; k < n; k++) {
            if (order[k] != k) {
                wp = o.permute(w, order);
                break;
            }
        }
        long d0 = ws[order[0]];
        rest /= d0;
        T acc = o.mmul(Tensors.rows(o, g.get(order[0]), d0), o.reshape(wp, d0, rest)); // g_a . W   [B, rest]
        for (int k = 1; k < j; k++) {
            long dk = ws[order[k]];
            rest /= dk;
            T gk = o.reshape(Tensors.rows(o, g.get(order[k]), dk), b, dk, 1);
            acc = o.mul(o.reshape(acc, b, dk, rest), gk);                       // sum_i acc[b, i, r] g_k[b, i]
            acc = dk == 1 ? o.reshape(acc, b, rest) : o.sum(acc, false, 1);
        }
        return skip < 0 ? o.reshape(acc, b, 1) : acc;
    }
}

package org.hamux.synapses;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.hamux.core.Component;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.Setting;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.hamux.core.spec.ComponentType;
import org.hamux.core.spec.Settings;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A hidden layer folded into a synapse: the connected layers drive a hidden layer whose state is at
 * its optimum, leaving
 * <pre>  E = -L_hid( sum_i W_i g_i )</pre>
 * per sample, for any {@link Lagrangian} {@code L_hid} of the library (the layers flattened). With
 * {@code h = sum_i W_i^T g_i} the gradient is {@code dE/dg_i = -W_i act_hid(h)}, {@code act_hid = dL_hid/dh}.
 *
 * <p>Per-head form: with {@code W_i [heads, D_i, H]} the hidden state is {@code h [heads, H]},
 * {@code h_a = sum_i W_i[a]^T g_i}, {@code L_hid} acts on each head alone and the energies are summed:
 * {@code E = -sum_a L_hid(h_a)}, {@code dE/dg_i = -sum_a W_i[a] act_hid(h_a)}.
 *
 * <p>Shapes: {@code g_i [B, ...s_i]}; parameters {@code W0, W1, ...} (one per slot, in slot order), each
 * {@code [D_i, H]} or all {@code [heads, D_i, H]}, {@code D_i = prod(s_i)}; the Lagrangian sees
 * {@code [B, H]} (per head: {@code [B * heads, H]}); energy {@code [B]}. A layer may fill several slots.
 * The Lagrangian's own parameters are fixed settings of this synapse (written with it, not trained).
 *
 * <p>Settings and parameters: {@link #TYPE}; {@code hidden} (and optionally {@code heads}) give the shape an
 * {@code init} makes ({@code [D_i, H]} or {@code [heads, D_i, H]}).
 */
public final class HiddenSynapse extends Hypersynapse {

    /** The hidden layer's Lagrangian. */
    public static final Setting<Lagrangian> LAGRANGIAN = Setting.lagrangian("lagrangian",
            "the hidden layer's Lagrangian, e.g. {\"type\": \"softmax\"}");
    /** The hidden size an {@code init} makes. */
    public static final Setting<Integer> HIDDEN = Setting.integer("hidden", null,
            "the hidden size H, for an init of the weights without a shape").optional();
    /** The number of heads an {@code init} makes. */
    public static final Setting<Integer> HEADS = Setting.integer("heads", null,
            "the number of heads, for an init of the weights [heads, D_i, H] without a shape").optional();
    /** The JSON type. */
    public static final ComponentType<HiddenSynapse> TYPE = ComponentType.<HiddenSynapse>synapse("hidden",
            "E = -L_hid(sum_i W_i g_i): a hidden layer at its optimum, folded into a synapse")
            .settings(LAGRANGIAN, HIDDEN, HEADS).paramFamily("W0, W1, ...", "one weight array per slot, [D_i, H] or [heads, D_i, H]")
            .build(HiddenSynapse::read);

    private Lagrangian lagrangian;
    private final int slots;

    /**
     * @param lagrangian the hidden layer's Lagrangian
     * @param weights    one matrix per slot, {@code [D_i, H]}, or one tensor per slot {@code [heads, D_i, H]}
     */
    public HiddenSynapse(Lagrangian lagrangian, List<INDArray> weights) {
        this.lagrangian = set(LAGRANGIAN, Objects.requireNonNull(lagrangian, "lagrangian"));
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("a hidden synapse needs one weight array per connected layer, got none");
        }
        int rank = weights.get(0).rank();
        long[] tail = headAndHidden(weights.get(0));
        for (int i = 0; i < weights.size(); i++) {
            INDArray w = Objects.requireNonNull(weights.get(i), "W" + i);
            if ((w.rank() != 2 && w.rank() != 3) || w.rank() != rank
                    || !java.util.Arrays.equals(headAndHidden(w), tail)) {
                throw new IllegalArgumentException("parameter 'W" + i + "' has shape " + Shapes.str(w.shape())
                        + " but every W_i must be [D_i, H] (or every one [heads, D_i, H]) with the same H"
                        + " (and heads); W0 has shape " + Shapes.str(weights.get(0).shape()));
            }
            declare("W" + i, w);
        }
        this.slots = weights.size();
    }

    /** {@code [heads, H]} of a weight array ({@code heads = 1} for a matrix). */
    private static long[] headAndHidden(INDArray w) {
        return w.rank() == 3 ? new long[] {w.size(0), w.size(2)} : new long[] {1, w.size(w.rank() - 1)};
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    /** From a spec: weights W0, W1, ... one per connected layer, shaped by hidden (and heads) for an init. */
    private static HiddenSynapse read(Settings s) {
        Lagrangian lagrangian = s.get(LAGRANGIAN);
        Integer hidden = s.get(HIDDEN);
        Integer heads = s.get(HEADS);
        if (hidden != null && hidden < 1) {
            throw s.error(HIDDEN, "the hidden size must be at least 1, got " + hidden);
        }
        if (heads != null && heads < 1) {
            throw s.error(HEADS, "the number of heads must be at least 1, got " + heads);
        }
        List<long[]> shapes = s.layerShapes();
        if (shapes.isEmpty()) {
            throw s.error(null, "a hidden synapse takes one weight array per connected layer: connect it to its layers");
        }
        List<INDArray> weights = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            long d = Shapes.size(shapes.get(i));
            long[] init = hidden == null ? null : heads != null ? new long[] {heads, d, hidden} : new long[] {d, hidden};
            weights.add(s.familyArray("W" + i, init));
        }
        return new HiddenSynapse(lagrangian, weights);
    }

    public Lagrangian lagrangian() {
        return lagrangian;
    }

    /** The number of heads (1 for the matrix form). */
    public long heads() {
        return headAndHidden(parameter("W0"))[0];
    }

    /** The size {@code H} of the hidden layer (per head). */
    public long hidden() {
        return headAndHidden(parameter("W0"))[1];
    }

    @Override
    public int arity() {
        return slots;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        if (layerShapes.size() != slots) {
            throw new IllegalArgumentException("this hidden synapse has " + slots + " weight arrays, so it connects "
                    + slots + " layer(s), not " + layerShapes.size());
        }
        for (int i = 0; i < slots; i++) {
            INDArray w = parameter("W" + i);
            long d = w.size(w.rank() - 2);
            long want = Shapes.size(layerShapes.get(i));
            if (d != want) {
                String expected = w.rank() == 3 ? "[" + heads() + ", " + want + ", " + hidden() + "]"
                        : "[" + want + ", " + hidden() + "]";
                throw new IllegalArgumentException("parameter 'W" + i + "' has shape " + Shapes.str(w.shape())
                        + " but expected " + expected + " (the size of layer " + i + " of the connection)");
            }
        }
        lagrangian.check(new long[] {hidden()});
    }

    @Override
    public <C extends Component> C castTo(DataType dtype) {
        HiddenSynapse copy = super.castTo(dtype);
        copy.lagrangian = lagrangian.castTo(dtype);
        @SuppressWarnings("unchecked")
        C c = (C) copy;
        return c;
    }

    /** {@code h = sum_i g_i W_i}, {@code [B * heads, H]}. */
    private <T> T hidden(Ops<T> o, List<T> g) {
        T h = null;
        for (int i = 0; i < slots; i++) {
            T w = flatWeights(o, i);
            T hi = o.mmul(Tensors.rows(o, g.get(i), o.shape(w)[0]), w);    // g_i W_i   [B, heads * H]
            h = h == null ? hi : o.add(h, hi);
        }
        return Tensors.rows(o, h, hidden());                                     // one row per (sample, head)
    }

    /** {@code W_i} as {@code [D_i, heads * H]}: a matrix as it is, {@code [heads, D, H]} permuted to {@code [D, heads, H]}. */
    private <T> T flatWeights(Ops<T> o, int i) {
        T w = o.param(this, "W" + i);
        long[] s = o.shape(w);
        return s.length == 2 ? w : o.reshape(o.permute(w, 1, 0, 2), s[1], s[0] * s[2]);
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        long b = o.shape(g.get(0))[0];
        T l = lagrangian.value(o, hidden(o, g));                           // L_hid(h_a)   [B * heads]
        return o.neg(heads() == 1 ? l : Tensors.sumRows(o, o.reshape(l, b, heads())));  // E = -sum_a L_hid(h_a)
    }

    @Override
    public <T> List<T> gradient(Ops<T> o, List<T> g) {
        long b = o.shape(g.get(0))[0];
        T act = lagrangian.activation(o, hidden(o, g));                    // act_hid(h)   [B * heads, H]
        act = o.reshape(act, b, heads() * hidden());
        List<T> d = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            T di = o.neg(o.mmul(act, flatWeights(o, i), false, true));     // dE/dg_i = -W_i act_hid(h)
            d.add(Tensors.shaped(o, di, o.shape(g.get(i))));
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && lagrangian.equals(((HiddenSynapse) o).lagrangian);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + lagrangian.hashCode();
    }
}

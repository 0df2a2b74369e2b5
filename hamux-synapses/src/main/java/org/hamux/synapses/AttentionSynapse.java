package org.hamux.synapses;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Param;
import org.hamux.core.Setting;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.hamux.core.spec.ComponentType;
import org.hamux.core.spec.Settings;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head energy attention (the Energy Transformer's attention), per sample:
 * <pre>  E = -sum_h (1/beta_h) sum_q log sum_{k != q} exp(beta_h A_hqk),   A_hqk = &lt;Q_hq, K_hk&gt;,
 *   Q_hq = W_Q[h] g_q,   K_hk = W_K[h] g_k</pre>
 *
 * <p>Connections: one layer ({@code [query/key layer]}, self-attention: the diagonal {@code k == q}
 * is left out unless {@code diagonal} is true) or two layers ({@code [query layer, key layer]}: every
 * key counts, also when both slots name the same layer).
 *
 * <p>Shapes: a layer is {@code [B, ...tokens, D]}: every axis before the last is a token axis, flattened
 * into {@code N} tokens; parameters {@code W_Q [H, Y, D]}, {@code W_K [H, Y, D]} and {@code beta}, a scalar
 * or one value per head {@code [H]} (default {@code 1/sqrt(Y)}); energy {@code [B]}. The query and key
 * layers share {@code D} and may have different numbers of tokens.
 *
 * <p>Gradient, with {@code P_hqk = softmax_k(beta_h A_hqk)} (over the keys; zero on a left-out diagonal):
 * {@code dE/dg_q = -sum_h W_Q[h]^T sum_k P_hqk K_hk} for the query slot and
 * {@code dE/dg_k = -sum_h W_K[h]^T sum_q P_hqk Q_hq} for the key slot; with one layer both terms add up.
 *
 * <p>Computation: {@code Q} and {@code K} of every token in one matrix product ({@code [B N, D] x [D, 2 H Y]}
 * with one layer, one each with two), kept per token as {@code [B, N, H, Y]}; the scores and the sums back are
 * per-head products on that layout ({@link Ops#headScores}, {@link Ops#headMix}); with one layer the two terms
 * of the gradient are one product back ({@code [dq | dk] [W_Q; W_K]}). The diagonal is masked by adding
 * {@value #MASK} (its softmax weight is exactly zero, no infinities, no NaN), and the log-sum-exp is
 * max-shifted.
 *
 * <p>Settings and parameters: {@link #TYPE}; {@code heads} and {@code head_dim} are only needed for an
 * {@code init} without a shape (they are checked against the arrays otherwise).
 */
public final class AttentionSynapse extends Hypersynapse {

    /** The query weights. */
    public static final Param W_Q = Param.array("W_Q", "the query weights [H, Y, D]");
    /** The key weights. */
    public static final Param W_K = Param.array("W_K", "the key weights [H, Y, D]");
    /** The inverse temperature: one, or one per head. */
    public static final Param BETA = Param.scalarOrArray("beta", null,
            "the inverse temperature: a number or one per head [H] (default 1/sqrt(Y); learnable)");
    /** Whether self-attention keeps the diagonal. */
    public static final Setting<Boolean> DIAGONAL = Setting.bool("diagonal", false,
            "whether self-attention (one layer) keeps the k == q terms");
    /** The number of heads an {@code init} makes. */
    public static final Setting<Long> HEADS = Setting.longInteger("heads", null,
            "the number of heads H, for an init of the weights without a shape").optional();
    /** The head dimension an {@code init} makes. */
    public static final Setting<Long> HEAD_DIM = Setting.longInteger("head_dim", null,
            "the head dimension Y, for an init of the weights without a shape").optional();
    /** The JSON type. */
    public static final ComponentType<AttentionSynapse> TYPE = ComponentType.<AttentionSynapse>synapse("attention",
            "E = -sum_h (1/beta_h) sum_q log sum_(k != q) exp(beta_h <W_Q[h] g_q, W_K[h] g_k>): energy attention")
            .params(W_Q, W_K, BETA).settings(DIAGONAL, HEADS, HEAD_DIM).build(AttentionSynapse::read);

    /** What the masked diagonal scores get: finite, so that no gradient meets {@code 0 * inf}. */
    public static final double MASK = -1e30;

    private final boolean diagonal;
    /** The last mask built, {@code [N, N]} float: {@value #MASK} on the diagonal, else 0 (rebuilt when N changes). */
    private volatile INDArray diagonalMask;

    /**
     * @param wq       query weights {@code [H, Y, D]}
     * @param wk       key weights {@code [H, Y, D]}
     * @param beta     inverse temperature: a rank-0 array, one value per head {@code [H]}, or null for
     *                 {@code 1/sqrt(Y)}; every value positive and finite
     * @param diagonal whether self-attention (one layer) keeps the {@code k == q} terms
     */
    public AttentionSynapse(INDArray wq, INDArray wk, INDArray beta, boolean diagonal) {
        Objects.requireNonNull(wq, "W_Q");
        Objects.requireNonNull(wk, "W_K");
        if (wq.rank() != 3 || !Arrays.equals(wq.shape(), wk.shape())) {
            throw new IllegalArgumentException("W_Q and W_K must both be [H, Y, D]; got W_Q " + Shapes.str(wq.shape())
                    + " and W_K " + Shapes.str(wk.shape()));
        }
        long heads = wq.size(0);
        INDArray b = beta != null ? beta
                : Nd4j.scalar(wq.dataType().isFPType() ? wq.dataType() : DataType.DOUBLE,
                        1.0 / Math.sqrt(wq.size(1)));
        if (!(b.rank() == 0 || (b.rank() == 1 && b.length() == heads))) {
            throw new IllegalArgumentException("beta must be a number or one value per head [" + heads + "], got shape "
                    + Shapes.str(b.shape()));
        }
        for (double v : b.castTo(DataType.DOUBLE).reshape(b.length()).toDoubleVector()) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("beta must be positive and finite, got " + v);
            }
        }
        declare(W_Q, wq);
        declare(W_K, wk);
        declare(BETA, b);
        this.diagonal = set(DIAGONAL, diagonal);
    }

    /** Self- or cross-attention with {@code beta = 1/sqrt(Y)}, the diagonal of self-attention left out. */
    public AttentionSynapse(INDArray wq, INDArray wk) {
        this(wq, wk, null, false);
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    /** From a spec: the weights (shaped by heads and head_dim for an init), beta and the diagonal. */
    private static AttentionSynapse read(Settings s) {
        List<long[]> ls = s.layerShapes();
        long d = ls.isEmpty() ? -1 : ls.get(0)[ls.get(0).length - 1];
        Long heads = s.get(HEADS);
        Long dim = s.get(HEAD_DIM);
        long[] init = heads != null && dim != null && heads > 0 && dim > 0 && d > 0 ? new long[] {heads, dim, d} : null;
        INDArray wq = s.array(W_Q, init);
        INDArray wk = s.array(W_K, init);
        List<Setting<Long>> keys = List.of(HEADS, HEAD_DIM);
        Long[] given = {heads, dim};
        for (int axis = 0; axis < 2; axis++) {
            if (given[axis] != null && given[axis] > 0 && wq.rank() == 3 && wq.size(axis) != given[axis]) {
                throw s.error(keys.get(axis), "\"" + keys.get(axis) + "\" is " + given[axis] + " but W_Q has shape "
                        + Shapes.str(wq.shape()) + " = [H, Y, D]");
            }
        }
        return new AttentionSynapse(wq, wk, s.scalarOrArray(BETA, null), s.get(DIAGONAL));
    }

    /** Whether self-attention keeps the {@code k == q} terms. */
    public boolean diagonal() {
        return diagonal;
    }

    @Override
    public int arity() {
        return -1;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        if (layerShapes.size() != 1 && layerShapes.size() != 2) {
            throw new IllegalArgumentException("an attention synapse connects 1 layer (self-attention) or 2 layers "
                    + "[queries, keys], not " + layerShapes.size());
        }
        long[] w = parameter(W_Q).shape();
        for (int i = 0; i < layerShapes.size(); i++) {
            long[] s = layerShapes.get(i);
            if (s[s.length - 1] != w[2]) {
                throw new IllegalArgumentException("parameters W_Q and W_K have shape " + Shapes.str(w) + " = [H, Y, D] but the "
                        + (layerShapes.size() == 1 ? "" : i == 0 ? "query " : "key ") + "layer's last axis is "
                        + s[s.length - 1] + ", not D = " + w[2] + "; give W_Q and W_K as [" + w[0] + ", " + w[1] + ", "
                        + s[s.length - 1] + "] arrays");
            }
        }
        if (layerShapes.size() == 1 && !diagonal && tokens(layerShapes.get(0)) < 2) {
            throw new IllegalArgumentException("self-attention without the diagonal needs at least 2 tokens, the layer "
                    + "has 1 (a layer is [...tokens, D]); give more tokens or set \"diagonal\": true");
        }
    }

    private static long tokens(long[] perSample) {
        return Shapes.size(perSample) / perSample[perSample.length - 1];
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        Scores<T> s = scores(o, g);
        return energy(o, s, o.logSumExp(s.logits, true, 3));
    }

    @Override
    public <T> List<T> gradient(Ops<T> o, List<T> g) {
        Scores<T> s = scores(o, g);
        return gradient(o, g, s, o.softmax(s.logits, 3));
    }

    /**
     * Energy and gradient from one evaluation of the projections and logits, and one soft-max with its
     * log-sum-exp: {@code softmax = exp(logits - lse)}.
     */
    @Override
    public <T> EnergyAndGradient<T> energyAndGradient(Ops<T> o, List<T> g) {
        Scores<T> s = scores(o, g);
        Ops.Softmax<T> sm = o.softmaxWithLogSumExp(s.logits, 3);        // over the keys, max-shifted
        return new EnergyAndGradient<>(energy(o, s, sm.lse()), gradient(o, g, s, sm.p()));
    }

    /**
     * The matrix-product work the math needs, as the Energy Transformer benchmark counts it: the projections Q,
     * K and their gradients back ({@code 8 B N D H Y}) and the scores with their two products back
     * ({@code 6 B H Nq Nk Y}).
     */
    @Override
    public double gemmFlops(List<long[]> layerShapes, long batch) {
        long[] w = parameter(W_Q).shape();
        double nq = tokens(layerShapes.get(0));
        double nk = tokens(layerShapes.get(layerShapes.size() - 1));
        return batch * (4.0 * (nq + nk) * w[2] * w[0] * w[1] + 6.0 * w[0] * nq * nk * w[1]);
    }

    /** {@code E = -sum_h (1/beta_h) sum_q lse_q} from the log-sum-exp over keys {@code [B, H, Nq, 1]}. */
    private <T> T energy(Ops<T> o, Scores<T> s, T lse) {
        return o.neg(o.sumPerSample(o.mul(lse, o.rdiv(s.beta, 1.0))));
    }

    /** {@code dE/dg} from the softmax over keys {@code p [B, H, Nq, Nk]}. */
    private <T> List<T> gradient(Ops<T> o, List<T> g, Scores<T> s, T p) {
        long[] w = o.shape(o.param(this, W_Q));
        long hy = w[0] * w[1];
        long[] qs = o.shape(s.q);
        long[] ks = o.shape(s.k);
        if (s.joint != null) {
            // one layer: -(W_Q^T dq + W_K^T dk) as one product, [dq | dk] x [W_Q; W_K]
            T both = o.reshape(o.headMixBoth(p, s.k, s.q), qs[0] * qs[1], 2 * hy);   // [dq | dk]   [B N, 2 H Y]
            return List.of(Tensors.shaped(o, o.mmul(both, s.joint, false, false, -1.0), o.shape(g.get(0))));
        }
        T dq = o.reshape(o.headMix(p, s.k, false), qs[0] * qs[1], hy);       // sum_k P_hqk K_hk   [B Nq, H Y]
        T dk = o.reshape(o.headMix(p, s.q, true), ks[0] * ks[1], hy);        // sum_q P_hqk Q_hq   [B Nk, H Y]
        T gq = o.mmul(dq, o.reshape(o.param(this, W_Q), hy, w[2]), false, false, -1.0);
        T gk = o.mmul(dk, o.reshape(o.param(this, W_K), hy, w[2]), false, false, -1.0);
        return List.of(Tensors.shaped(o, gq, o.shape(g.get(0))), Tensors.shaped(o, gk, o.shape(g.get(1))));
    }

    /**
     * The projections {@code Q, K [B, N, H, Y]}, the logits {@code beta A (+ mask)} {@code [B, H, Nq, Nk]}, beta
     * (a number or {@code [1, H, 1, 1]}) and, for one layer, the weights {@code [W_Q; W_K]} as {@code [2 H Y, D]}.
     */
    private record Scores<T>(T q, T k, T logits, T beta, T joint) {
    }

    private <T> Scores<T> scores(Ops<T> o, List<T> g) {
        T wq = o.param(this, W_Q);
        T wk = o.param(this, W_K);
        long[] w = o.shape(wq);
        long heads = w[0];
        long hy = heads * w[1];
        long batch = o.shape(g.get(0))[0];
        T q;
        T k;
        T joint = null;
        if (g.size() == 1) {
            // Q and K of the one layer in one product, [B N, D] x [D, 2 H Y]: heads 0..H-1 query, H..2H-1 key
            joint = o.concat(0, o.reshape(wq, hy, w[2]), o.reshape(wk, hy, w[2]));
            T qk = project(o, g.get(0), joint, batch, 2 * heads);
            q = o.slice(qk, 2, 0, heads);
            k = o.slice(qk, 2, heads, 2 * heads);
        } else {
            q = project(o, g.get(0), o.reshape(wq, hy, w[2]), batch, heads);
            k = project(o, g.get(1), o.reshape(wk, hy, w[2]), batch, heads);
        }
        long nq = o.shape(q)[1];
        T beta = o.param(this, BETA);
        T mask = g.size() == 1 && !diagonal ? o.constant(q, diagonalMask(nq)) : null;
        T logits = o.headScores(q, k, beta, mask);                       // beta_h <Q_hq, K_hk> (+ mask)
        T betaH = o.shape(beta).length == 1 ? o.reshape(beta, 1, heads, 1, 1) : beta;
        return new Scores<>(q, k, logits, betaH, joint);
    }

    /** {@code MASK} on the diagonal of {@code [n, n]}: built once per size, outside any workspace of the step. */
    private INDArray diagonalMask(long n) {
        INDArray m = diagonalMask;
        if (m == null || m.size(0) != n) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                m = Nd4j.eye(n).castTo(DataType.FLOAT).muli(MASK);
            }
            diagonalMask = m;
        }
        return m;
    }

    /**
     * {@code g [B, ...tokens, D]} and weights {@code [heads Y, D]} to {@code W g} per token and head,
     * {@code [B, N, heads, Y]}.
     */
    private static <T> T project(Ops<T> o, T g, T w, long batch, long heads) {
        long[] ws = o.shape(w);
        T rows = Tensors.rows(o, g, ws[1]);
        long n = o.shape(rows)[0] / batch;
        return o.reshape(o.mmul(rows, w, false, true), batch, n, heads, ws[0] / heads);
    }
}

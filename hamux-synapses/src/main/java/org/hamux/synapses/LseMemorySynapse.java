package org.hamux.synapses;

import java.util.List;
import java.util.Objects;
import org.hamux.core.Hypersynapse;
import org.hamux.core.ops.Ops;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The log-sum-exp memory (modern Hopfield network, MCHN) on one layer:
 * {@code E = -(1/beta) log sum_mu exp(beta <xi_mu, g>)} per sample.
 *
 * <p>Gradient: {@code dE/dg = -softmax(beta xi g) xi}, the softmax over the {@code K} memories.
 *
 * <p>Shapes: {@code g [B, ...s]}, memories {@code xi [K, D]}, scalar parameter {@code beta}, energy
 * {@code [B]}. If {@code D = prod(s)} the memory acts on the flattened layer. Otherwise {@code D} must be
 * the last axis of {@code s}: the memory then acts on every row (token) of the layer and the rows'
 * energies are summed. Computed as {@code S = g xi^T [rows, K]}, a max-shifted log-sum-exp / softmax
 * over {@code K}, then {@code p xi}.
 *
 * <p>JSON: {@code {"type": "lse-memory", "beta": 0.05, "params": {"xi": ARRAY}}}; {@code beta} defaults to
 * {@value #DEFAULT_BETA}; an {@code init} of {@code xi} needs its shape {@code [K, D]}.
 */
public final class LseMemorySynapse extends Hypersynapse {

    /** The JSON type name. */
    public static final String TYPE = "lse-memory";

    /** The default inverse temperature. */
    public static final double DEFAULT_BETA = 1.0;

    /**
     * @param xi   the memories {@code [K, D]}, one per row
     * @param beta the inverse temperature, positive and finite; kept in the floating-point type of {@code xi}
     */
    public LseMemorySynapse(INDArray xi, double beta) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be positive and finite, got " + beta);
        }
        declare("xi", Objects.requireNonNull(xi, "xi"));
        declare("beta", xi.dataType().isFPType() ? Nd4j.scalar(xi.dataType(), beta) : scalar(beta));
    }

    /** Memories {@code xi} with beta {@value #DEFAULT_BETA}. */
    public LseMemorySynapse(INDArray xi) {
        this(xi, DEFAULT_BETA);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        if (layerShapes.size() != 1) {
            throw new IllegalArgumentException("an lse-memory synapse connects 1 layer, not " + layerShapes.size());
        }
        long[] s = layerShapes.get(0);
        long flat = Shapes.size(s);
        long row = s[s.length - 1];
        long[] actual = parameter("xi").shape();
        if (actual.length != 2 || actual[0] < 1 || (actual[1] != flat && actual[1] != row)) {
            String expected = flat == row ? "[K, " + flat + "]"
                    : "[K, " + flat + "] (acting on the flattened layer) or [K, " + row + "] (acting on every row)";
            throw new IllegalArgumentException("parameter 'xi' has shape " + Shapes.str(actual) + " but expected "
                    + expected + "; give xi as K memories, one per row, each as wide as the layer or its last axis");
        }
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        T beta = o.param(this, "beta");
        T xi = o.param(this, "xi");
        long[] gs = o.shape(g.get(0));
        T x = Tensors.rows(o, g.get(0), o.shape(xi)[1]);
        T lse = Tensors.logSumExpRows(o, o.mmul(x, xi, false, true, beta));
        // times 1/beta, not div: SameDiff (M2.1) gets d/dbeta of a division by a broadcast scalar wrong
        T e = o.neg(o.mul(lse, o.rdiv(beta, 1.0)));
        long rows = o.shape(e)[0];
        return rows == gs[0] ? e : Tensors.sumRows(o, o.reshape(e, gs[0], rows / gs[0]));
    }

    /** Energy and gradient from one score matrix {@code S = beta g xi^T}: two matrix products in all. */
    @Override
    public <T> EnergyAndGradient<T> energyAndGradient(Ops<T> o, List<T> g) {
        T xi = o.param(this, "xi");
        long k = o.shape(xi)[0];
        if (k == 1) {
            return super.energyAndGradient(o, g);
        }
        T beta = o.param(this, "beta");
        long[] gs = o.shape(g.get(0));
        T x = Tensors.rows(o, g.get(0), o.shape(xi)[1]);
        T s = o.mmul(x, xi, false, true, beta);
        Ops.Softmax<T> sm = o.softmaxWithLogSumExp(s, 1);              // over the memories, max-shifted
        T lse = sm.lse();                                               // log sum_mu exp(S_mu)   [rows, 1]
        // dE/dg = -softmax(S) xi: the sign rides on the product
        T grad = Tensors.shaped(o, o.mmul(sm.p(), xi, false, false, -1.0), gs);
        // E = -lse / beta per row (times -1/beta: see energy), summed over the rows of a sample
        T e = o.mul(o.reshape(lse, o.shape(lse)[0]), o.rdiv(beta, -1.0));
        long rows = o.shape(e)[0];
        e = rows == gs[0] ? e : Tensors.sumRows(o, o.reshape(e, gs[0], rows / gs[0]));
        return new EnergyAndGradient<>(e, List.of(grad));
    }

    /** Two products of {@code [rows, D] x [D, K]}: {@code 4 rows D K}. */
    @Override
    public double gemmFlops(List<long[]> layerShapes, long batch) {
        long[] xi = parameter("xi").shape();
        double rows = (double) batch * Shapes.size(layerShapes.get(0)) / xi[1];
        return 4.0 * rows * xi[0] * xi[1];
    }

    @Override
    public <T> List<T> gradient(Ops<T> o, List<T> g) {
        T beta = o.param(this, "beta");
        T xi = o.param(this, "xi");
        T x = Tensors.rows(o, g.get(0), o.shape(xi)[1]);
        T p = Tensors.softmaxRows(o, o.mmul(x, xi, false, true, beta));
        return List.of(Tensors.shaped(o, o.neg(o.mmul(p, xi)), o.shape(g.get(0))));
    }
}

package org.hamux.synapses;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Param;
import org.hamux.core.Setting;
import org.hamux.core.spec.ComponentType;
import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A convolution followed by pooling, between an input layer and an output layer, per sample:
 * <pre>  E = -&lt;g2, pool(conv(g1) + b)&gt;</pre>
 * with the convolution of {@link ConvSynapse} (cross-correlation, zero padding, optional bias before the
 * pooling) and max or average pooling over {@code kH x kW} windows moved by {@code [sH, sW]} (default: the
 * window, i.e. non-overlapping), without padding, the output size floored (trailing rows and columns that
 * fill no window are dropped).
 *
 * <p>Gradient, with {@code c = conv(g1) + b}: {@code dE/dg2 = -pool(c)},
 * {@code dE/dg1 = -conv^T(pool'(c)^T g2)}, where {@code pool'(c)^T} spreads {@code g2 / (kH kW)} over every
 * window (average), or routes each entry of {@code g2} to the position of its window's maximum (max). On
 * a tie the whole entry goes to the first maximal element of the window in row-major order: a subgradient
 * (the energy has a kink there; with continuous data ties have probability zero).
 *
 * <p>Shapes (NCHW, OIHW): {@code g1 [B, C, H, W]}, {@code g2 [B, O, Hp, Wp]} with
 * {@code Hp = floor((Ho - kH) / sH) + 1} of the convolution output {@code [O, Ho, Wo]}; kernel
 * {@code W [O, C, kH, kW]}, bias {@code b [O]}; energy {@code [B]}.
 *
 * <p>Settings and parameters: {@link #TYPE}; the convolution's are {@link ConvSynapse}'s.
 */
public final class ConvPoolSynapse extends Hypersynapse {

    /** The pooling operations. */
    public enum Pool { MAX, AVG }

    /** The pooling. */
    public static final Setting<Pool> POOL = Setting.choice("pool", Pool.class, Pool.MAX, "the pooling: max or avg");
    /** The pooling window. */
    public static final Setting<List<Integer>> WINDOW = Setting.pair("window", null,
            "the pooling window, e.g. 2 or [2, 2]");
    /** The pooling stride. */
    public static final Setting<List<Integer>> POOL_STRIDE = Setting.pair("pool_stride", null,
            "the pooling stride: one integer or [sH, sW] (default: the window)").optional();
    /** The kernel, as a convolution's. */
    public static final Param W = ConvSynapse.W;
    /** The bias, as a convolution's. */
    public static final Param B = ConvSynapse.B;
    /** The JSON type. */
    public static final ComponentType<ConvPoolSynapse> TYPE = ComponentType.<ConvPoolSynapse>synapse("conv-pool",
            "E = -<g2, pool(conv(g1) + b)>: a convolution followed by max or average pooling").params(W, B)
            .settings(ConvSynapse.STRIDE, ConvSynapse.PADDING, ConvSynapse.KERNEL, POOL, WINDOW, POOL_STRIDE)
            .build(s -> {
                int[] stride = Convolution.ints(s.get(ConvSynapse.STRIDE));
                int[] padding = Convolution.ints(s.get(ConvSynapse.PADDING));
                Pool pool = s.get(POOL);
                int[] window = Convolution.ints(s.get(WINDOW));
                int[] poolStride = Convolution.ints(s.get(POOL_STRIDE));
                INDArray[] wb = Convolution.kernel(s);
                return new ConvPoolSynapse(wb[0], wb[1], stride, padding, pool, window, poolStride);
            });

    private final int[] stride;
    private final int[] padding;
    private final Pool pool;
    private final int[] window;
    private final int[] poolStride;

    /**
     * @param w          the kernel {@code [O, C, kH, kW]}
     * @param b          the bias {@code [O]}, or null for none
     * @param stride     convolution stride {@code [sH, sW]}, each at least 1
     * @param padding    convolution zero padding {@code [pH, pW]}, each at least 0 and below the kernel size
     * @param pool       max or average pooling
     * @param window     pooling window {@code [kH, kW]}, each at least 1
     * @param poolStride pooling stride {@code [sH, sW]}, each at least 1, or null for the window
     */
    public ConvPoolSynapse(INDArray w, INDArray b, int[] stride, int[] padding, Pool pool, int[] window,
                           int[] poolStride) {
        this.stride = Convolution.pair("stride", stride, 1);
        this.padding = Convolution.pair("padding", padding, 0);
        this.pool = Objects.requireNonNull(pool, "pool");
        this.window = Convolution.pair("window", window, 1);
        this.poolStride = Convolution.pair("pool_stride", poolStride == null ? window : poolStride, 1);
        set(ConvSynapse.STRIDE, Convolution.list(this.stride));
        set(ConvSynapse.PADDING, Convolution.list(this.padding));
        set(POOL, pool);
        set(WINDOW, Convolution.list(this.window));
        set(POOL_STRIDE, Convolution.list(this.poolStride));
        Convolution.checkKernel(Objects.requireNonNull(w, "W"), b, this.padding);
        declare(W, w);
        if (b != null) {
            declare(B, b);
        }
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        if (layerShapes.size() != 2) {
            throw new IllegalArgumentException("a conv-pool synapse connects 2 layers [input, output], not "
                    + layerShapes.size());
        }
        long[] c = Convolution.convOutput(layerShapes.get(0), parameter(W).shape(), stride, padding);
        long[] out = Convolution.poolOutput(c, window, poolStride);
        Convolution.checkOutputLayer(layerShapes, out, "the convolution (kernel " + Arrays.toString(parameter(W).shape())
                + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ") to "
                + Arrays.toString(c) + " and " + Setting.word(pool) + " pooling (window " + Arrays.toString(window)
                + ", stride " + Arrays.toString(poolStride) + ")");
    }

    private <T> T conv(Ops<T> o, T g1) {
        T b = parameters().containsKey(B.name()) ? o.param(this, B) : null;
        return Convolution.conv(o, g1, o.param(this, W), b, stride, padding);
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        T p = Convolution.pool(o, pool, conv(o, g.get(0)), window, poolStride);
        return o.neg(o.dotPerSample(g.get(1), p));
    }

    @Override
    public <T> List<T> gradient(Ops<T> o, List<T> g) {
        T c = conv(o, g.get(0));
        T p = Convolution.pool(o, pool, c, window, poolStride);
        T dc = Convolution.poolTranspose(o, pool, g.get(1), c, window, poolStride);
        T d1 = Convolution.convTranspose(o, dc, o.param(this, W), o.shape(g.get(0)), stride, padding);
        return List.of(o.neg(d1), o.neg(p));
    }
}

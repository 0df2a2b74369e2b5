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
 * The convolutional synapse between an input layer and an output layer, per sample:
 * <pre>  E = -&lt;g2, conv(g1) + b&gt;,   conv(g1)[o, i, j] = sum_{c, u, v} W[o, c, u, v] g1pad[c, i sH + u, j sW + v]</pre>
 * a cross-correlation with zero padding ({@code g1pad} has {@code pH} zero rows and {@code pW} zero
 * columns on each side) and an optional bias {@code b} per output channel.
 *
 * <p>Gradient: {@code dE/dg2 = -(conv(g1) + b)}, {@code dE/dg1 = -conv^T(g2)} (the transposed
 * convolution; input rows and columns that no window reads get zero). One layer may fill both slots
 * when the output has the input's shape (e.g. stride 1, padding {@code (k - 1) / 2}, {@code O = C}).
 *
 * <p>Shapes (NCHW, OIHW): {@code g1 [B, C, H, W]}, {@code g2 [B, O, Ho, Wo]} with
 * {@code Ho = floor((H + 2 pH - kH) / sH) + 1} (likewise {@code Wo}), kernel {@code W [O, C, kH, kW]},
 * bias {@code b [O]}; energy {@code [B]}.
 *
 * <p>Settings and parameters: {@link #TYPE}; {@code b} is optional; {@code kernel} is only needed for an
 * {@code init} of {@code W} without a shape (it then makes {@code [O, C, kH, kW]} from the layers).
 */
public final class ConvSynapse extends Hypersynapse {

    /** The kernel. */
    public static final Param W = Param.array("W", "the kernel [O, C, kH, kW]");
    /** The bias per output channel. */
    public static final Param B = Param.array("b", "the bias per output channel [O] (optional)");
    /** The stride. */
    public static final Setting<List<Integer>> STRIDE = Setting.pair("stride", 1, "the stride: one integer or [sH, sW]");
    /** The zero padding. */
    public static final Setting<List<Integer>> PADDING = Setting.pair("padding", 0,
            "the zero padding on each side: one integer or [pH, pW]");
    /** The kernel size an {@code init} makes. */
    public static final Setting<List<Integer>> KERNEL = Setting.pair("kernel", null,
            "the kernel size [kH, kW], for an init of W without a shape").optional();
    /** The JSON type. */
    public static final ComponentType<ConvSynapse> TYPE = ComponentType.<ConvSynapse>synapse("conv",
            "E = -<g2, conv(g1) + b>: a cross-correlation with zero padding").params(W, B).settings(STRIDE, PADDING, KERNEL)
            .build(s -> {
                int[] stride = Convolution.ints(s.get(STRIDE));
                int[] padding = Convolution.ints(s.get(PADDING));
                INDArray[] wb = Convolution.kernel(s);
                return new ConvSynapse(wb[0], wb[1], stride, padding);
            });

    private final int[] stride;
    private final int[] padding;

    /**
     * @param w       the kernel {@code [O, C, kH, kW]}
     * @param b       the bias {@code [O]}, or null for none
     * @param stride  {@code [sH, sW]}, each at least 1
     * @param padding {@code [pH, pW]}, each at least 0 and smaller than the kernel
     */
    public ConvSynapse(INDArray w, INDArray b, int[] stride, int[] padding) {
        this.stride = Convolution.pair("stride", stride, 1);
        this.padding = Convolution.pair("padding", padding, 0);
        set(STRIDE, Convolution.list(this.stride));
        set(PADDING, Convolution.list(this.padding));
        Convolution.checkKernel(Objects.requireNonNull(w, "W"), b, this.padding);
        declare(W, w);
        if (b != null) {
            declare(B, b);
        }
    }

    /** Stride 1, no padding, no bias. */
    public ConvSynapse(INDArray w) {
        this(w, null, Convolution.ints(STRIDE.defaultValue()), Convolution.ints(PADDING.defaultValue()));
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    public int[] stride() {
        return stride.clone();
    }

    public int[] padding() {
        return padding.clone();
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public void check(List<long[]> layerShapes) {
        if (layerShapes.size() != 2) {
            throw new IllegalArgumentException("a conv synapse connects 2 layers [input, output], not " + layerShapes.size());
        }
        long[] out = Convolution.convOutput(layerShapes.get(0), parameter(W).shape(), stride, padding);
        Convolution.checkOutputLayer(layerShapes, out, "the convolution (kernel " + Arrays.toString(parameter(W).shape())
                + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ")");
    }

    private <T> T bias(Ops<T> o) {
        return parameters().containsKey(B.name()) ? o.param(this, B) : null;
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        T c = Convolution.conv(o, g.get(0), o.param(this, W), bias(o), stride, padding);
        return o.neg(o.dotPerSample(g.get(1), c));
    }

    @Override
    public <T> List<T> gradient(Ops<T> o, List<T> g) {
        T w = o.param(this, W);
        T c = Convolution.conv(o, g.get(0), w, bias(o), stride, padding);
        T d1 = Convolution.convTranspose(o, g.get(1), w, o.shape(g.get(0)), stride, padding);
        return List.of(o.neg(d1), o.neg(c));
    }
}

package org.hamux.core.ops;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.Component;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Ops} recorded as SameDiff ops: a second, independent interpreter of the components' code, which the
 * reverse-mode engine ({@link org.hamux.core.autodiff.Tape}) is tested against, and a SameDiff graph for a user who
 * wants one.
 *
 * <p>SameDiff does not know the shapes of op outputs before execution, so each value carries its
 * shape ({@link Sym}). Parameters are SameDiff variables bound with {@link #bind}; an unbound
 * parameter is added as a constant the first time it is used.
 */
public final class GraphOps implements Ops<GraphOps.Sym> {

    /** A SameDiff value and its static shape. */
    public record Sym(SDVariable v, long[] shape) {
        @Override
        public String toString() {
            return v.name() + Arrays.toString(shape);
        }
    }

    private final SameDiff sd;
    private final DataType dtype;
    private final Map<Component, Map<String, Sym>> params = new IdentityHashMap<>();

    public GraphOps(SameDiff sd, DataType dtype) {
        this.sd = sd;
        this.dtype = dtype;
    }

    public SameDiff sameDiff() {
        return sd;
    }

    public DataType dataType() {
        return dtype;
    }

    /** Wraps a SameDiff variable of known shape. */
    public Sym of(SDVariable v, long... shape) {
        return new Sym(v, shape.clone());
    }

    /** A placeholder of a fixed shape. */
    public Sym placeholder(String name, long... shape) {
        return of(sd.placeHolder(name, dtype, shape), shape);
    }

    /** Makes {@code value} the tensor used for parameter {@code name} of {@code owner}. */
    public void bind(Component owner, String name, Sym value) {
        params.computeIfAbsent(owner, k -> new LinkedHashMap<>()).put(name, value);
    }

    @Override
    public Sym param(Component owner, String name) {
        Map<String, Sym> p = params.computeIfAbsent(owner, k -> new LinkedHashMap<>());
        return p.computeIfAbsent(name, n -> {
            var a = owner.parameter(n).castTo(dtype);
            return of(sd.constant(a), a.shape());
        });
    }

    @Override
    public Sym full(Sym like, double value) {
        return of(sd.constant(Nd4j.valueArrayOf(like.shape(), value, dtype)), like.shape());
    }

    @Override
    public long[] shape(Sym a) {
        return a.shape().clone();
    }

    @Override
    public Sym add(Sym a, Sym b) {
        return of(a.v().add(b.v()), Shapes.broadcast(a.shape(), b.shape()));
    }

    @Override
    public Sym sub(Sym a, Sym b) {
        return of(a.v().sub(b.v()), Shapes.broadcast(a.shape(), b.shape()));
    }

    @Override
    public Sym mul(Sym a, Sym b) {
        return of(a.v().mul(b.v()), Shapes.broadcast(a.shape(), b.shape()));
    }

    @Override
    public Sym div(Sym a, Sym b) {
        // a * (1/b): M2.1's broadcast div gives a wrong gradient for a rank-0 divisor
        return of(a.v().mul(b.v().rdiv(1.0)), Shapes.broadcast(a.shape(), b.shape()));
    }

    @Override
    public Sym add(Sym a, double s) {
        return of(a.v().add(s), a.shape());
    }

    @Override
    public Sym mul(Sym a, double s) {
        return of(a.v().mul(s), a.shape());
    }

    @Override
    public Sym rdiv(Sym a, double s) {
        return of(a.v().rdiv(s), a.shape());
    }

    @Override
    public Sym neg(Sym a) {
        return of(a.v().neg(), a.shape());
    }

    @Override
    public Sym exp(Sym a) {
        return of(sd.math().exp(a.v()), a.shape());
    }

    @Override
    public Sym log(Sym a) {
        return of(sd.math().log(a.v()), a.shape());
    }

    @Override
    public Sym abs(Sym a) {
        return of(sd.math().abs(a.v()), a.shape());
    }

    @Override
    public Sym sqrt(Sym a) {
        return of(sd.math().sqrt(a.v()), a.shape());
    }

    @Override
    public Sym square(Sym a) {
        return of(a.v().mul(a.v()), a.shape());
    }

    @Override
    public Sym pow(Sym a, double p) {
        return of(sd.math().pow(a.v(), p), a.shape());
    }

    @Override
    public Sym tanh(Sym a) {
        return of(sd.math().tanh(a.v()), a.shape());
    }

    @Override
    public Sym sigmoid(Sym a) {
        return of(sd.nn().sigmoid(a.v()), a.shape());
    }

    @Override
    public Sym relu(Sym a) {
        return of(sd.nn().relu(a.v(), 0.0), a.shape());
    }

    @Override
    public Sym step(Sym a) {
        return of(sd.math().step(a.v(), 0.0), a.shape());
    }

    @Override
    public Sym sum(Sym a, boolean keep, int... axes) {
        if (onlySizeOne(a.shape(), axes)) {
            return reshape(a, Shapes.reduce(a.shape(), keep, axes));
        }
        return of(sd.sum(a.v(), keep, axes), Shapes.reduce(a.shape(), keep, axes));
    }

    @Override
    public Sym max(Sym a, boolean keep, int... axes) {
        if (onlySizeOne(a.shape(), axes)) {
            return reshape(a, Shapes.reduce(a.shape(), keep, axes));
        }
        return of(sd.max(a.v(), keep, axes), Shapes.reduce(a.shape(), keep, axes));
    }

    /** M2.1's reductions crash (NPE in BaseReduceOp) when every reduced axis has size 1: reshape instead. */
    private static boolean onlySizeOne(long[] shape, int[] axes) {
        for (int ax : axes) {
            if (shape[ax < 0 ? ax + shape.length : ax] != 1) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Sym mmul(Sym a, Sym b, boolean transA, boolean transB) {
        long m = transA ? a.shape()[1] : a.shape()[0];
        long n = transB ? b.shape()[0] : b.shape()[1];
        return of(sd.mmul(a.v(), b.v(), transA, transB, false), m, n);
    }

    @Override
    public Sym reshape(Sym a, long... shape) {
        return of(sd.reshape(a.v(), shape), shape);
    }

    @Override
    public Sym permute(Sym a, int... axes) {
        long[] s = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            s[i] = a.shape()[axes[i]];
        }
        return of(sd.permute(a.v(), axes), s);
    }

    @Override
    public Sym sin(Sym a) {
        return of(sd.math().sin(a.v()), a.shape());
    }

    @Override
    public Sym cos(Sym a) {
        return of(sd.math().cos(a.v()), a.shape());
    }

    @Override
    public Sym concat(int axis, Sym a, Sym b) {
        long[] s = a.shape().clone();
        int ax = axis < 0 ? axis + s.length : axis;
        s[ax] += b.shape()[ax];
        return of(sd.concat(ax, a.v(), b.v()), s);
    }

    @Override
    public Sym slice(Sym a, int axis, long from, long to) {
        long[] s = a.shape().clone();
        int ax = axis < 0 ? axis + s.length : axis;
        int[] begin = new int[s.length];
        begin[ax] = (int) from;
        s[ax] = to - from;
        return of(sd.slice(a.v(), begin, Arrays.stream(s).mapToInt(Math::toIntExact).toArray()), s);
    }

    // ---- batched products, constants and convolution (issue 3: attention, conv, conv-pool) ----

    @Override
    public Sym bmmul(Sym a, Sym b, boolean transA, boolean transB) {
        long n = a.shape()[0];
        long m = transA ? a.shape()[2] : a.shape()[1];
        long p = transB ? b.shape()[1] : b.shape()[2];
        return of(sd.mmul(a.v(), b.v(), transA, transB, false), n, m, p);
    }

    @Override
    public Sym constant(Sym like, INDArray value) {
        return of(sd.constant(value.castTo(dtype)), value.shape());
    }

    /** SameDiff's conv2d, with the OIHW kernel permuted to its default layout {@code [kH, kW, C, O]}. */
    @Override
    public Sym conv2d(Sym x, Sym w, int sH, int sW, int pH, int pW) {
        long[] xs = x.shape();
        long[] ws = w.shape();
        Conv2DConfig c = Conv2DConfig.builder().kH(ws[2]).kW(ws[3]).sH(sH).sW(sW).pH(pH).pW(pW).dH(1).dW(1)
                .dataFormat(Conv2DConfig.NCHW).build();
        SDVariable out = sd.cnn().conv2d(x.v(), sd.permute(w.v(), 2, 3, 1, 0), c);
        return of(out, xs[0], ws[0], Ops.convOutSize(xs[2], ws[2], sH, pH), Ops.convOutSize(xs[3], ws[3], sW, pW));
    }

    /**
     * SameDiff's deconv2d without padding (kernel permuted to {@code [kH, kW, C, O]}), then the rows and
     * columns {@code [p, p + n)} of the padded input: a slice, and zeros appended where the
     * deconvolution does not reach.
     */
    @Override
    public Sym conv2dTranspose(Sym y, Sym w, long h, long wd, int sH, int sW, int pH, int pW) {
        long[] ys = y.shape();
        long[] ws = w.shape();
        long fh = (long) sH * (ys[2] - 1) + ws[2];
        long fw = (long) sW * (ys[3] - 1) + ws[3];
        DeConv2DConfig c = DeConv2DConfig.builder().kH(ws[2]).kW(ws[3]).sH(sH).sW(sW).pH(0).pW(0).dH(1).dW(1)
                .isSameMode(false).dataFormat(DeConv2DConfig.NCHW).build();
        SDVariable full = sd.cnn().deconv2d(y.v(), sd.permute(w.v(), 2, 3, 1, 0), c);
        long hEnd = Math.min(fh, pH + h);
        long wEnd = Math.min(fw, pW + wd);
        SDVariable out = full;
        if (pH != 0 || pW != 0 || hEnd != fh || wEnd != fw) {
            out = sd.slice(full, new int[] {0, 0, pH, pW},
                    (int) ys[0], (int) ws[1], (int) (hEnd - pH), (int) (wEnd - pW));
        }
        if (hEnd - pH < h) {
            out = sd.concat(2, out, sd.constant(Nd4j.zeros(dtype, ys[0], ws[1], h - (hEnd - pH), wEnd - pW)));
        }
        if (wEnd - pW < wd) {
            out = sd.concat(3, out, sd.constant(Nd4j.zeros(dtype, ys[0], ws[1], h, wd - (wEnd - pW))));
        }
        return of(out, ys[0], ws[1], h, wd);
    }
}

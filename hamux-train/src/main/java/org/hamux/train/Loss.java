package org.hamux.train;

import java.util.Arrays;
import java.util.Objects;
import org.hamux.core.HamuxException;
import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training loss on one layer's final activation {@code g_T} (or state {@code x_T}) after the unrolled
 * dynamics, against a target of the data. The per-sample value is written once with {@link Ops}, so the
 * same formula runs in training (recorded into SameDiff) and in evaluation (on INDArrays); the reported
 * loss is its mean over the batch.
 *
 * <p>Built-ins: {@link #mse}, {@link #crossEntropy}, {@link #maskedMse}; a user-written loss is a
 * {@link PerSample} passed to {@link #custom}.
 */
public final class Loss {

    /** Added inside the logarithm of the cross-entropy of probabilities. */
    public static final double LOG_EPS = 1e-12;

    /** A per-sample loss {@code [B, ...] x [B, ...] -> [B]}, written with {@link Ops}. */
    public interface PerSample {
        <T> T apply(Ops<T> o, T output, T target);
    }

    /** What of the layer the loss reads. */
    public enum Of { ACTIVATION, STATE }

    private final String type;
    private final String layer;
    private final Of of;
    private final String target;
    private final PerSample f;
    private final boolean classLabels;
    private INDArray mask;

    private Loss(String type, String layer, Of of, String target, PerSample f, boolean classLabels) {
        this.type = Objects.requireNonNull(type);
        this.layer = Objects.requireNonNull(layer, "layer");
        this.of = Objects.requireNonNull(of);
        this.target = Objects.requireNonNull(target, "target");
        this.f = f;
        this.classLabels = classLabels;
    }

    /**
     * Mean squared error, {@code mean_i (out_i - target_i)^2} over the layer's neurons. A target of class
     * labels ({@code [N]} integers) is one-hot encoded.
     */
    public static Loss mse(String layer, Of of, String target) {
        return new Loss("mse", layer, of, target, new PerSample() {
            @Override
            public <T> T apply(Ops<T> o, T out, T t) {
                long[] s = o.shape(out);
                return o.mul(o.sumPerSample(o.square(o.sub(out, t))), 1.0 / (Arrays.stream(s).reduce(1, (a, b) -> a * b) / s[0]));
            }
        }, false);
    }

    /**
     * Cross-entropy against class labels (one-hot encoded) or a distribution per sample. Of the activation
     * (probabilities, e.g. a softmax layer): {@code -sum_i t_i log(g_i + 1e-12)}. Of the state (logits):
     * {@code logsumexp(x) - sum_i t_i x_i}, the log-sum-exp max-shifted, over the flattened layer.
     */
    public static Loss crossEntropy(String layer, Of of, String target) {
        return new Loss("cross-entropy", layer, of, target, of == Of.ACTIVATION ? new PerSample() {
            @Override
            public <T> T apply(Ops<T> o, T out, T t) {
                return o.neg(o.dotPerSample(t, o.log(o.add(out, LOG_EPS))));
            }
        } : new PerSample() {
            @Override
            public <T> T apply(Ops<T> o, T out, T t) {
                T x = o.flatten(out);
                return o.sub(o.logSumExp(x, false, 1), o.dotPerSample(o.flatten(t), x));
            }
        }, true);
    }

    /**
     * Masked reconstruction: the squared error only where {@code mask} (the layer's per-sample shape, 1 =
     * counted) is 1, averaged over the masked neurons: {@code sum mask (out - t)^2 / sum mask}.
     */
    public static Loss maskedMse(String layer, Of of, String target, INDArray mask) {
        Objects.requireNonNull(mask, "mask");
        double count = mask.sumNumber().doubleValue();
        if (!(count > 0)) {
            throw new HamuxException("the mask of a masked-mse loss has no neuron set to 1");
        }
        Loss l = new Loss("masked-mse", layer, of, target, new PerSample() {
            @Override
            public <T> T apply(Ops<T> o, T out, T t) {
                T m = Masks.constant(o, mask, out);
                return o.mul(o.sumPerSample(o.mul(m, o.square(o.sub(out, t)))), 1.0 / count);
            }
        }, false);
        l.mask = mask;
        return l;
    }

    /** A user-written loss named {@code name}. */
    public static Loss custom(String name, String layer, Of of, String target, PerSample f) {
        return new Loss(name, layer, of, target, Objects.requireNonNull(f, "f"), false);
    }

    public String type() {
        return type;
    }

    /** The layer whose final activation or state the loss reads. */
    public String layer() {
        return layer;
    }

    public Of of() {
        return of;
    }

    /** The name of the data array holding the targets. */
    public String target() {
        return target;
    }

    /** The mask of a masked loss (the layer's per-sample shape, 1 where the error counts), or null. */
    public INDArray mask() {
        return mask;
    }

    /** Whether class labels are the natural target (then accuracy is reported). */
    public boolean expectsClasses() {
        return classLabels;
    }

    /** The loss of every sample, {@code [B]}. */
    public <T> T perSample(Ops<T> o, T output, T target) {
        return f.apply(o, output, target);
    }

    @Override
    public String toString() {
        return type + "(" + (of == Of.STATE ? "state" : "activation") + " of '" + layer + "' vs '" + target + "')";
    }
}

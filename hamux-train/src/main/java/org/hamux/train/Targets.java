package org.hamux.train;

import java.util.Arrays;
import org.hamux.core.HamuxException;
import org.hamux.core.ops.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Targets for a layer: class labels one-hot encoded, anything else reshaped to the layer. */
public final class Targets {

    private Targets() {
    }

    /**
     * Whether {@code a} holds class labels for a layer of {@code layerShape}: {@code [N]} non-negative
     * integers while the layer has more than one neuron.
     */
    public static boolean areLabels(INDArray a, long[] layerShape) {
        return a.rank() == 1 && Shapes.size(layerShape) > 1;
    }

    /** The labels of {@code a} ({@code [N]}) as longs, checked to be classes of a layer of {@code classes}. */
    public static long[] labels(INDArray a, long classes, String what) {
        double[] v = a.castTo(DataType.DOUBLE).toDoubleVector();
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < 0 || v[i] >= classes) {
                throw new HamuxException(what + ": label " + v[i] + " of sample " + i + " is not a class 0.."
                        + (classes - 1) + " of the layer");
            }
            out[i] = (long) v[i];
        }
        return out;
    }

    /**
     * {@code a} as targets {@code [N, ...layerShape]} in {@code dtype}: labels {@code [N]} one-hot encoded,
     * {@code [N, prod(shape)]} or {@code [N, ...shape]} reshaped.
     */
    public static INDArray prepare(INDArray a, long[] layerShape, DataType dtype, String what) {
        long size = Shapes.size(layerShape);
        if (areLabels(a, layerShape)) {
            long[] labels = labels(a, size, what);
            INDArray out = Nd4j.zeros(dtype, labels.length, size);
            for (int i = 0; i < labels.length; i++) {
                out.putScalar(i, labels[i], 1.0);
            }
            return out.reshape('c', Shapes.withBatch(labels.length, layerShape));
        }
        if (a.rank() < 1 || a.length() != a.size(0) * size) {
            throw new HamuxException(what + " has shape " + Arrays.toString(a.shape()) + "; a layer of shape "
                    + Arrays.toString(layerShape) + " needs [N, " + Arrays.toString(layerShape).substring(1)
                    + (size > 1 ? " or class labels [N]" : ""));
        }
        return a.castTo(dtype).reshape('c', Shapes.withBatch(a.size(0), layerShape));
    }
}

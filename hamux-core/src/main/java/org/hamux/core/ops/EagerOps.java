package org.hamux.core.ops;

import org.hamux.core.Component;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** {@link Ops} evaluated at once on ND4J arrays. Parameters are read from their components as they are. */
public final class EagerOps implements Ops<INDArray> {

    /** The one instance: eager ops hold no state. */
    public static final EagerOps INSTANCE = new EagerOps();

    private EagerOps() {
    }

    @Override
    public INDArray param(Component owner, String name) {
        return owner.parameter(name);
    }

    @Override
    public INDArray full(INDArray like, double value) {
        return Nd4j.valueArrayOf(like.shape(), value, like.dataType());
    }

    @Override
    public long[] shape(INDArray a) {
        return a.shape();
    }

    @Override
    public INDArray add(INDArray a, INDArray b) {
        return a.add(b);
    }

    @Override
    public INDArray sub(INDArray a, INDArray b) {
        return a.sub(b);
    }

    @Override
    public INDArray mul(INDArray a, INDArray b) {
        return a.mul(b);
    }

    @Override
    public INDArray div(INDArray a, INDArray b) {
        return a.div(b);
    }

    @Override
    public INDArray add(INDArray a, double s) {
        return a.add(s);
    }

    @Override
    public INDArray mul(INDArray a, double s) {
        return a.mul(s);
    }

    @Override
    public INDArray rdiv(INDArray a, double s) {
        return a.rdiv(s);
    }

    @Override
    public INDArray neg(INDArray a) {
        return a.neg();
    }

    @Override
    public INDArray exp(INDArray a) {
        return Transforms.exp(a, true);
    }

    @Override
    public INDArray log(INDArray a) {
        return Transforms.log(a, true);
    }

    @Override
    public INDArray abs(INDArray a) {
        return Transforms.abs(a, true);
    }

    @Override
    public INDArray sqrt(INDArray a) {
        return Transforms.sqrt(a, true);
    }

    @Override
    public INDArray square(INDArray a) {
        return a.mul(a);
    }

    @Override
    public INDArray pow(INDArray a, double p) {
        return Transforms.pow(a, p, true);
    }

    @Override
    public INDArray tanh(INDArray a) {
        return Transforms.tanh(a, true);
    }

    @Override
    public INDArray sigmoid(INDArray a) {
        return Transforms.sigmoid(a, true);
    }

    @Override
    public INDArray relu(INDArray a) {
        return Transforms.relu(a, true);
    }

    @Override
    public INDArray step(INDArray a) {
        return Transforms.step(a, true);
    }

    @Override
    public INDArray sum(INDArray a, boolean keep, int... axes) {
        return a.sum(keep, axes);
    }

    @Override
    public INDArray max(INDArray a, boolean keep, int... axes) {
        return a.max(keep, axes);
    }

    @Override
    public INDArray mmul(INDArray a, INDArray b, boolean transA, boolean transB) {
        return Nd4j.gemm(a, b, transA, transB);
    }

    @Override
    public INDArray reshape(INDArray a, long... shape) {
        return a.reshape('c', shape);
    }

    @Override
    public INDArray permute(INDArray a, int... axes) {
        return a.permute(axes).dup('c');
    }

    @Override
    public INDArray sin(INDArray a) {
        return Transforms.sin(a, true);
    }

    @Override
    public INDArray cos(INDArray a) {
        return Transforms.cos(a, true);
    }

    @Override
    public INDArray concat(int axis, INDArray a, INDArray b) {
        return Nd4j.concat(axis, a, b);
    }
}

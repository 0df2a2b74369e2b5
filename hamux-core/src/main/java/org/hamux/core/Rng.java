package org.hamux.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded random arrays that do not touch ND4J's global generator: the same seed gives the same array. */
public final class Rng {

    private final Random random;

    public Rng(long seed) {
        this.random = Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    /** {@code N(mean, std^2)} samples. */
    public INDArray normal(DataType dtype, double mean, double std, long... shape) {
        INDArray a = Nd4j.createUninitialized(dtype, shape);
        Nd4j.getExecutioner().exec(new GaussianDistribution(a, mean, std), random);
        return a;
    }

    /** Uniform samples on {@code [low, high)}. */
    public INDArray uniform(DataType dtype, double low, double high, long... shape) {
        INDArray a = Nd4j.createUninitialized(dtype, shape);
        Nd4j.getExecutioner().exec(new UniformDistribution(a, low, high), random);
        return a;
    }

    /** Fills {@code target} with {@code N(0, std^2)} samples, in place. */
    public void fillNormal(INDArray target, double std) {
        Nd4j.getExecutioner().exec(new GaussianDistribution(target, 0.0, std), random);
    }
}

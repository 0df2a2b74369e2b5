package org.hamux.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hamux.core.Dynamics;
import org.hamux.core.HamuxException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How to train a graph's parameters through its dynamics: the {@code "training"} section of a spec.
 *
 * @param train     the flat names of the parameters that train ({@code "hid_lbl.W"}, {@code "lbl.bias"},
 *                  {@code "img.beta"}); every other parameter is frozen
 * @param inputs    data array by layer: each such layer starts at its sample (a clamped layer stays there)
 * @param dynamics  the dynamics the loss is taken after, as inference runs it ({@link Dynamics}: its steps {@code T},
 *                  dt, clamped layers, per-sample masks, Langevin noise and tolerance); training unrolls its steps
 * @param loss      the loss on a layer's final activation or state
 * @param optimizer the optimizer
 * @param schedule  the learning-rate schedule
 * @param clipNorm  the largest global L2 norm of the gradient (0: no clipping)
 * @param recompute keep the states every {@code recompute} steps only and compute the steps between them again in the
 *                  backward pass (memory of {@code recompute} steps instead of {@code T}, for a second forward pass);
 *                  0 keeps every step ({@link Unrolled})
 * @param batch     the mini-batch size (the last partial batch of an epoch is left out)
 * @param epochs    the number of passes over the training data
 * @param seed      the seed of the shuffling, of the train/test split and of the dynamics' noise in training
 * @param data      where the data come from, or null to give it at run time
 * @param cluster   a clustering report on evaluation, or null
 */
public record Training(List<String> train, Map<String, String> inputs, Dynamics dynamics, Loss loss,
                       Optimizer.Settings optimizer, Schedule schedule, double clipNorm, int recompute, int batch,
                       int epochs, long seed, Data data, Cluster cluster) {

    /** Default mini-batch size. */
    public static final int DEFAULT_BATCH = 64;
    /** Default number of unrolled steps. */
    public static final int DEFAULT_STEPS = 10;
    /** Default number of epochs. */
    public static final int DEFAULT_EPOCHS = 1;

    public Training {
        train = List.copyOf(train);
        inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        Objects.requireNonNull(dynamics, "dynamics");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        if (train.isEmpty()) {
            throw new HamuxException("no parameter to train: name at least one, e.g. \"train\": [\"syn.W\"]");
        }
        if (dynamics.steps() < 1) {
            throw new HamuxException("steps must be at least 1, got " + dynamics.steps());
        }
        for (var m : dynamics.masks().entrySet()) {
            if (m.getValue().rank() < 1) {
                throw new HamuxException("the mask of layer '" + m.getKey() + "' must have the layer's per-sample shape");
            }
        }
        if (batch < 1) {
            throw new HamuxException("batch must be at least 1, got " + batch);
        }
        if (epochs < 0) {
            throw new HamuxException("epochs must be at least 0, got " + epochs);
        }
        if (!(clipNorm >= 0)) {
            throw new HamuxException("clip must be at least 0, got " + clipNorm);
        }
        if (recompute < 0) {
            throw new HamuxException("recompute must be at least 0 (0: keep every step), got " + recompute);
        }
    }

    /** The training section of {@code spec} ({@link TrainPlugin}), or null when it has none. */
    public static Training of(org.hamux.core.spec.Spec spec) {
        return spec.section(TrainPlugin.SECTION, Training.class);
    }

    /** The number {@code T} of unrolled Euler steps. */
    public int steps() {
        return dynamics.steps();
    }

    /** The Euler step. */
    public double dt() {
        return dynamics.dt();
    }

    /** The layers held at their initial state. */
    public Set<String> clamp() {
        return dynamics.clamped();
    }

    /** Per-neuron clamp masks by layer (the layer's per-sample shape, 1 = clamped). */
    public Map<String, INDArray> masks() {
        return dynamics.masks();
    }

    /** These settings with other values for some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.train.addAll(train);
        b.inputs.putAll(inputs);
        b.dynamics = dynamics.toBuilder();
        b.loss = loss;
        b.optimizer = optimizer;
        b.schedule = schedule;
        b.clip = clipNorm;
        b.recompute = recompute;
        b.batch = batch;
        b.epochs = epochs;
        b.seed = seed;
        b.data = data;
        b.cluster = cluster;
        return b;
    }

    /**
     * Where the data come from.
     *
     * @param train the training data (a file or an IDX folder), or null
     * @param test  the test data, or null
     * @param split the fraction of the training data held out as test data when {@code test} is null (0: none)
     * @param scale factors applied to named arrays when they are read (e.g. {@code images: 1/255})
     * @param noise for each named array, the standard deviation of the Gaussian noise added to it (after the
     *              scale) to make a new array {@code <name>_noisy} (seeded with the training seed), e.g. for a
     *              denoising memory
     * @param erase for each named array, a mask of its per-sample shape (1 kept, 0 erased) that makes a new array
     *              {@code <name>_erased}, the array with its erased entries 0 (after the scale), e.g. the input of a
     *              memory trained to fill in what is missing (masked tokens)
     */
    public record Data(Path train, Path test, double split, Map<String, Double> scale, Map<String, Double> noise,
                       Map<String, INDArray> erase) {
        public Data {
            scale = Map.copyOf(scale);
            noise = Map.copyOf(noise);
            erase = Map.copyOf(erase);
            if (!(split >= 0 && split < 1)) {
                throw new HamuxException("split must be in [0, 1), got " + split);
            }
        }

        /** Without erased copies. */
        public Data(Path train, Path test, double split, Map<String, Double> scale, Map<String, Double> noise) {
            this(train, test, split, scale, noise, Map.of());
        }
    }

    /**
     * Cluster the data with memories {@code synapse.param} ({@code [K, D]}): a sample's cluster is the memory
     * nearest to the final state of {@code layer}; scored against the class labels {@code labels} (NMI,
     * ARI) and by the silhouette of the inputs, next to k-means with the same {@code K}.
     */
    public record Cluster(String layer, String memories, String labels) {
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder with the defaults: Adam 1e-3, constant rate, batch 64, 10 steps of dt 0.1 (no clamp, no noise, no
     * tolerance), one epoch, seed 0.
     */
    public static final class Builder {
        private final List<String> train = new ArrayList<>();
        private final Map<String, String> inputs = new LinkedHashMap<>();
        private Dynamics.Builder dynamics = Dynamics.builder().steps(DEFAULT_STEPS);
        private Loss loss;
        private Optimizer.Settings optimizer = Optimizer.Settings.adam(Optimizer.Settings.DEFAULT_LR);
        private Schedule schedule = Schedule.CONSTANT;
        private double clip;
        private int recompute;
        private int batch = DEFAULT_BATCH;
        private int epochs = DEFAULT_EPOCHS;
        private long seed;
        private Data data;
        private Cluster cluster;

        private Builder() {
        }

        public Builder train(String... names) {
            train.addAll(List.of(names));
            return this;
        }

        /** Layer {@code layer} starts at data array {@code array}. */
        public Builder input(String layer, String array) {
            inputs.put(layer, array);
            return this;
        }

        /** The dynamics to unroll (replaces the steps, dt, clamps, masks and noise set so far). */
        public Builder dynamics(Dynamics d) {
            this.dynamics = d.toBuilder();
            return this;
        }

        public Builder clamp(String... layers) {
            dynamics.clamp(layers);
            return this;
        }

        /** Holds the neurons of {@code layer} where {@code mask} (the layer's per-sample shape) is 1. */
        public Builder mask(String layer, INDArray mask) {
            dynamics.mask(layer, mask);
            return this;
        }

        public Builder steps(int steps) {
            if (steps < 1) {
                throw new HamuxException("steps must be at least 1, got " + steps);
            }
            dynamics.steps(steps);
            return this;
        }

        public Builder dt(double dt) {
            dynamics.dt(dt);
            return this;
        }

        /**
         * Langevin noise in the unrolled steps at {@code temperature} (0 for none); the noise of each batch is drawn from a
         * generator seeded with {@code seed}, the epoch and the batch.
         */
        public Builder noise(double temperature, long seed) {
            dynamics.noise(temperature, seed);
            return this;
        }

        /** Steps after the first whose largest change is below {@code tol} change nothing (0: off). */
        public Builder tolerance(double tol) {
            dynamics.tolerance(tol);
            return this;
        }

        public Builder loss(Loss loss) {
            this.loss = loss;
            return this;
        }

        public Builder optimizer(Optimizer.Settings o) {
            this.optimizer = o;
            return this;
        }

        public Builder schedule(Schedule s) {
            this.schedule = s;
            return this;
        }

        public Builder clip(double maxNorm) {
            this.clip = maxNorm;
            return this;
        }

        /** Keep the states every {@code steps} steps only, and compute the rest again in the backward pass (0: off). */
        public Builder recompute(int steps) {
            this.recompute = steps;
            return this;
        }

        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder data(Data data) {
            this.data = data;
            return this;
        }

        public Builder cluster(Cluster c) {
            this.cluster = c;
            return this;
        }

        public Training build() {
            return new Training(train, inputs, dynamics.build(), loss, optimizer, schedule, clip, recompute, batch, epochs,
                    seed, data, cluster);
        }
    }
}

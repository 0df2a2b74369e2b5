package org.hamux.core;

import java.util.List;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;
import org.hamux.core.spec.Registry;

/** Small components for the core's own tests (the real ones live in hamux-layers and hamux-synapses). */
public final class TestComponents {

    private TestComponents() {
    }

    /** {@code L = |x|^2 / 2}, {@code g = x}. */
    public static final class Quadratic extends Lagrangian {
        @Override
        public String type() {
            return "quadratic";
        }

        @Override
        public <T> T value(Ops<T> o, T x) {
            return o.mul(o.sumPerSample(o.square(x)), 0.5);
        }

        @Override
        public <T> T activation(Ops<T> o, T x) {
            return x;
        }
    }

    /** {@code L = sum log cosh x}, {@code g = tanh x}. */
    public static final class LogCosh extends Lagrangian {
        @Override
        public String type() {
            return "logcosh";
        }

        @Override
        public <T> T value(Ops<T> o, T x) {
            T a = o.abs(x);
            return o.sumPerSample(o.add(o.add(a, o.softplus(o.mul(a, -2.0))), -Math.log(2)));
        }

        @Override
        public <T> T activation(Ops<T> o, T x) {
            return o.tanh(x);
        }
    }

    /** {@code E = -w <g1, g2>} with a scalar weight {@code w}. */
    public static final class Pair extends Hypersynapse {
        static final Param W = Param.scalar("w", 1.0, "the coupling");

        public Pair(double w) {
            declare("w", scalar(w));
        }

        @Override
        public String type() {
            return "pair";
        }

        @Override
        public int arity() {
            return 2;
        }

        @Override
        public void check(List<long[]> shapes) {
            if (!java.util.Arrays.equals(shapes.get(0), shapes.get(1))) {
                throw new IllegalArgumentException("the two layers must have the same shape");
            }
        }

        @Override
        public <T> T energy(Ops<T> o, List<T> g) {
            return o.neg(o.mul(o.dotPerSample(g.get(0), g.get(1)), o.param(this, "w")));
        }

        @Override
        public <T> List<T> gradient(Ops<T> o, List<T> g) {
            T w = o.param(this, "w");
            return List.of(o.neg(o.mul(g.get(1), w)), o.neg(o.mul(g.get(0), w)));
        }
    }

    /** A user-written energy only: {@code E = sum g^4 / 4 - c sum g}; its gradient comes from the engine. */
    public static final class Quartic extends Hypersynapse {
        public Quartic(double c) {
            declare("c", scalar(c));
        }

        @Override
        public String type() {
            return "quartic";
        }

        @Override
        public int arity() {
            return 1;
        }

        @Override
        public void check(List<long[]> shapes) {
        }

        @Override
        public <T> T energy(Ops<T> o, List<T> g) {
            T x = g.get(0);
            return o.sub(o.mul(o.sumPerSample(o.pow(x, 4.0)), 0.25), o.mul(o.sumPerSample(x), o.param(this, "c")));
        }
    }

    /** A registry of the components above, for spec tests. */
    public static Registry registry() {
        return new Registry()
                .addLagrangian(ComponentType.<Quadratic>lagrangian("quadratic", "L = x^2 / 2").build(s -> new Quadratic()))
                .addLagrangian(ComponentType.<LogCosh>lagrangian("logcosh", "L = log cosh x").build(s -> new LogCosh()))
                .addSynapse(ComponentType.<Pair>synapse("pair", "E = -w <g_0, g_1>").params(Pair.W)
                        .build(s -> new Pair(s.number(Pair.W))));
    }
}

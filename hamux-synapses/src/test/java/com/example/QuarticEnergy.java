package com.example;

import java.util.List;
import java.util.Map;
import org.hamux.core.Hypersynapse;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.SpecNode;

/**
 * A user's energy, as a JSON spec names it by class: {@code E = sum_i g_i^4 / 4 - sum_i a_i g_i} on one
 * layer, with a scalar key {@code "scale"} (default 1) multiplying the quartic term and a parameter
 * {@code a} shaped like the layer.
 */
public class QuarticEnergy extends Hypersynapse {

    private final double scale;

    /** The JSON constructor: reads {@code "scale"} and {@code "params": {"a": ARRAY}}. */
    public QuarticEnergy(SpecNode spec) {
        List<long[]> shapes = spec.layerShapes();
        this.scale = spec.number("scale", 1.0);
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
        declare("a", spec.param("a", shapes.size() == 1 ? shapes.get(0) : null));
    }

    @Override
    public String type() {
        return "quartic";
    }

    @Override
    public Map<String, Object> hyperparameters() {
        return Map.of("scale", scale);
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public void check(List<long[]> shapes) {
        if (!java.util.Arrays.equals(shapes.get(0), parameter("a").shape())) {
            throw new IllegalArgumentException("parameter 'a' must have the layer's shape");
        }
    }

    @Override
    public <T> T energy(Ops<T> o, List<T> g) {
        T x = g.get(0);
        return o.sub(o.mul(o.sumPerSample(o.pow(x, 4.0)), 0.25 * scale), o.dotPerSample(o.param(this, "a"), x));
    }

    /** The scale, for tests. */
    public double scale() {
        return scale;
    }

    /** Not usable from JSON: abstract. */
    public abstract static class Abstract extends Hypersynapse {
        public Abstract(SpecNode spec) {
        }
    }

    /** Not usable from JSON: no constructor of the convention. */
    public static class WrongConstructor extends QuarticEnergy {
        public WrongConstructor(SpecNode spec, int extra) {
            super(spec);
        }
    }

    /** Usable from JSON: a constructor without arguments (fixed parameters). */
    public static class Fixed extends Hypersynapse {
        public Fixed() {
            declare("k", scalar(2.0));
        }

        @Override
        public String type() {
            return "fixed";
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
            return o.mul(o.mul(o.sumPerSample(o.square(g.get(0))), o.param(this, "k")), -0.5);
        }
    }

}

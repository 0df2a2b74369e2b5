package org.hamux.core;

import java.util.Arrays;
import java.util.Locale;

/**
 * A value along the steps of the dynamics (an annealed inverse temperature, a cooling noise, a shrinking dt): from a
 * first to a last value, linearly or geometrically (evenly spaced in the log: {@code from (to/from)^(t/(T-1))}), or
 * given step by step (the last value holding after the list). Step {@code t} of {@code T} takes {@link #at}.
 */
public final class StepSchedule {

    /** How the value moves from the first step to the last. */
    public enum Shape { LINEAR, GEOMETRIC, VALUES }

    private final Shape shape;
    private final double[] values;

    private StepSchedule(Shape shape, double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new HamuxException("a schedule's values must be finite, got " + v);
            }
        }
        this.shape = shape;
        this.values = values;
    }

    /** {@code from} at the first step to {@code to} at the last, in even steps. */
    public static StepSchedule linear(double from, double to) {
        return new StepSchedule(Shape.LINEAR, new double[] {from, to});
    }

    /** {@code from} at the first step to {@code to} at the last, by a constant factor a step; both positive. */
    public static StepSchedule geometric(double from, double to) {
        if (!(from > 0) || !(to > 0)) {
            throw new HamuxException("a geometric schedule runs between positive values, got " + from + " and " + to);
        }
        return new StepSchedule(Shape.GEOMETRIC, new double[] {from, to});
    }

    /** One value a step; the last holds after the list. */
    public static StepSchedule values(double... v) {
        if (v.length == 0) {
            throw new HamuxException("a schedule of values needs at least one value");
        }
        return new StepSchedule(Shape.VALUES, v.clone());
    }

    public Shape shape() {
        return shape;
    }

    /** The first and last value (linear, geometric) or every value. */
    public double[] values() {
        return values.clone();
    }

    /** The value at step {@code step} (from 0) of {@code steps}. */
    public double at(int step, int steps) {
        if (shape == Shape.VALUES) {
            return values[Math.min(step, values.length - 1)];
        }
        double t = steps <= 1 ? 0 : Math.min(1, (double) step / (steps - 1));
        return shape == Shape.LINEAR ? values[0] + t * (values[1] - values[0])
                : values[0] * Math.pow(values[1] / values[0], t);
    }

    /** The JSON word of the shape. */
    public String word() {
        return shape.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepSchedule s && s.shape == shape && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return shape.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return shape == Shape.VALUES ? "values" + Arrays.toString(values) : word() + " " + values[0] + " -> " + values[1];
    }
}

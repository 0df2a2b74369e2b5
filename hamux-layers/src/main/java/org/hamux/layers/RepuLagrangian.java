package org.hamux.layers;

import org.hamux.core.Lagrangian;
import org.hamux.core.Setting;
import org.hamux.core.ops.Ops;
import org.hamux.core.spec.ComponentType;

/**
 * Rectified power unit of degree {@code n > 1}: {@code L(x) = sum relu(x)^n / n}; activation
 * {@code g = relu(x)^(n-1)}.
 * Settings and parameters: {@link #TYPE}.
 */
public final class RepuLagrangian extends Lagrangian {

    /** The degree. */
    public static final Setting<Double> N = Setting.number("n", null, "the degree, a number above 1 (2 is relu)");
    /** The JSON type. */
    public static final ComponentType<RepuLagrangian> TYPE = ComponentType.<RepuLagrangian>lagrangian("repu",
            "L = sum relu(x)^n / n; g = relu(x)^(n-1)").settings(N)
            .build(s -> new RepuLagrangian(s.get(N)));

    private final double n;

    /** @param n the degree, finite and above 1 ({@code n = 2} is {@link ReluLagrangian}) */
    public RepuLagrangian(double n) {
        if (!(n > 1) || Double.isInfinite(n)) {
            throw new IllegalArgumentException("repu: n must be a finite number above 1, got " + n);
        }
        this.n = set(N, n);
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    /** The degree. */
    public double n() {
        return n;
    }

    @Override
    public <T> T value(Ops<T> o, T x) {
        return o.mul(o.sumPerSample(o.pow(o.relu(x), n)), 1.0 / n);
    }

    @Override
    public <T> T activation(Ops<T> o, T x) {
        return o.pow(o.relu(x), n - 1);
    }
}

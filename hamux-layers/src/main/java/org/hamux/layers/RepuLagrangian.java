package org.hamux.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.Lagrangian;
import org.hamux.core.ops.Ops;

/**
 * Rectified power unit of degree {@code n > 1}: {@code L(x) = sum relu(x)^n / n}; activation
 * {@code g = relu(x)^(n-1)}. JSON type {@code "repu"}, key {@code "n"} (required; a real number above 1).
 */
public final class RepuLagrangian extends Lagrangian {

    private final double n;

    /** @param n the degree, finite and above 1 ({@code n = 2} is {@link ReluLagrangian}) */
    public RepuLagrangian(double n) {
        if (!(n > 1) || Double.isInfinite(n)) {
            throw new IllegalArgumentException("repu: n must be a finite number above 1, got " + n);
        }
        this.n = n;
    }

    @Override
    public String type() {
        return "repu";
    }

    /** The degree. */
    public double n() {
        return n;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("n", n);
        return h;
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

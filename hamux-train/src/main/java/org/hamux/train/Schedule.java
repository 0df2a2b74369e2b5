package org.hamux.train;

import org.hamux.core.HamuxException;

/**
 * The learning rate at update {@code t} (counted from 0) of {@code total}: a linear warm-up from
 * {@code lr/warmup} to {@code lr} over the first {@code warmup} updates, then constant
 * ({@code "constant"}) or a half-cosine decay to {@code minFactor * lr} at the last update
 * ({@code "cosine"}).
 *
 * @param type      {@code "constant"} or {@code "cosine"}
 * @param warmup    warm-up updates, at least 0
 * @param minFactor the final learning rate of the cosine decay as a fraction of {@code lr}, in [0, 1]
 */
public record Schedule(String type, long warmup, double minFactor) {

    /** A constant learning rate, no warm-up. */
    public static final Schedule CONSTANT = new Schedule("constant", 0, 0);

    public Schedule {
        if (!type.equals("constant") && !type.equals("cosine")) {
            throw new HamuxException("unknown schedule '" + type + "' (use constant or cosine)");
        }
        if (warmup < 0) {
            throw new HamuxException("warmup must be at least 0, got " + warmup);
        }
        if (!(minFactor >= 0 && minFactor <= 1)) {
            throw new HamuxException("min_factor must be in [0, 1], got " + minFactor);
        }
    }

    /** The learning rate of update {@code t} of {@code total}, for base rate {@code lr}. */
    public double lr(double lr, long t, long total) {
        if (t < warmup) {
            return lr * (t + 1) / warmup;
        }
        if (type.equals("constant")) {
            return lr;
        }
        long span = Math.max(1, total - warmup - 1);
        double progress = Math.min(1.0, (double) (t - warmup) / span);
        return lr * (minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}

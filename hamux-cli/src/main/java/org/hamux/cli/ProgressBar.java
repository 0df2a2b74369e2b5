package org.hamux.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.hamux.core.StepListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A one-line progress bar on a terminal: {@code step/total [####....] E=<batch-summed energy> max|dx|=...},
 * redrawn in place at most every {@value #REDRAW_MS} ms.
 */
final class ProgressBar implements StepListener {

    /** The shortest time between two redraws. */
    static final long REDRAW_MS = 100;
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final int total;
    private long lastDraw;
    private int lastLength;

    ProgressBar(PrintWriter out, int total) {
        this.out = out;
        this.total = Math.max(total, 1);
    }

    @Override
    public void onStep(int step, double[] energy, Map<String, INDArray> x, double maxChange) {
        long now = System.currentTimeMillis();
        if (step < total && now - lastDraw < REDRAW_MS) {
            return;
        }
        lastDraw = now;
        double e = 0;
        for (double v : energy) {
            e += v;
        }
        int filled = (int) ((long) WIDTH * Math.min(step, total) / total);
        String line = String.format(Locale.ROOT, "%d/%d [%s%s] E=%.6g max|dx|=%.3g", step, total,
                "#".repeat(filled), ".".repeat(WIDTH - filled), e, maxChange);
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    /** Clears the bar's line. */
    void clear() {
        if (lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
        }
    }
}

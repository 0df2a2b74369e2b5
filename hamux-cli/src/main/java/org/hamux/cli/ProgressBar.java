package org.hamux.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.hamux.core.StepListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A one-line progress bar on a terminal: {@code step/total [####....] E=<batch-summed energy> max|dx|=...},
 * redrawn in place at most every {@value TerminalLine#REDRAW_MS} ms.
 */
final class ProgressBar implements StepListener {

    private static final int WIDTH = 30;

    private final TerminalLine line;
    private final int total;

    ProgressBar(PrintWriter out, int total) {
        this.line = new TerminalLine(out);
        this.total = Math.max(total, 1);
    }

    @Override
    public void onStep(int step, double[] energy, Map<String, INDArray> x, double maxChange) {
        if (!line.due(step >= total)) {
            return;
        }
        double e = 0;
        for (double v : energy) {
            e += v;
        }
        int filled = (int) ((long) WIDTH * Math.min(step, total) / total);
        line.show(String.format(Locale.ROOT, "%d/%d [%s%s] E=%.6g max|dx|=%.3g", step, total,
                "#".repeat(filled), ".".repeat(WIDTH - filled), e, maxChange));
    }

    /** Clears the bar's line. */
    void clear() {
        line.clear();
    }
}

package org.hamux.core;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Called after every step of the dynamics (progress bars, plots, early looks at the state).
 * The arrays are valid only during the call: copy ({@code dup()}/{@code detach()}) what you keep.
 */
@FunctionalInterface
public interface StepListener {

    /**
     * @param step      the step just taken, from 1
     * @param energy    total energy per sample before the step, {@code [B]}
     * @param x         the states after the step
     * @param maxChange the largest {@code |x_new - x_old|} over free neurons in this step
     */
    void onStep(int step, double[] energy, Map<String, INDArray> x, double maxChange);
}

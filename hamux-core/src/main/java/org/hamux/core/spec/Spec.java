package org.hamux.core.spec;

import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A whole spec: the graph, how to run its dynamics, where to start, and optionally a retrieval check.
 *
 * @param name        a short name
 * @param description free text
 * @param dtype       the data type of parameters and states
 * @param graph       the energy graph
 * @param dynamics    the dynamics settings
 * @param initial     initial states by layer ({@code [batch, ...shape]}); layers not given start at zero
 * @param retrieval   the retrieval check to report after a run, or null
 * @param sections    the sections the modules add ({@link Registry#addSection}), read, by key (e.g. {@code "training"}:
 *                    how to train the graph's parameters, read by the training module)
 */
public record Spec(String name, String description, DataType dtype, EnergyGraph graph, Dynamics dynamics,
                   Map<String, INDArray> initial, Retrieval retrieval, Map<String, Object> sections) {

    public Spec {
        sections = Map.copyOf(sections);
    }

    /** A spec without sections of the modules. */
    public Spec(String name, String description, DataType dtype, EnergyGraph graph, Dynamics dynamics,
                Map<String, INDArray> initial, Retrieval retrieval) {
        this(name, description, dtype, graph, dynamics, initial, retrieval, Map.of());
    }

    /** Section {@code key} as its module read it, or null when the spec has none. */
    public <S> S section(String key, Class<S> type) {
        Object s = sections.get(key);
        return s == null ? null : type.cast(s);
    }

    /**
     * After the run, each sample's final activation of {@code layer} is matched to its nearest row of
     * {@code memories} (Euclidean); sample {@code i} counts as retrieved when that row is
     * {@code targets[i]}. {@code image} ({@code [height, width]}) and {@code png} ask for a picture, whose three rows
     * (the start, the final state, the target memory) are named by {@code labels}.
     */
    public record Retrieval(String layer, INDArray memories, long[] targets, long[] image, String png, List<String> labels) {

        /** The picture's row names unless the spec gives others. */
        public static final List<String> LABELS = List.of("query", "retrieved", "stored");

        /** Scoring with the default labels. */
        public Retrieval(String layer, INDArray memories, long[] targets, long[] image, String png) {
            this(layer, memories, targets, image, png, LABELS);
        }

        /**
         * The index of the nearest memory (Euclidean) to every sample of {@code g} ({@code [B, ...]}):
         * {@code argmin_mu |g - xi_mu|^2 = argmax_mu (<g, xi_mu> - |xi_mu|^2 / 2)}.
         */
        public long[] nearest(INDArray g) {
            INDArray flat = g.reshape('c', g.size(0), g.length() / g.size(0)).castTo(memories.dataType());
            INDArray score = flat.mmul(memories.transpose())
                    .subRowVector(memories.mul(memories).sum(1).mul(0.5));
            return score.argMax(1).toLongVector();
        }

        /** How many samples of {@code g} are nearest to their target memory. */
        public int retrieved(INDArray g) {
            return retrieved(nearest(g));
        }

        /** How many samples are nearest to their target memory, given the index of each one's nearest ({@link #nearest}). */
        public int retrieved(long[] nearest) {
            int n = 0;
            for (int i = 0; i < nearest.length; i++) {
                n += nearest[i] == targets[i] ? 1 : 0;
            }
            return n;
        }
    }
}

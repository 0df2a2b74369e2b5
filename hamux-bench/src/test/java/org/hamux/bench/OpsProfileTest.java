package org.hamux.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Rng;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.SoftmaxLagrangian;
import org.hamux.synapses.DenseSynapse;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class OpsProfileTest {

    private static final EnergyGraph GRAPH = EnergyGraph.builder()
            .layer("v", new IdentityLagrangian(), 6)
            .layer("h", new SoftmaxLagrangian(), 4)
            .synapse("w", new DenseSynapse(new Rng(1).normal(DataType.FLOAT, 0, 0.5, 6, 4)), "v", "h")
            .build();

    @Test
    void theTimedOpsGiveTheSameRelaxationAndCountEveryStepButTheFirst() {
        Map<String, INDArray> x0 = Map.of("v", new Rng(2).normal(DataType.FLOAT, 0, 1, 3, 6));
        Dynamics plain = Dynamics.builder().dt(0.1).steps(7).build();
        OpsProfile p = new OpsProfile();
        long[] ended = new long[1];
        Dynamics timed = plain.toBuilder().ops(p.ops()).listener((step, e, x, dx) -> {
            p.endStep(System.nanoTime());
            ended[0]++;
        }).build();
        p.startRun();
        Dynamics.Result a = timed.run(GRAPH, x0);
        Dynamics.Result b = plain.run(GRAPH, x0);
        assertEquals(b.states().get("v"), a.states().get("v"));
        assertEquals(b.states().get("h"), a.states().get("h"));
        OpsProfile.Report r = p.report();
        assertEquals(7, ended[0]);
        assertEquals(6, r.steps());
        // the two products of the dense synapse, once a step each, listed by their shapes
        assertEquals(2.0, r.lines().stream().filter(l -> l.op().startsWith("mmul [3, ")).mapToDouble(OpsProfile.Line::calls).sum());
        assertTrue(r.lines().stream().allMatch(l -> l.ms() >= 0 && l.calls() > 0), r::toString);
        for (int i = 1; i < r.lines().size(); i++) {
            assertTrue(r.lines().get(i - 1).ms() >= r.lines().get(i).ms(), "slowest first: " + r);
        }
    }

    @Test
    void theProfileIsWarmedUpForTheGivenSecondsAndCountsOnlyTheRunsAfter() {
        Map<String, INDArray> x0 = Map.of("v", new Rng(2).normal(DataType.FLOAT, 0, 1, 3, 6));
        long[] steps = new long[1];
        Dynamics counted = Dynamics.builder().dt(0.1).steps(31).listener((step, e, x, dx) -> steps[0]++).build();
        // no warm-up: one untimed run, then one timed run gives the 30 samples (its first step not counted)
        OpsProfile.Report once = Benchmark.profile(GRAPH, x0, counted, 10, 0);
        assertEquals(30, once.steps());
        assertEquals(2 * 31, steps[0]);
        // 0.3 s of warm-up: many untimed runs of this tiny graph, and still one timed run
        steps[0] = 0;
        OpsProfile.Report warmed = Benchmark.profile(GRAPH, x0, counted, 10, 0.3);
        assertEquals(30, warmed.steps());
        assertTrue(steps[0] > 4 * 31, "warm-up runs: " + steps[0] / 31.0);
    }
}

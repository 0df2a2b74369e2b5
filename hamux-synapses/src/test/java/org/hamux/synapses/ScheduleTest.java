package org.hamux.synapses;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.HamuxException;
import org.hamux.core.NeuronLayer;
import org.hamux.core.Rng;
import org.hamux.core.StepSchedule;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecException;
import org.hamux.core.spec.SpecReader;
import org.hamux.core.spec.SpecWriter;
import org.hamux.layers.IdentityLagrangian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Values that change along the steps: an annealed beta, a shrinking dt, a cooling temperature. */
class ScheduleTest {

    private static EnergyGraph graph() {
        INDArray xi = new Rng(1).normal(DataType.DOUBLE, 0, 1, 6, 5);
        return EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("v", new NeuronLayer(new long[] {5}, new IdentityLagrangian(), 1.0, true, null))
                .synapse("memory", DamSynapse.lseMemory(xi, 1.0), "v").build();
    }

    @Test
    void schedulesGiveTheirValueAtEveryStep() {
        StepSchedule lin = StepSchedule.linear(1, 3);
        assertEquals(1, lin.at(0, 5));
        assertEquals(2, lin.at(2, 5));
        assertEquals(3, lin.at(4, 5));
        StepSchedule geo = StepSchedule.geometric(0.1, 10);
        assertEquals(1, geo.at(1, 3), 1e-12);
        assertEquals(10, geo.at(2, 3), 1e-12);
        StepSchedule values = StepSchedule.values(4, 5);
        assertEquals(5, values.at(7, 10));
        assertThrows(HamuxException.class, () -> StepSchedule.geometric(0, 1));
    }

    @Test
    void aScheduledRunEqualsTheStepsTakenOneByOneWithTheirValues() {
        EnergyGraph g = graph();
        double[] betas = {0.5, 2.0, 8.0};
        double[] dts = {0.2, 0.1, 0.05};
        INDArray x0 = new Rng(2).normal(DataType.DOUBLE, 0, 1, 3, 5);
        Dynamics scheduled = Dynamics.builder().steps(3).schedule("memory.beta", StepSchedule.values(betas))
                .schedule("dt", StepSchedule.values(dts)).build();
        INDArray x = x0;
        for (int t = 0; t < 3; t++) {
            EnergyGraph gt = g.withParameters(Map.of("memory.beta", Nd4j.scalar(DataType.DOUBLE, betas[t])));
            x = Dynamics.builder().steps(1).dt(dts[t]).build().run(gt, Map.of("v", x)).states().get("v");
        }
        assertClose(x, scheduled.run(g, Map.of("v", x0)).states().get("v"), 1e-12, 1e-14, "three scheduled steps");
    }

    @Test
    void aSpecSchedulesAndWritesItsSchedulesBackAndNamesWhatItCannotSchedule(@TempDir Path dir) {
        String json = """
                {"layers": {"v": {"shape": [2], "lagrangian": {"type": "identity"}}},
                 "synapses": {"m": {"type": "lse-memory", "params": {"xi": [[1, 0], [0, 1]]}}},
                 "connections": [{"synapse": "m", "layers": ["v"]}],
                 "dynamics": {"steps": 4, "schedules": {"m.beta": {"from": 0.5, "to": 8, "shape": "geometric"},
                              "temperature": {"values": [0.1, 0.05, 0]}}, "noise": {"seed": 3}}}
                """;
        var spec = SpecReader.parse(json, dir, "s.json", Registry.standard());
        assertEquals(StepSchedule.geometric(0.5, 8), spec.dynamics().schedules().get("m.beta"));
        assertTrue(spec.dynamics().noisy());
        Path out = dir.resolve("back.json");
        SpecWriter.write(out, "back", spec.graph(), spec.dynamics());
        assertEquals(spec.dynamics().schedules(), SpecReader.read(out).dynamics().schedules());
        SpecException e = assertThrows(SpecException.class, () -> SpecReader.parse(json.replace("\"m.beta\"", "\"m.xi\""),
                dir, "bad.json", Registry.standard()));
        assertTrue(e.getMessage().contains("$.dynamics.schedules.m.xi") && e.getMessage().contains("m.beta"), e.getMessage());
    }
}

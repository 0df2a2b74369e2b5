package org.hamux.synapses;

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
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.SpecReader;
import org.hamux.core.spec.SpecWriter;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.layers.TanhLagrangian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The dynamics solved as an ODE with adaptive Dormand-Prince 4(5) steps. */
class AdaptiveIntegratorTest {

    @Test
    void solvesTheLinearRelaxationToItsTolerance() {
        // E = |x|^2 / 2 - b . x: tau dx/dt = b - x, so x(t) = b + (x0 - b) e^(-t/tau)
        INDArray b = new Rng(1).normal(DataType.DOUBLE, 0, 1, 5);
        EnergyGraph g = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("x", new NeuronLayer(new long[] {5}, new IdentityLagrangian(), 2.0, true, null))
                .synapse("b", new BiasSynapse(b), "x").build();
        INDArray x0 = new Rng(2).normal(DataType.DOUBLE, 0, 1, 3, 5);
        Dynamics.Result r = Dynamics.builder().update(Dynamics.Update.DOPRI5).dt(0.1).steps(30).errorTolerance(1e-9, 1e-12)
                .build().run(g, Map.of("x", x0));
        assertEquals(3.0, r.time(), 1e-12, "it integrates to steps * dt");
        INDArray exact = x0.subRowVector(b).muli(Math.exp(-3.0 / 2.0)).addRowVector(b);
        double err = Transforms.abs(r.states().get("x").sub(exact)).maxNumber().doubleValue();
        assertTrue(err < 1e-8, "error " + err);
        // six evaluations a tried step (FSAL), one to start
        assertTrue(r.evaluations() >= 6L * r.steps() + 1 && (r.evaluations() - 1) % 6 == 0,
                r.steps() + " steps, " + r.evaluations() + " evaluations");
        INDArray euler = Dynamics.builder().dt(0.1).steps(30).build().run(g, Map.of("x", x0)).states().get("x");
        double eulerErr = Transforms.abs(euler.sub(exact)).maxNumber().doubleValue();
        assertTrue(err < eulerErr * 1e-4, "dopri5 " + err + " against Euler's " + eulerErr);
    }

    @Test
    void theEnergyNeverRisesAndARunSettles() {
        INDArray xi = new Rng(3).normal(DataType.DOUBLE, 0, 1, 4, 6);
        EnergyGraph g = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("v", new NeuronLayer(new long[] {6}, new TanhLagrangian(2.0), 1.0, true, null))
                .synapse("m", DamSynapse.lseMemory(xi, 2.0), "v").build();
        Dynamics.Result r = Dynamics.builder().update(Dynamics.Update.DOPRI5).dt(0.1).steps(500).tolerance(1e-4).build()
                .run(g, Map.of("v", new Rng(4).normal(DataType.DOUBLE, 0, 1, 3, 6)));
        assertTrue(r.converged() && r.time() < 50, "settled at " + r.time());
        for (int t = 1; t < r.energyTrace().size(); t++) {
            for (int s = 0; s < 3; s++) {
                assertTrue(r.energyTrace().get(t)[s] <= r.energyTrace().get(t - 1)[s] + 1e-9, "the energy rose at step " + t);
            }
        }
    }

    @Test
    void aSpecNamesItAndNoiseIsRefused(@TempDir Path dir) {
        String json = """
                {"layers": {"v": {"shape": [2], "lagrangian": {"type": "identity"}}},
                 "synapses": {"m": {"type": "lse-memory", "params": {"xi": [[1, 0], [0, 1]]}}},
                 "connections": [{"synapse": "m", "layers": ["v"]}],
                 "dynamics": {"update": "dopri5", "rtol": 1e-8, "atol": 1e-10}}
                """;
        var spec = SpecReader.parse(json, dir, "s.json", Registry.standard());
        assertEquals(Dynamics.Update.DOPRI5, spec.dynamics().update());
        assertEquals(1e-8, spec.dynamics().relativeTolerance());
        Path out = dir.resolve("back.json");
        SpecWriter.write(out, "back", spec.graph(), spec.dynamics());
        assertEquals(1e-10, SpecReader.read(out).dynamics().absoluteTolerance());
        HamuxException e = assertThrows(HamuxException.class, () -> spec.dynamics().toBuilder().noise(0.1, 1).build()
                .run(spec.graph(), Map.of("v", new Rng(5).normal(DataType.FLOAT, 0, 1, 2, 2))));
        assertTrue(e.getMessage().contains("without noise"), e.getMessage());
    }
}

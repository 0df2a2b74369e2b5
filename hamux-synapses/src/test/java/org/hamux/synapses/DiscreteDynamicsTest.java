package org.hamux.synapses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
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
import org.hamux.layers.SignLagrangian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Binary neurons with discrete updates: the rule of the binary Hopfield network and the binary DenseAM. */
class DiscreteDynamicsTest {

    private static final int D = 64;

    /** K random +-1 patterns [K, D]. */
    private static INDArray patterns(int k, long seed) {
        return new Rng(seed).uniform(DataType.DOUBLE, -1, 1, k, D).gte(0).castTo(DataType.DOUBLE).muli(2).subi(1);
    }

    /** {@code x} with a fraction {@code p} of its entries flipped (seeded). */
    private static INDArray corrupt(INDArray x, double p, long seed) {
        INDArray keep = new Rng(seed).uniform(DataType.DOUBLE, 0, 1, x.shape()).gte(p).castTo(DataType.DOUBLE);
        return x.mul(keep.muli(2).subi(1));
    }

    private static EnergyGraph graph(org.hamux.core.Hypersynapse memory) {
        return EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("s", new NeuronLayer(new long[] {D}, new SignLagrangian(), 1.0, true, null))
                .synapse("m", memory, "s").build();
    }

    private static void assertNonIncreasing(Dynamics.Result r) {
        for (int t = 1; t < r.energyTrace().size(); t++) {
            for (int b = 0; b < r.energyTrace().get(t).length; b++) {
                double before = r.energyTrace().get(t - 1)[b];
                double after = r.energyTrace().get(t)[b];
                assertTrue(after <= before + 1e-9 * Math.abs(before), "energy of sample " + b + " rose at sweep " + t
                        + ": " + before + " -> " + after);
            }
        }
    }

    @Test
    void theAsynchronousUpdateRecoversStoredPatternsAndNeverRaisesTheEnergy() {
        INDArray xi = patterns(4, 1);
        for (var memory : List.of(DamSynapse.hopfield(xi), DamSynapse.powerDam(xi, 3, 1.0), DamSynapse.expDam(xi, 0.2))) {
            Dynamics.Result r = Dynamics.builder().update(Dynamics.Update.ASYNC).steps(10).seed(3).build()
                    .run(graph(memory), Map.of("s", corrupt(xi, 0.15, 2)));
            assertEquals(xi, r.states().get("s"), memory + ": every pattern recovered");
            assertTrue(r.converged() && r.steps() < 10, memory + ": a fixed point after " + r.steps() + " sweeps");
            assertNonIncreasing(r);
        }
    }

    @Test
    void theSynchronousUpdateOfTheDenseWeightsIsTheClassicalHopfieldRule() {
        INDArray xi = patterns(3, 4);
        INDArray w = xi.transpose().mmul(xi).muli(0.5);                 // E = -1/2 sum_ij T_ij s_i s_j, T = xi^T xi
        for (int i = 0; i < D; i++) {
            w.putScalar(i, i, 0);                                         // no self-coupling
        }
        EnergyGraph g = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("s", new NeuronLayer(new long[] {D}, new SignLagrangian(), 1.0, true, null))
                .synapse("w", new DenseSynapse(w), "s", "s").build();
        INDArray s0 = corrupt(xi, 0.1, 5);
        Dynamics.Result r = Dynamics.builder().update(Dynamics.Update.SYNC).steps(1).build().run(g, Map.of("s", s0));
        // one synchronous sweep: s_i <- sgn(sum_j T_ij s_j) where the field is not 0 (E changes by 2 s_i h_i on a flip)
        INDArray h = s0.mmul(w.mul(2));
        INDArray want = s0.dup();
        for (int b = 0; b < s0.rows(); b++) {
            for (int i = 0; i < D; i++) {
                double f = h.getDouble(b, i);
                if (f != 0) {
                    want.putScalar(b, i, Math.signum(f));
                }
            }
        }
        assertEquals(want, r.states().get("s"));
        assertEquals(xi, Dynamics.builder().update(Dynamics.Update.SYNC).steps(5).build().run(g, Map.of("s", s0))
                .states().get("s"), "recovered in a few synchronous sweeps");
    }

    @Test
    void maskedNeuronsNeverFlipAndTemperatureIsSeeded() {
        INDArray xi = patterns(2, 6);
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, D);
        mask.get(NDArrayIndex.interval(0, D / 2)).assign(1);
        INDArray start = corrupt(xi, 0.3, 7);
        Dynamics.Result r = Dynamics.builder().update(Dynamics.Update.ASYNC).steps(5).mask("s", mask).build()
                .run(graph(DamSynapse.hopfield(xi)), Map.of("s", start));
        INDArray held = r.states().get("s").get(NDArrayIndex.all(), NDArrayIndex.interval(0, D / 2));
        assertEquals(start.get(NDArrayIndex.all(), NDArrayIndex.interval(0, D / 2)), held);
        assertTrue(r.states().get("s").get(NDArrayIndex.all(), NDArrayIndex.interval(D / 2, D))
                .neq(start.get(NDArrayIndex.all(), NDArrayIndex.interval(D / 2, D))).any(), "the free half moved");
        Dynamics hot = Dynamics.builder().update(Dynamics.Update.ASYNC).steps(3).noise(2.0, 9).seed(9).build();
        assertEquals(hot.run(graph(DamSynapse.hopfield(xi)), Map.of("s", start)).states().get("s"),
                hot.run(graph(DamSynapse.hopfield(xi)), Map.of("s", start)).states().get("s"));
    }

    @Test
    void aContinuousLayerLeftFreeIsRefusedWithTheFix() {
        EnergyGraph g = EnergyGraph.builder().dtype(DataType.DOUBLE)
                .layer("v", new NeuronLayer(new long[] {D}, new IdentityLagrangian(), 1.0, true, null))
                .synapse("m", DamSynapse.hopfield(patterns(2, 8)), "v").build();
        HamuxException e = assertThrows(HamuxException.class, () -> Dynamics.builder().update(Dynamics.Update.SYNC)
                .build().run(g, Map.of("v", patterns(1, 9))));
        assertTrue(e.getMessage().contains("layer 'v' is not binary") && e.getMessage().contains("euler"), e.getMessage());
    }

    @Test
    void aSpecNamesTheUpdateAndWritesItBack(@TempDir Path dir) throws Exception {
        INDArray xi = patterns(3, 10);
        Path npy = dir.resolve("xi.npy");
        org.hamux.core.io.Npy.write(npy, xi);
        String json = """
                {"layers": {"s": {"shape": [64], "lagrangian": {"type": "sign"}}},
                 "synapses": {"m": {"type": "power-dam", "params": {"xi": "xi.npy"}}},
                 "connections": [{"synapse": "m", "layers": ["s"]}],
                 "dynamics": {"update": "async", "seed": 4, "steps": 20}}
                """;
        var spec = SpecReader.parse(json, dir, "binary.json", Registry.standard());
        assertEquals(Dynamics.Update.ASYNC, spec.dynamics().update());
        assertEquals(4, spec.dynamics().seed());
        Path out = dir.resolve("back.json");
        SpecWriter.write(out, "back", spec.graph(), spec.dynamics());
        var back = SpecReader.read(out);
        assertEquals(Dynamics.Update.ASYNC, back.dynamics().update());
        INDArray start = corrupt(xi, 0.2, 11).castTo(DataType.FLOAT);
        assertEquals(xi.castTo(DataType.FLOAT), back.dynamics().run(back.graph(), Map.of("s", start)).states().get("s"));
        var bad = assertThrows(org.hamux.core.spec.SpecException.class, () -> SpecReader.parse(
                json.replace("\"async\"", "\"glauber\""), dir, "bad.json", Registry.standard()));
        assertTrue(bad.getMessage().contains("$.dynamics.update") && bad.getMessage().contains("euler, async, sync"),
                bad.getMessage());
    }
}

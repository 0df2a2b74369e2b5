package org.hamux.core.testing;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.NeuronLayer;
import org.hamux.core.ops.SameDiffGradients;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.GraphOps;
import org.hamux.core.ops.Shapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every {@link Hypersynapse} must satisfy; an implementation's test extends this in a few lines.
 * Gradients are checked in double precision on a batch of {@link #BATCH} samples.
 */
public abstract class SynapseContract {

    protected static final int BATCH = 3;

    /** The synapse under test. */
    protected abstract Hypersynapse synapse();

    /** The per-sample shapes of the layers it connects, in slot order. */
    protected abstract List<long[]> layerShapes();

    /** The Lagrangians of the layers in the small graph of the descent test, in slot order. */
    protected abstract List<Lagrangian> layerLagrangians();

    /**
     * A synapse of the same type that connects one layer twice (slots 0 and 1 the same layer), with the
     * per-sample shape of that layer in {@link #selfShape()}; null if the type has no such form.
     */
    protected Hypersynapse selfSynapse() {
        return null;
    }

    protected long[] selfShape() {
        return layerShapes().get(0);
    }

    /** Activations {@code [BATCH, ...shape_i]} to check gradients at, in double precision. */
    protected List<INDArray> activations() {
        List<INDArray> g = new ArrayList<>();
        int i = 0;
        for (long[] s : layerShapes()) {
            g.add(Numerics.rng(10 + i++).normal(DataType.DOUBLE, 0, 1, Shapes.withBatch(BATCH, s)));
        }
        return g;
    }

    /** Relative tolerance of the finite-difference check. */
    protected double finiteDifferenceTolerance() {
        return 1e-6;
    }

    private Hypersynapse doubled() {
        return synapse().castTo(DataType.DOUBLE);
    }

    @Test
    void acceptsTheLayersItIsMadeFor() {
        synapse().check(layerShapes());
    }

    @Test
    void energyHasOneNumberPerSample() {
        INDArray e = doubled().energy(EagerOps.INSTANCE, activations());
        assertArrayEquals(new long[] {BATCH}, e.shape());
        assertFalse(e.isNaN().any(), "energy is NaN: " + e);
    }

    @Test
    void gradientEqualsAutodiffOfEnergy() {
        Hypersynapse s = doubled();
        List<INDArray> g = activations();
        List<INDArray> closed = s.gradient(EagerOps.INSTANCE, g);
        List<INDArray> auto = SameDiffGradients.gradients(in -> s.energy(new GraphOps(in.get(0).v().getSameDiff(), DataType.DOUBLE), in), g);
        for (int i = 0; i < g.size(); i++) {
            assertClose(auto.get(i), closed.get(i), 1e-8, 1e-10, s + ": dE/dg of slot " + i + " vs SameDiff autodiff");
        }
    }

    /**
     * At binary states ({@code +-1}), {@link Hypersynapse#flipChanges} (a closed form or the default) equals the energy
     * of every state with one neuron flipped, computed here one state at a time, minus the energy.
     */
    @Test
    void flipChangesEqualTheEnergyOfEveryStateWithOneNeuronFlipped() {
        Hypersynapse s = doubled();
        List<INDArray> g = new ArrayList<>();
        for (INDArray a : activations()) {
            g.add(a.gte(0).castTo(DataType.DOUBLE).muli(2).subi(1));     // sgn, 0 counted as +1
        }
        double[] e = s.energy(EagerOps.INSTANCE, g).toDoubleVector();
        int compared = 0;
        for (int k = 0; k < g.size(); k++) {
            double[] closed = s.flipChanges(EagerOps.INSTANCE, g, java.util.Set.of(k)).reshape(g.get(k).length())
                    .toDoubleVector();
            long n = g.get(k).length() / BATCH;
            for (int b = 0; b < BATCH; b++) {
                for (long i = 0; i < n; i++) {
                    List<INDArray> flipped = new ArrayList<>(g);
                    INDArray gk = g.get(k).dup('c');
                    INDArray rows = gk.reshape('c', new long[] {BATCH, n});
                    rows.putScalar(b, i, -rows.getDouble(b, i));
                    flipped.set(k, gk);
                    double want = s.energy(EagerOps.INSTANCE, flipped).getDouble(b) - e[b];
                    double got = closed[(int) (b * n + i)];
                    if (Double.isFinite(want)) {
                        assertEquals(want, got, 1e-9 * (1 + Math.abs(want)), s + ": the change of flipping neuron " + i
                                + " of slot " + k + " in sample " + b);
                        compared++;
                    }
                }
            }
        }
        assertTrue(compared > 0, s + ": no finite energy at binary states to compare");
    }

    @Test
    void gradientEqualsFiniteDifferencesOfEnergy() {
        Hypersynapse s = doubled();
        List<INDArray> g = activations();
        List<INDArray> closed = s.gradient(EagerOps.INSTANCE, g);
        for (int i = 0; i < g.size(); i++) {
            INDArray fd = Numerics.finiteDifference(in -> s.energy(EagerOps.INSTANCE, in), g, i, 1e-6);
            assertClose(fd, closed.get(i), finiteDifferenceTolerance(), 1e-7, s + ": dE/dg of slot " + i + " vs finite differences");
        }
    }

    @Test
    void engineGradientOfTheEnergyEqualsTheClosedForm() {
        Hypersynapse s = doubled();
        List<INDArray> g = activations();
        List<INDArray> engine = org.hamux.core.autodiff.Tape.apply(g, (t, in) -> t.gradients(s.energy(t, in), in));
        List<INDArray> closed = s.gradient(EagerOps.INSTANCE, g);
        for (int i = 0; i < g.size(); i++) {
            assertClose(closed.get(i), engine.get(i), 1e-9, 1e-11, s + ": dE/dg of slot " + i + ", the engine vs the closed form");
        }
    }

    @Test
    void engineDifferentiatesTheEnergyAndItsGradientInStatesAndParameters() {
        EngineChecks.assertSecondOrder(synapse(), activations(), finiteDifferenceTolerance());
    }

    @Test
    void theStandardBackendAgreesWithThePlainOneInFloat32() {
        // the fast backend (SIMD kernels, OpenBLAS products, reused arrays) where it is on the class path
        Hypersynapse s = synapse().castTo(DataType.FLOAT);
        List<INDArray> g = activations().stream().map(a -> a.castTo(DataType.FLOAT)).toList();
        var fast = s.energyAndGradient(org.hamux.core.ops.Backends.standard(), g);
        var plain = s.energyAndGradient(EagerOps.INSTANCE, g);
        assertClose(plain.energy(), fast.energy(), 1e-4, 1e-4, s + ": energy, standard vs plain backend");
        for (int i = 0; i < g.size(); i++) {
            assertClose(plain.gradient().get(i), fast.gradient().get(i), 1e-4, 1e-4,
                    s + ": dE/dg of slot " + i + ", standard vs plain backend");
        }
    }

    @Test
    void energyAndGradientTogetherEqualEachAlone() {
        Hypersynapse s = doubled();
        List<INDArray> g = activations();
        Hypersynapse.EnergyAndGradient<INDArray> both = s.energyAndGradient(EagerOps.INSTANCE, g);
        assertClose(s.energy(EagerOps.INSTANCE, g), both.energy(), 1e-12, 1e-12, s + ": energy of energyAndGradient");
        List<INDArray> alone = s.gradient(EagerOps.INSTANCE, g);
        for (int i = 0; i < g.size(); i++) {
            assertClose(alone.get(i), both.gradient().get(i), 1e-12, 1e-12, s + ": dE/dg of slot " + i + " of energyAndGradient");
        }
    }

    @Test
    void gradientIsRightWhenOneLayerFillsTwoSlots() {
        Hypersynapse self = selfSynapse();
        if (self == null) {
            return;
        }
        List<Lagrangian> lags = layerLagrangians();
        EnergyGraph graph = EnergyGraph.builder()
                .layer("a", new NeuronLayer(selfShape(), lags.get(0)))
                .synapse("s", self, "a", "a")
                .build();
        Map<String, INDArray> x = GraphChecks.randomStates(graph, BATCH, 1.0, 30);
        GraphChecks.assertGradientMatchesAutodiff(graph, x, 1e-8);
        GraphChecks.assertGradientMatchesFiniteDifferences(graph, x, finiteDifferenceTolerance());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.05})
    void energyNeverIncreasesAlongTheDynamics(double dt) {
        EnergyGraph graph = smallGraph();
        Map<String, INDArray> x0 = GraphChecks.randomStates(graph, BATCH, 1.0, 40);
        Dynamics.Result r = GraphChecks.assertEnergyNeverIncreases(graph, x0,
                Dynamics.builder().dt(dt).steps(60).build());
        assertTrue(r.lastEnergy() < r.firstEnergy(), "the energy should fall from a random state: "
                + r.firstEnergy() + " -> " + r.lastEnergy());
    }

    /** One layer per slot ({@code l0, l1, ...}), joined by the synapse under test. */
    protected EnergyGraph smallGraph() {
        EnergyGraph.Builder b = EnergyGraph.builder();
        List<long[]> shapes = layerShapes();
        List<Lagrangian> lags = layerLagrangians();
        String[] names = new String[shapes.size()];
        for (int i = 0; i < shapes.size(); i++) {
            names[i] = "l" + i;
            b.layer(names[i], new NeuronLayer(shapes.get(i), lags.get(i)));
        }
        return b.synapse("s", synapse(), names).build();
    }

    @Test
    void writesToJsonAndReadsBackEqual(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        GraphChecks.assertJsonRoundTrip(smallGraph(), dir);
    }

    @Test
    void describesItself() {
        String s = synapse().toString();
        assertTrue(s.contains("("), s);
        assertFalse(s.contains("@"), "toString should be readable: " + s);
    }
}

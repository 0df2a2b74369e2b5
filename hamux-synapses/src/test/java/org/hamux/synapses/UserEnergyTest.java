package org.hamux.synapses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.QuarticEnergy;
import java.nio.file.Path;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.HamuxException;
import org.hamux.core.Hypersynapse;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.GraphOps;
import org.hamux.core.spec.Registry;
import org.hamux.core.spec.Spec;
import org.hamux.core.spec.SpecException;
import org.hamux.core.spec.SpecReader;
import org.hamux.core.testing.GraphChecks;
import org.hamux.core.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A user's energy named by class in JSON ({@code "type": "class"}): what is accepted and what is refused. */
class UserEnergyTest {

    @TempDir
    Path dir;

    private static String spec(String synapse) {
        return """
                {"dtype": "float64",
                 "layers": {"v": {"shape": [3], "lagrangian": {"type": "identity"}}},
                 "synapses": {"s": %s},
                 "connections": [{"synapse": "s", "layers": ["v"]}],
                 "dynamics": {"dt": 0.05, "steps": 40}}
                """.formatted(synapse);
    }

    private Spec read(String synapse) {
        return SpecReader.parse(spec(synapse), dir, "user.json", Registry.standard());
    }

    private SpecException fails(String synapse) {
        SpecException e = assertThrows(SpecException.class, () -> read(synapse));
        assertTrue(e.getMessage().contains("$.synapses.s"), e.getMessage());
        return e;
    }

    @Test
    void loadsTheNamedClassThroughItsSpecConstructor() {
        Spec spec = read("""
                {"type": "class", "class": "com.example.QuarticEnergy", "scale": 2,
                 "params": {"a": [0.5, -1, 0.25]}}""");
        Hypersynapse s = spec.graph().synapses().get("s");
        QuarticEnergy q = assertInstanceOf(QuarticEnergy.class, s);
        assertEquals(2.0, q.scale());
        // E = 2/4 sum g^4 - a.g at g = [1, 1, 1]: 1.5 - (-0.25) = 1.75
        INDArray e = s.energy(EagerOps.INSTANCE, java.util.List.of(Nd4j.ones(DataType.DOUBLE, 1, 3)));
        assertEquals(1.75, e.getDouble(0), 1e-12);
    }

    @Test
    void theUsersEnergyRunsInTheDynamicsAndItsGradientMatchesFiniteDifferences() {
        Spec spec = read("""
                {"type": "class", "class": "com.example.QuarticEnergy", "params": {"a": [0.5, -1, 0.25]}}""");
        Map<String, INDArray> x = GraphChecks.randomStates(spec.graph(), 3, 1.0, 7);
        GraphChecks.assertGradientMatchesFiniteDifferences(spec.graph(), x, 1e-6);
        Dynamics.Result r = GraphChecks.assertEnergyNeverIncreases(spec.graph(), x, spec.dynamics());
        assertTrue(r.lastEnergy() < r.firstEnergy(), r.firstEnergy() + " -> " + r.lastEnergy());
    }

    @Test
    void aClassWithANoArgumentConstructorTakesNoKeys() {
        assertInstanceOf(QuarticEnergy.Fixed.class,
                read("{\"type\": \"class\", \"class\": \"com.example.QuarticEnergy$Fixed\"}").graph().synapses().get("s"));
        String m = fails("{\"type\": \"class\", \"class\": \"com.example.QuarticEnergy$Fixed\", \"k\": 3}").getMessage();
        assertTrue(m.contains("unknown key 'k'"), m);
    }

    @Test
    void keysTheClassDoesNotReadAreUnknown() {
        String m = fails("""
                {"type": "class", "class": "com.example.QuarticEnergy", "scael": 2, "params": {"a": [1, 2, 3]}}""")
                .getMessage();
        assertTrue(m.contains("scael"), m);
    }

    @Test
    void theConstructorsRefusalIsLocated() {
        String m = fails("""
                {"type": "class", "class": "com.example.QuarticEnergy", "scale": -1, "params": {"a": [1, 2, 3]}}""")
                .getMessage();
        assertTrue(m.contains("scale must be positive"), m);
    }

    @Test
    void refusesAClassThatIsNotASynapseWithoutRunningIt() {
        String m = fails("{\"type\": \"class\", \"class\": \"com.example.Tripwire\"}").getMessage();
        assertTrue(m.contains("not a synapse") && m.contains("$.synapses.s.class"), m);
        assertNull(System.getProperty("com.example.Tripwire"), "the refused class's static initializer ran");
        assertTrue(fails("{\"type\": \"class\", \"class\": \"java.lang.Runtime\"}").getMessage().contains("not a synapse"));
    }

    @Test
    void refusesMissingAbstractAndMalformedClasses() {
        assertTrue(fails("{\"type\": \"class\", \"class\": \"com.example.Nope\"}").getMessage()
                .contains("not on the class path"));
        assertTrue(fails("{\"type\": \"class\", \"class\": \"com.example.QuarticEnergy$Abstract\"}").getMessage()
                .contains("concrete"));
        assertTrue(fails("{\"type\": \"class\", \"class\": \"com.example.QuarticEnergy$WrongConstructor\"}").getMessage()
                .contains("no public constructor"));
        assertTrue(fails("{\"type\": \"class\", \"class\": \"../etc/passwd\"}").getMessage()
                .contains("not a Java class name"));
        assertTrue(fails("{\"type\": \"class\"}").getMessage().contains("'class'"));
    }

    @Test
    void aJavaEnergyLambdaGetsItsGradientFromTheEngine() {
        // E = -c sum g^3 / 3 + sum g^4 / 4, per sample
        EnergySynapse s = new EnergySynapse("cubic", 1, Map.of("c", Nd4j.scalar(0.5)),
                (o, g, p) -> o.sub(o.mul(o.sumPerSample(o.pow(g.get(0), 4)), 0.25),
                        o.mul(o.sumPerSample(o.pow(g.get(0), 3)), o.mul(p.get("c"), 1.0 / 3))));
        INDArray g = Numerics.rng(3).normal(DataType.DOUBLE, 0, 1, 3, 4);
        INDArray grad = s.<EnergySynapse>castTo(DataType.DOUBLE).gradient(EagerOps.INSTANCE, java.util.List.of(g)).get(0);
        // dE/dg = g^3 - c g^2
        INDArray expected = g.mul(g).mul(g).sub(g.mul(g).mul(0.5));
        Numerics.assertClose(expected, grad, 1e-9, 1e-12, "dE/dg of the lambda energy");
        assertTrue(s.toString().startsWith("Cubic("), s.toString());
        GraphOps sd = new GraphOps(SameDiff.create(), DataType.DOUBLE);
        HamuxException e = assertThrows(HamuxException.class, () -> s.energy(sd, java.util.List.of(sd.placeholder("g", 3, 4))));
        assertTrue(e.getMessage().contains("Var") && e.getMessage().contains("GraphOps"), e.getMessage());
    }
}

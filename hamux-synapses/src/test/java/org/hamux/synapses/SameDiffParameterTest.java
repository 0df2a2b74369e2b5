package org.hamux.synapses;

import static org.hamux.core.testing.Numerics.assertClose;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hamux.core.Hypersynapse;
import org.hamux.core.ops.SameDiffGradients;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.GraphOps;
import org.hamux.core.ops.GraphOps.Sym;
import org.hamux.core.ops.Ops;
import org.hamux.core.testing.Numerics;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters are read through {@code Ops.param}, so that an interpreter can bind them to variables: the SameDiff
 * interpreter's ({@link GraphOps}) gradient of a loss built from the energy and the closed-form gradient, with respect
 * to every parameter (scalar beta included), equals central finite differences, as the engine's does (the contract
 * tests).
 */
class SameDiffParameterTest {

    /** {@code sum_b (E_s + sum |dE_s/dg_i|^2)}: it depends on the parameters through both closed forms. */
    private static <T> T loss(Ops<T> o, Hypersynapse s, List<T> g) {
        T l = s.energy(o, g);
        for (T d : s.gradient(o, g)) {
            l = o.add(l, Tensors.sumRows(o, o.flatten(o.square(d))));
        }
        return l;
    }

    private static void check(Hypersynapse synapse, long[]... layerShapes) {
        Hypersynapse s = synapse.castTo(DataType.DOUBLE);
        List<INDArray> g = new ArrayList<>();
        for (int i = 0; i < layerShapes.length; i++) {
            long[] shape = new long[layerShapes[i].length + 1];
            shape[0] = 3;
            System.arraycopy(layerShapes[i], 0, shape, 1, layerShapes[i].length);
            g.add(Numerics.rng(40 + i).normal(DataType.DOUBLE, 0, 1, shape));
        }
        List<String> names = new ArrayList<>(s.parameters().keySet());
        List<INDArray> values = names.stream().map(s::parameter).toList();
        Function<List<INDArray>, INDArray> eager = p -> {
            Map<String, INDArray> m = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                m.put(names.get(i), p.get(i));
            }
            Hypersynapse changed = s.withParameters(m);
            return loss(EagerOps.INSTANCE, changed, g);
        };
        List<INDArray> auto = SameDiffGradients.gradients(in -> {
            GraphOps o = new GraphOps(in.get(0).v().getSameDiff(), DataType.DOUBLE);
            for (int i = 0; i < names.size(); i++) {
                o.bind(s, names.get(i), in.get(i));
            }
            List<Sym> gs = new ArrayList<>();
            g.forEach(a -> gs.add(o.of(o.sameDiff().constant(a), a.shape())));
            return loss(o, s, gs);
        }, values);
        for (int i = 0; i < names.size(); i++) {
            INDArray fd = Numerics.finiteDifference(eager, values, i, 1e-6);
            assertClose(fd, auto.get(i), 1e-6, 1e-7, s + ": d loss / d " + names.get(i));
        }
    }

    @Test
    void dense() {
        check(new DenseSynapse(Numerics.rng(50).normal(DataType.FLOAT, 0, 0.5, 4, 6)),
                new long[] {4}, new long[] {2, 3});
    }

    @Test
    void bias() {
        check(new BiasSynapse(Numerics.rng(51).normal(DataType.FLOAT, 0, 1, 2, 3)), new long[] {2, 3});
    }

    @Test
    void lseMemory() {
        check(DamSynapse.lseMemory(Numerics.rng(52).normal(DataType.FLOAT, 0, 1, 5, 6), 0.7), new long[] {6});
    }

    @Test
    void lseMemoryOnEveryRow() {
        check(DamSynapse.lseMemory(Numerics.rng(53).normal(DataType.FLOAT, 0, 1, 5, 4), 1.5), new long[] {3, 4});
    }

    @Test
    void selfAttention() {
        check(new AttentionSynapse(Numerics.rng(54).normal(DataType.FLOAT, 0, 0.7, 2, 3, 4),
                Numerics.rng(55).normal(DataType.FLOAT, 0, 0.7, 2, 3, 4),
                org.nd4j.linalg.factory.Nd4j.createFromArray(0.6f, 1.3f), false), new long[] {3, 4});
    }

    @Test
    void crossAttention() {
        check(new AttentionSynapse(Numerics.rng(56).normal(DataType.FLOAT, 0, 0.7, 2, 2, 4),
                Numerics.rng(57).normal(DataType.FLOAT, 0, 0.7, 2, 2, 4)), new long[] {3, 4}, new long[] {2, 4});
    }

    @Test
    void convolution() {
        check(new ConvSynapse(Numerics.rng(58).normal(DataType.FLOAT, 0, 0.5, 2, 2, 3, 2),
                Numerics.rng(59).normal(DataType.FLOAT, 0, 0.5, 2), new int[] {2, 1}, new int[] {1, 1}),
                new long[] {2, 6, 4}, new long[] {2, 3, 5});
    }

    @Test
    void convolutionWithMaxPooling() {
        check(new ConvPoolSynapse(Numerics.rng(60).normal(DataType.FLOAT, 0, 0.5, 2, 1, 2, 2),
                Numerics.rng(61).normal(DataType.FLOAT, 0, 0.5, 2), new int[] {1, 1}, new int[] {0, 0},
                ConvPoolSynapse.Pool.MAX, new int[] {2, 2}, null), new long[] {1, 5, 5}, new long[] {2, 2, 2});
    }

    @Test
    void convolutionWithAveragePooling() {
        check(new ConvPoolSynapse(Numerics.rng(62).normal(DataType.FLOAT, 0, 0.5, 2, 1, 2, 2), null,
                new int[] {1, 1}, new int[] {1, 0}, ConvPoolSynapse.Pool.AVG, new int[] {2, 3}, new int[] {1, 1}),
                new long[] {1, 4, 5}, new long[] {2, 4, 2});
    }
}

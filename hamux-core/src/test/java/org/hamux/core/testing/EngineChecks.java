package org.hamux.core.testing;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hamux.core.Component;
import org.hamux.core.Hypersynapse;
import org.hamux.core.Lagrangian;
import org.hamux.core.autodiff.Tape;
import org.hamux.core.autodiff.Var;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.ops.Ops;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reverse-mode engine on one component, in double precision: the gradient of a scalar function of the component's
 * value and of its closed-form derivative ({@code dE/dg} of a synapse, {@code g = dL/dx} of a Lagrangian), with respect
 * to its inputs and to every parameter, equals central finite differences of the same function on the eager path. It
 * differentiates the closed forms once more: what training through the dynamics needs.
 */
public final class EngineChecks {

    private EngineChecks() {
    }

    /** A component's scalar function of its inputs, written once for the engine and for the eager path. */
    private interface Function<C extends Component> {
        <T> T apply(Ops<T> o, C c, List<T> in, List<T> weights);
    }

    /** {@code sum_b E_b + sum_i <w_i, dE/dg_i>} of a synapse. */
    public static void assertSecondOrder(Hypersynapse s, List<INDArray> g, double rtol) {
        check(s.castTo(DataType.DOUBLE), g, new Function<Hypersynapse>() {
            @Override
            public <T> T apply(Ops<T> o, Hypersynapse c, List<T> in, List<T> w) {
                T total = sumAll(o, c.energy(o, in));
                List<T> d = c.gradient(o, in);
                for (int i = 0; i < d.size(); i++) {
                    total = o.add(total, sumAll(o, o.mul(d.get(i), w.get(i))));
                }
                return total;
            }
        }, rtol);
    }

    /** {@code sum_b (L_b + E_b) + <w, g>} of a Lagrangian, {@code E = <x, g> - L} its layer energy. */
    public static void assertSecondOrder(Lagrangian l, INDArray x, double rtol) {
        check(l.castTo(DataType.DOUBLE), List.of(x), new Function<Lagrangian>() {
            @Override
            public <T> T apply(Ops<T> o, Lagrangian c, List<T> in, List<T> w) {
                T g = c.activation(o, in.get(0));
                T total = o.add(sumAll(o, c.value(o, in.get(0))), sumAll(o, c.energy(o, in.get(0), g)));
                return o.add(total, sumAll(o, o.mul(g, w.get(0))));
            }
        }, rtol);
    }

    private static <C extends Component> void check(C c, List<INDArray> inputs, Function<C> f, double rtol) {
        List<INDArray> in = inputs.stream().map(a -> a.castTo(DataType.DOUBLE)).toList();
        List<INDArray> w = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            w.add(Numerics.rng(70 + i).normal(DataType.DOUBLE, 0, 1, in.get(i).shape()));
        }
        List<String> names = new ArrayList<>(c.parameters().keySet());
        // the engine: inputs and parameters as leaves
        Tape t = new Tape(DataType.DOUBLE);
        List<Var> leaves = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            leaves.add(t.input("in" + i, in.get(i)));
        }
        for (String n : names) {
            Var p = t.input(n, c.parameter(n).castTo(DataType.DOUBLE));
            t.bind(c, n, p);
            leaves.add(p);
        }
        List<Var> wv = w.stream().map(t::constant).toList();
        Var total = f.apply(t, c, leaves.subList(0, in.size()), wv);
        List<INDArray> grads = t.values(t.gradients(total, leaves));
        // finite differences on the eager path
        List<INDArray> values = new ArrayList<>(in);
        names.forEach(n -> values.add(c.parameter(n).castTo(DataType.DOUBLE)));
        for (int k = 0; k < values.size(); k++) {
            INDArray fd = Numerics.finiteDifference(v -> {
                Map<String, INDArray> p = new LinkedHashMap<>();
                for (int j = 0; j < names.size(); j++) {
                    p.put(names.get(j), v.get(in.size() + j));
                }
                C changed = c.withParameters(p);
                return f.apply(EagerOps.INSTANCE, changed, v.subList(0, in.size()), w);
            }, values, k, 1e-6);
            String what = k < in.size() ? "input " + k : "parameter '" + names.get(k - in.size()) + "'";
            assertTrue(grads.get(k) != null, c + ": " + what);
            assertClose(fd, grads.get(k), rtol, 1e-7, c + ": the engine's derivative in " + what
                    + " of a function of the energy and its closed-form derivative vs finite differences");
        }
    }

    private static <T> T sumAll(Ops<T> o, T a) {
        int[] axes = new int[o.shape(a).length];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        return axes.length == 0 ? a : o.sum(a, false, axes);
    }
}

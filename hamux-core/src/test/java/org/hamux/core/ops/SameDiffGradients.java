package org.hamux.core.ops;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.hamux.core.ops.GraphOps.Sym;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SameDiff autodiff of a per-sample scalar function {@code f(a_1, ..., a_n) -> [B]}: the value and
 * the gradients of {@code sum_b f} with respect to every input. Built once for fixed input shapes,
 * then evaluated as often as needed.
 *
 * <p>It steers around the traps of ND4J 1.0.0-M2.1: the inputs are SameDiff <em>variables</em> (a term
 * that depends on no variable is dropped from backprop), gradients are looked up by
 * {@link SameDiff#calculateGradients} (not by the {@code "-grad"} name, partial when a variable is used
 * twice), and the grad function's printing to stdout is swallowed.
 */
public final class SameDiffGradients {

    private final SameDiff sd;
    private final List<String> inputs = new ArrayList<>();
    private final String output;

    /**
     * @param f      the function, written with {@link GraphOps}
     * @param shapes the shape of every input
     * @param dtype  the data type of the inputs
     */
    public SameDiffGradients(Function<List<Sym>, Sym> f, List<long[]> shapes, DataType dtype) {
        sd = SameDiff.create();
        GraphOps o = new GraphOps(sd, dtype);
        List<Sym> in = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            SDVariable v = sd.var("input_" + i, dtype, shapes.get(i));
            inputs.add(v.name());
            in.add(o.of(v, shapes.get(i)));
        }
        Sym e = f.apply(in);
        SDVariable loss = sd.sum("energy_total", e.v());
        sd.setLossVariables(loss.name());
        output = e.v().name();
    }

    /** The value {@code f} and its gradient for every input, at {@code values}. */
    public Result evaluate(List<INDArray> values) {
        for (int i = 0; i < values.size(); i++) {
            sd.getVariable(inputs.get(i)).setArray(values.get(i).castTo(sd.getVariable(inputs.get(i)).dataType()).dup());
        }
        Map<String, INDArray> grads = quietly(() -> sd.calculateGradients(Map.of(), inputs));
        // SameDiff reuses its arrays between calls: hand out copies
        INDArray value = sd.output(Map.of(), output).get(output).dup();
        List<INDArray> out = new ArrayList<>();
        for (String name : inputs) {
            out.add(grads.get(name).dup());
        }
        return new Result(value, out);
    }

    /** The gradients of {@code sum_b f} at {@code values}, one per input. */
    public static List<INDArray> gradients(Function<List<Sym>, Sym> f, List<INDArray> values) {
        List<long[]> shapes = values.stream().map(INDArray::shape).toList();
        return new SameDiffGradients(f, shapes, values.get(0).dataType()).evaluate(values).gradients();
    }

    /** A value and its gradients. */
    public record Result(INDArray value, List<INDArray> gradients) {
    }

    private static final Object STDOUT_LOCK = new Object();

    /**
     * Runs {@code body} with {@code System.out} silenced (SameDiff prints while it builds gradient functions): the one
     * place the library swaps the stream, under one lock.
     */
    public static <V> V quietly(java.util.function.Supplier<V> body) {
        synchronized (STDOUT_LOCK) {
            PrintStream saved = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                return body.get();
            } finally {
                System.setOut(saved);
            }
        }
    }
}

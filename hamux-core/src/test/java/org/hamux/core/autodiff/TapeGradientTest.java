package org.hamux.core.autodiff;

import static org.hamux.core.testing.Numerics.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.hamux.core.ops.EagerOps;
import org.hamux.core.testing.Numerics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every primitive of the tape: the gradient of {@code <w, f(inputs)>} (a fixed random {@code w}) with respect to
 * every input equals central finite differences of the same function, in double precision, on batched inputs; and
 * so does the gradient of a function of a gradient (second order).
 */
class TapeGradientTest {

    /** A function of the inputs, recorded on a tape. */
    record Case(String name, List<INDArray> inputs, BiFunction<Tape, List<Var>, Var> f) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static int salt;

    private static INDArray normal(long... shape) {
        return Numerics.rng(100 + salt++).normal(DataType.DOUBLE, 0, 1, shape);
    }

    private static INDArray positive(long... shape) {
        return Numerics.rng(100 + salt++).uniform(DataType.DOUBLE, 0.5, 2.0, shape);
    }

    private static Case c(String name, BiFunction<Tape, List<Var>, Var> f, INDArray... in) {
        return new Case(name, List.of(in), f);
    }

    static Stream<Arguments> firstOrder() {
        List<Case> cases = List.of(
                c("add", (t, a) -> t.add(a.get(0), a.get(1)), normal(3, 4), normal(3, 4)),
                c("add, broadcast row", (t, a) -> t.add(a.get(0), a.get(1)), normal(3, 4), normal(4)),
                c("sub, broadcast column", (t, a) -> t.sub(a.get(0), a.get(1)), normal(3, 4), normal(3, 1)),
                c("mul, rank-0", (t, a) -> t.mul(a.get(0), a.get(1)), normal(3, 4), normal()),
                c("mul, broadcast both", (t, a) -> t.mul(a.get(0), a.get(1)), normal(3, 1, 4), normal(1, 2, 4)),
                c("div", (t, a) -> t.div(a.get(0), a.get(1)), normal(3, 4), positive(3, 4)),
                c("div, rank-0 divisor", (t, a) -> t.div(a.get(0), a.get(1)), normal(3, 4), positive()),
                c("add and mul by numbers", (t, a) -> t.mul(t.add(a.get(0), 0.7), -1.3), normal(3, 4)),
                c("rdiv", (t, a) -> t.rdiv(a.get(0), 2.5), positive(3, 4)),
                c("rdiv of one number", (t, a) -> t.mul(a.get(1), t.rdiv(a.get(0), 2.5)), positive(), normal(3, 2)),
                c("neg", (t, a) -> t.neg(a.get(0)), normal(3, 4)),
                c("exp", (t, a) -> t.exp(a.get(0)), normal(3, 4)),
                c("log", (t, a) -> t.log(a.get(0)), positive(3, 4)),
                c("abs", (t, a) -> t.abs(a.get(0)), normal(3, 4)),
                c("sqrt", (t, a) -> t.sqrt(a.get(0)), positive(3, 4)),
                c("square", (t, a) -> t.square(a.get(0)), normal(3, 4)),
                c("pow 3", (t, a) -> t.pow(a.get(0), 3), normal(3, 4)),
                c("pow 2.5", (t, a) -> t.pow(a.get(0), 2.5), positive(3, 4)),
                c("tanh", (t, a) -> t.tanh(a.get(0)), normal(3, 4)),
                c("sigmoid", (t, a) -> t.sigmoid(a.get(0)), normal(3, 4)),
                c("relu", (t, a) -> t.relu(a.get(0)), normal(3, 4)),
                c("softplus", (t, a) -> t.softplus(a.get(0)), normal(3, 4)),
                c("sin and cos", (t, a) -> t.mul(t.sin(a.get(0)), t.cos(a.get(1))), normal(3, 4), normal(3, 4)),
                c("sum, kept", (t, a) -> t.mul(t.sum(a.get(0), true, 1), a.get(0)), normal(3, 4, 2)),
                c("sum, two axes", (t, a) -> t.sum(a.get(0), false, 0, 2), normal(3, 4, 2)),
                c("max", (t, a) -> t.max(a.get(0), false, 1), normal(3, 5)),
                c("max, kept", (t, a) -> t.mul(t.max(a.get(0), true, 2), a.get(0)), normal(3, 2, 5)),
                c("mean", (t, a) -> t.mean(a.get(0), true, 1), normal(3, 4)),
                c("log-sum-exp", (t, a) -> t.logSumExp(a.get(0), false, 1), normal(3, 5)),
                c("log-sum-exp, kept, middle axis", (t, a) -> t.logSumExp(a.get(0), true, 1), normal(3, 5, 2)),
                c("softmax", (t, a) -> t.softmax(a.get(0), -1), normal(3, 2, 5)),
                c("softmax with its log-sum-exp", (t, a) -> {
                    var s = t.softmaxWithLogSumExp(a.get(0), 1);
                    return t.add(s.p(), t.mul(s.lse(), 0.3));
                }, normal(3, 5)),
                c("standard deviation", (t, a) -> t.standardDeviation(a.get(0), 1e-3), normal(3, 2, 5)),
                c("standardize", (t, a) -> t.standardize(a.get(0), 1e-3), normal(3, 2, 5)),
                c("dot per sample", (t, a) -> t.dotPerSample(a.get(0), a.get(1)), normal(3, 2, 4), normal(3, 2, 4)),
                c("dot per sample, broadcast", (t, a) -> t.dotPerSample(a.get(0), a.get(1)), normal(4), normal(3, 4)),
                c("exp of difference", (t, a) -> t.expOfDifference(a.get(0), a.get(1)), normal(3, 4), normal(3, 1)),
                c("mmul", (t, a) -> t.mmul(a.get(0), a.get(1)), normal(3, 4), normal(4, 2)),
                c("mmul, a transposed", (t, a) -> t.mmul(a.get(0), a.get(1), true, false), normal(4, 3), normal(4, 2)),
                c("mmul, b transposed", (t, a) -> t.mmul(a.get(0), a.get(1), false, true), normal(3, 4), normal(2, 4)),
                c("mmul, both transposed, times a number", (t, a) -> t.mmul(a.get(0), a.get(1), true, true, -0.7),
                        normal(4, 3), normal(2, 4)),
                c("mmul times a tensor", (t, a) -> t.mmul(a.get(0), a.get(1), false, true, a.get(2)),
                        normal(3, 4), normal(2, 4), normal()),
                c("bmmul", (t, a) -> t.bmmul(a.get(0), a.get(1), false, true), normal(3, 2, 4), normal(3, 5, 4)),
                c("bmmul, a transposed", (t, a) -> t.bmmul(a.get(0), a.get(1), true, false), normal(3, 4, 2), normal(3, 4, 5)),
                c("head scores", (t, a) -> t.headScores(a.get(0), a.get(1), a.get(2), null),
                        normal(3, 4, 2, 3), normal(3, 5, 2, 3), normal()),
                c("head scores, per-head scale and a bias", (t, a) -> t.headScores(a.get(0), a.get(1), a.get(2), a.get(3)),
                        normal(3, 4, 2, 3), normal(3, 5, 2, 3), positive(2), normal(4, 5)),
                c("head mix", (t, a) -> t.headMix(a.get(0), a.get(1), false), normal(3, 2, 4, 5), normal(3, 5, 2, 3)),
                c("head mix, transposed", (t, a) -> t.headMix(a.get(0), a.get(1), true), normal(3, 2, 4, 5), normal(3, 4, 2, 3)),
                c("head mix both", (t, a) -> t.headMixBoth(a.get(0), a.get(1), a.get(2)),
                        normal(3, 2, 4, 4), normal(3, 4, 2, 3), normal(3, 4, 2, 3)),
                c("reshape", (t, a) -> t.mul(t.reshape(a.get(0), 3, 2, 2), a.get(1)), normal(3, 4), normal(3, 2, 2)),
                c("permute", (t, a) -> t.permute(a.get(0), 0, 2, 1, 3), normal(3, 2, 4, 2)),
                c("concat", (t, a) -> t.concat(1, a.get(0), a.get(1)), normal(3, 2), normal(3, 4)),
                c("slice", (t, a) -> t.slice(a.get(0), 1, 1, 3), normal(3, 4, 2)),
                c("conv2d", (t, a) -> t.conv2d(a.get(0), a.get(1), 1, 1, 0, 0), normal(3, 2, 5, 4), normal(3, 2, 2, 3)),
                c("conv2d, stride and padding", (t, a) -> t.conv2d(a.get(0), a.get(1), 2, 1, 1, 1),
                        normal(3, 2, 5, 4), normal(2, 2, 3, 2)),
                c("conv2d transposed", (t, a) -> t.conv2dTranspose(a.get(0), a.get(1), 5, 4, 2, 1, 1, 1),
                        normal(3, 2, 3, 5), normal(2, 2, 3, 2)));
        return cases.stream().map(Arguments::of);
    }

    static Stream<Arguments> secondOrder() {
        List<Case> cases = List.of(
                c("d/dx of a softmax-weighted sum, in x and W", (t, a) -> {
                    Var e = t.neg(t.logSumExp(t.mmul(a.get(0), a.get(1)), false, 1));
                    return t.gradients(e, List.of(a.get(0))).get(0);
                }, normal(3, 4), normal(4, 5)),
                c("d/dg of a quartic and a layer norm", (t, a) -> {
                    Var g = t.standardize(a.get(0), 1e-2);
                    Var e = t.sumPerSample(t.mul(t.pow(g, 4), a.get(1)));
                    return t.gradients(e, List.of(a.get(0), a.get(1))).get(0);
                }, normal(3, 5), normal(5)),
                c("d/dx of relu power and tanh", (t, a) -> {
                    Var e = t.sum(t.mul(t.pow(t.relu(t.mmul(a.get(0), a.get(1), false, true)), 3), -0.5), false, 1);
                    Var f = t.sumPerSample(t.tanh(a.get(0)));
                    return t.gradients(t.add(e, f), List.of(a.get(0))).get(0);
                }, normal(3, 4), normal(6, 4)),
                c("d/dq of head scores", (t, a) -> {
                    Var s = t.headScores(a.get(0), a.get(1), a.get(2), null);
                    Var e = t.sum(t.logSumExp(s, true, 3), false, 0, 1, 2, 3);
                    return t.gradients(e, List.of(a.get(0))).get(0);
                }, normal(3, 4, 2, 3), normal(3, 4, 2, 3), positive(2)),
                c("d/dx of a convolution energy, in x and the kernel", (t, a) -> {
                    Var c = t.conv2d(a.get(0), a.get(1), 1, 1, 1, 0);
                    Var e = t.sumPerSample(t.square(c));
                    return t.gradients(e, List.of(a.get(0))).get(0);
                }, normal(3, 2, 4, 4), normal(2, 2, 2, 3)),
                c("d/dW of a convolution energy, in x and the kernel", (t, a) -> {
                    Var c = t.conv2dTranspose(a.get(0), a.get(1), 4, 4, 1, 1, 0, 1);
                    Var e = t.sumPerSample(t.square(c));
                    return t.gradients(e, List.of(a.get(1))).get(0);
                }, normal(3, 2, 3, 4), normal(2, 3, 2, 3)));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstOrder")
    void gradientEqualsFiniteDifferences(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secondOrder")
    void gradientOfAGradientEqualsFiniteDifferences(Case c) {
        check(c);
    }

    /** The gradient of {@code <w, f(inputs)>} against central differences of the same recorded function. */
    private static void check(Case c) {
        Tape t = new Tape(DataType.DOUBLE);
        List<Var> in = new ArrayList<>();
        for (int i = 0; i < c.inputs().size(); i++) {
            in.add(t.input("in" + i, c.inputs().get(i).dup()));
        }
        Var y = c.f().apply(t, in);
        Var w = t.constant(Numerics.rng(7).normal(DataType.DOUBLE, 0, 1, y.shape()));
        Var loss = t.sum(t.mul(y, w), false, allAxes(y.rank()));
        List<Var> grads = t.gradients(loss, in);
        List<INDArray> g = t.values(grads);
        Plan p = t.plan(List.of(loss));
        for (int i = 0; i < in.size(); i++) {
            INDArray a = in.get(i).value();
            INDArray flat = a.reshape(a.length());
            INDArray fd = Nd4j.zeros(DataType.DOUBLE, a.shape());
            INDArray fdFlat = fd.reshape(fd.length());
            double h = 1e-6;
            for (long k = 0; k < a.length(); k++) {
                double v = flat.getDouble(k);
                flat.putScalar(k, v + h);
                p.run();
                double plus = loss.value().getDouble(0);
                flat.putScalar(k, v - h);
                p.run();
                double minus = loss.value().getDouble(0);
                flat.putScalar(k, v);
                fdFlat.putScalar(k, (plus - minus) / (2 * h));
            }
            assertTrue(g.get(i) != null, c + ": input " + i);
            assertClose(fd, g.get(i), 1e-5, 1e-7, c + ": gradient of input " + i + " vs finite differences");
        }
        // the eager ops give the recorded function's value
        p.run();
        assertTrue(Double.isFinite(loss.value().getDouble(0)), c + ": loss");
        EagerOps.INSTANCE.shape(y.value());
    }

    private static int[] allAxes(int rank) {
        int[] ax = new int[rank];
        for (int i = 0; i < rank; i++) {
            ax[i] = i;
        }
        return ax;
    }
}

// Analog Dense Associative Memories: logic and error correction solved as ODEs (tutorial chapter on analog circuits).
// The valid words of a code are the memories of an exponential DenseAM on +-1 variables,
// E_s = -(1/beta) log sum_mu exp(beta xi_mu . g) with beta 2, and the neurons are analog: g = tanh(x),
// tau dx/dt = -x + I (the layer's own energy on). The
// dynamics is solved as an ODE to a tolerance with adaptive Dormand-Prince 4(5) steps ("update": "dopri5"):
//   - XOR: (a, b, a xor b) for the four inputs; a and b held, the output free from 0;
//   - Hamming (7,4) and (15,11): every codeword with one bit flipped relaxes to the codeword (minimum distance 3).
// Run from the repository root:
//     ./hamux jshell examples/notebooks/analog-dense-memory.jsh
// (-R-Dhamux.size=small runs the small version the tests run.)

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.NeuronLayer;
import org.hamux.core.Rng;
import org.hamux.layers.TanhLagrangian;
import org.hamux.synapses.DamSynapse;
import org.hamux.viz.Report;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

boolean small = "small".equals(System.getProperty("hamux.size"));
Path pages = Path.of(System.getProperty("hamux.pages", small ? System.getProperty("hamux.out", "hamux-out") : "examples/notebooks/pages"));
Files.createDirectories(pages);
Report report = new Report("Analog Dense Associative Memories: XOR and Hamming codes as ODEs");

EnergyGraph code(INDArray words) {
    long d = words.columns();
    return EnergyGraph.builder().dtype(DataType.DOUBLE).
            layer("g", new NeuronLayer(new long[] {d}, new TanhLagrangian(1.0), 1.0, true, null)).
            synapse("code", DamSynapse.lseMemory(words, 2.0), "g").
            build();
}
// the codewords of the Hamming (2^r - 1, 2^r - 1 - r) code as +-1 rows: the words whose syndrome is 0
INDArray hamming(int r) {
    int n = (1 << r) - 1;
    List<double[]> words = new ArrayList<>();
    for (int w = 0; w < (1 << n); w++) {
        int syndrome = 0;
        for (int i = 0; i < n; i++) if ((w >> i & 1) == 1) syndrome ^= i + 1;          // column i of H is i + 1 in binary
        if (syndrome == 0) {
            double[] row = new double[n];
            for (int i = 0; i < n; i++) row[i] = (w >> i & 1) == 1 ? 1 : -1;
            words.add(row);
        }
    }
    return Nd4j.create(words.toArray(new double[0][]));
}
INDArray signs(INDArray g) { return g.gte(0).castTo(DataType.DOUBLE).muli(2).subi(1); }
// the rows whose signs are the expected word
int decoded(INDArray g, INDArray expected) {
    return signs(g).eq(expected).castTo(DataType.DOUBLE).min(1).sumNumber().intValue();
}

Dynamics ode = Dynamics.builder().update(Dynamics.Update.DOPRI5).dt(0.1).steps(400).tolerance(1e-4).errorTolerance(1e-6, 1e-9).build();
report.text("The valid words of a code are the memories of an exponential DenseAM, `E = -(1/beta) log sum_mu exp(beta " +
        "xi_mu . g)` with beta 2 (a cubic energy, `-sum relu(xi . g)^3 / 3`, decodes XOR and the (7,4) code but not the (15,11) " +
        "one, whose 2,048 codewords outweigh the right one), on analog " +
        "neurons `g = tanh(x)` (`tau dx/dt = -x + I`). The dynamics is solved as an ODE with adaptive Dormand-Prince 4(5) " +
        "steps (`\"update\": \"dopri5\"`, rtol 1e-6, atol 1e-9) until every neuron's `|dx/dt|` is below 1e-4 (settled); " +
        "the horizon is 40 tau. An input is decoded when the signs of the final activations are the expected word.");
List<List<Object>> rows = new ArrayList<>();

// XOR: a and b held by a mask, the output free from 0
INDArray xorWords = Nd4j.create(new double[][] {{-1, -1, -1}, {-1, 1, 1}, {1, -1, 1}, {1, 1, -1}});
INDArray mask = Nd4j.create(new double[] {1, 1, 0});
INDArray inputs = xorWords.dup();
inputs.getColumn(2).assign(0);
Dynamics.Result xor = ode.toBuilder().mask("g", mask).build().run(code(xorWords), Map.of("g", inputs));
int xorOk = decoded(xor.activations().get("g"), xorWords);
report.println("XOR: %d/4 inputs decoded; %d accepted steps (%d evaluations of dE/dg), settled at %.1f tau", xorOk, xor.steps(),
        xor.evaluations(), xor.time());
rows.add(List.of("XOR", 4, 3, xorOk + "/4", xor.steps(), xor.evaluations(), String.format(java.util.Locale.ROOT, "%.1f", xor.time())));

// Hamming codes: every codeword (or a sample of them) with each single bit flipped
for (int r : small ? new int[] {3} : new int[] {3, 4}) {
    INDArray words = hamming(r);
    int n = words.columns();
    int k = words.rows();
    int take = Math.min(k, small ? 16 : 64);
    INDArray chosen = words.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, take));
    INDArray received = Nd4j.create(DataType.DOUBLE, (long) take * n, n);
    INDArray expected = Nd4j.create(DataType.DOUBLE, (long) take * n, n);
    for (int w = 0; w < take; w++) for (int i = 0; i < n; i++) {
        INDArray row = chosen.getRow(w).dup();
        row.putScalar(i, -row.getDouble(i));                                     // one bit flipped
        received.putRow((long) w * n + i, row);
        expected.putRow((long) w * n + i, chosen.getRow(w));
    }
    Dynamics.Result res = ode.run(code(words), Map.of("g", received));
    int ok = decoded(res.activations().get("g"), expected);
    String name = "Hamming (" + n + "," + (n - r) + ")";
    report.println("%s: %d codewords of %d bits; %d/%d received words with one bit flipped decoded; %d accepted steps " +
            "(%d evaluations), settled at %.1f tau", name, k, n, ok, received.rows(), res.steps(), res.evaluations(), res.time());
    rows.add(List.of(name, k, n, ok + "/" + received.rows(), res.steps(), res.evaluations(),
            String.format(java.util.Locale.ROOT, "%.1f", res.time())));
}
report.table(List.of("code", "memories K", "bits D", "decoded", "dopri5 steps", "evaluations of dE/dg", "settled at (tau)"), rows);

// The same settling with fixed Euler steps of 0.1 tau: how many steps, and how far from the ODE's solution
INDArray words7 = hamming(3);
INDArray start = words7.dup();
start.getColumn(0).negi();
Dynamics.Result accurate = ode.run(code(words7), Map.of("g", start));
Dynamics.Result euler = Dynamics.builder().dt(0.1).steps(400).tolerance(1e-4 * 0.1).build().run(code(words7), Map.of("g", start));
double gap = euler.states().get("g").sub(accurate.states().get("g")).norm2(1).maxNumber().doubleValue();
report.println("Hamming (7,4) with Euler steps of 0.1 tau: settled after %d steps (%.1f tau), against %d dopri5 steps (%d " +
        "evaluations); the end states differ by at most %.1e", euler.steps(), euler.time(), accurate.steps(), accurate.evaluations(), gap);
report.text("Published (analog DenseAM circuits): every input of XOR and of the Hamming (7,4) code is decoded, the " +
        "settling time measured in units of tau. Here the settling time in tau grows little with the size of the code, " +
        "the work per step with the number of memories.");
report.write(pages.resolve("analog-dense-memory.md"));
/exit

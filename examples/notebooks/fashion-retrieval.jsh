// Fashion-MNIST retrieval with a Dense Associative Memory, built with the Java builder.
// The same memory as examples/fashion-retrieval.json. Run from the repository root:
//     ./hamux jshell examples/notebooks/fashion-retrieval.jsh

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.NeuronLayer;
import org.hamux.core.Rng;
import org.hamux.core.io.Npz;
import org.hamux.core.spec.Spec;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.synapses.DamSynapse;
import org.hamux.viz.ImageGrid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

Path examples = Path.of(System.getProperty("hamux.examples", "examples"));

// 1000 images [1000, 784], pixels scaled to [0, 1]: the memories xi
INDArray images = Npz.read(examples.resolve("data/fashion-mnist-1000.npz")).get("images").castTo(DataType.FLOAT).div(255);

// One layer of 28x28 neurons (identity Lagrangian: g = x; its own energy off, so that the state relaxes onto
// the memories) and one Dense Associative Memory with the distance similarity:
//   E = -(1/beta) log sum_mu exp(-beta/2 |g - xi_mu|^2)
// (in jshell a line that completes a statement ends it: chained calls end their lines with a dot)
DamSynapse memory = DamSynapse.builder(images).
        separation(DamSynapse.Separation.EXP).
        similarity(DamSynapse.Similarity.NEG_HALF_SQ_DISTANCE).
        log(0).
        inverseBetaPrefactor().
        beta(2).
        build();
EnergyGraph graph = EnergyGraph.builder().
        layer("image", new NeuronLayer(new long[] {28, 28}, new IdentityLagrangian(), 1.0, false, null)).
        synapse("memory", memory, "image").
        build();
System.out.println(graph);

// Queries: the first 100 images under heavy noise, N(0, 0.6^2) on every pixel; every neuron is free.
int queries = 100;
INDArray clean = images.get(NDArrayIndex.interval(0, queries)).reshape('c', queries, 28, 28);
INDArray query = clean.add(new Rng(7).normal(DataType.FLOAT, 0, 0.6, queries, 28, 28));

Dynamics dynamics = Dynamics.builder().dt(0.1).steps(100).build();
Dynamics.Result result = dynamics.run(graph, Map.of("image", query));
System.out.printf("energy: first %.6g, last %.6g (batch total) after %d steps%n",
        result.firstEnergy(), result.lastEnergy(), result.steps());

// Retrieved = the final activation is nearest (Euclidean) to the query's own stored image.
long[] targets = new long[queries];
for (int i = 0; i < queries; i++) targets[i] = i;
Spec.Retrieval score = new Spec.Retrieval("image", images, targets, new long[] {28, 28}, null);
long[] nearest = score.nearest(result.activations().get("image"));
System.out.printf("retrieved %d/%d queries%n", score.retrieved(nearest), queries);

// Rows: query, retrieved, stored; the failures framed in red.
boolean[] failed = new boolean[queries];
for (int i = 0; i < queries; i++) failed[i] = nearest[i] != i;
Path png = Path.of(System.getProperty("hamux.out", "hamux-out")).resolve("fashion-retrieval-notebook.png");
org.hamux.core.io.AtomicFile.write(png, ImageGrid.labelled(png, List.of("query", "retrieved", "stored"),
        List.of(query.reshape(queries, 784), result.activations().get("image").reshape(queries, 784), clean.reshape(queries, 784)),
        failed, "framed in red: the failures", 28, 28, 2, 20));
System.out.println("png: " + png);
/exit

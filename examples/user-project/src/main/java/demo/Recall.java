package demo;

import java.util.Map;
import org.hamux.core.Dynamics;
import org.hamux.core.EnergyGraph;
import org.hamux.core.NeuronLayer;
import org.hamux.layers.IdentityLagrangian;
import org.hamux.synapses.DamSynapse;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Three memories in a Dense Associative Memory; a noisy query relaxes onto the nearest one. */
public final class Recall {

    /** The three memories: a noisy query relaxes onto the nearest one. */
    public static final float[][] MEMORIES = {{1, 0, 0, 1}, {0, 1, 1, 0}, {1, 1, 0, 0}};

    /** Relaxes {@code query} ({@code [batch, 4]}) for 100 steps of the memory's dynamics. */
    public static Dynamics.Result recall(INDArray query) {
        // E = -(1/beta) log sum_mu exp(-beta/2 |g - xi_mu|^2)
        DamSynapse memory = DamSynapse.builder(Nd4j.create(MEMORIES)).separation(DamSynapse.Separation.EXP)
                .similarity(DamSynapse.Similarity.NEG_HALF_SQ_DISTANCE).log(0).inverseBetaPrefactor().beta(4).build();
        EnergyGraph graph = EnergyGraph.builder()
                .layer("v", new NeuronLayer(new long[] {4}, new IdentityLagrangian(), 1.0, false, null))
                .synapse("memory", memory, "v")
                .build();
        return Dynamics.builder().dt(0.1).steps(100).build().run(graph, Map.of("v", query));
    }

    public static void main(String[] args) {
        INDArray query = Nd4j.create(new float[][] {{0.9f, 0.2f, 0.1f, 0.7f}});
        Dynamics.Result r = recall(query);
        System.out.println("query     " + query);
        System.out.println("recalled  " + r.states().get("v").castTo(DataType.FLOAT));
        System.out.printf("energy    %.4f -> %.4f%n", r.firstEnergy(), r.lastEnergy());
    }
}

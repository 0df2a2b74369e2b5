package org.hamux.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Cluster scores and k-means on tiny cases with known answers (values as scikit-learn gives them). */
class ClusteringTest {

    @Test
    void identicalPartitionsScoreOneWhateverTheNames() {
        int[] a = {0, 0, 1, 1, 2};
        int[] b = {2, 2, 0, 0, 1};
        assertEquals(1.0, Clustering.nmi(a, b), 1e-12);
        assertEquals(1.0, Clustering.ari(a, b), 1e-12);
    }

    @Test
    void independentPartitionsScoreZeroNmiAndNegativeAri() {
        int[] a = {0, 0, 1, 1};
        int[] b = {0, 1, 0, 1};
        assertEquals(0.0, Clustering.nmi(a, b), 1e-12);
        assertEquals(-0.5, Clustering.ari(a, b), 1e-12);
    }

    @Test
    void matchesScikitLearnOnItsDocumentationExample() {
        int[] truth = {0, 0, 0, 1, 1, 1};
        int[] pred = {0, 0, 1, 1, 2, 2};
        assertEquals(0.24242424242424243, Clustering.ari(truth, pred), 1e-12);
        assertEquals(0.5158037429793889, Clustering.nmi(truth, pred), 1e-12);
    }

    @Test
    void silhouetteOfTwoPairsOnALine() {
        var x = Nd4j.create(new double[][] {{0}, {1}, {10}, {11}});
        double expected = (9.5 / 10.5 + 8.5 / 9.5) / 2;
        assertEquals(expected, Clustering.silhouette(x, new int[] {0, 0, 1, 1}), 1e-12);
    }

    @Test
    void kMeansFindsTwoSeparatedBlobs() {
        var x = Nd4j.create(new double[][] {{0, 0}, {0.1, 0}, {0, 0.2}, {5, 5}, {5.1, 5}, {5, 4.9}}).castTo(DataType.FLOAT);
        Clustering.KMeans km = Clustering.kMeans(x, 2, 1);
        assertEquals(1.0, Clustering.ari(new int[] {0, 0, 0, 1, 1, 1}, km.labels()), 1e-12);
        assertEquals(0.0466667, km.inertia(), 1e-5);
    }
}

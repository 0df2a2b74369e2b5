package org.hamux.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The loss and accuracy of a graph on some data.
 *
 * @param samples  how many samples
 * @param loss     the mean loss per sample
 * @param accuracy the fraction of samples whose largest output is their label; NaN when the targets are not
 *                 class labels
 */
public record Metrics(long samples, double loss, double accuracy) {

    /** One epoch of training; NaN where a figure does not apply. */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                        double seconds) {

        static INDArray toRows(List<Epoch> h) {
            double[][] rows = new double[h.size()][];
            for (int i = 0; i < rows.length; i++) {
                Epoch e = h.get(i);
                rows[i] = new double[] {e.epoch, e.trainLoss, e.trainAccuracy, e.testLoss, e.testAccuracy, e.seconds};
            }
            return rows.length == 0 ? Nd4j.zeros(DataType.DOUBLE, 0, 6) : Nd4j.create(rows);
        }

        static List<Epoch> fromRows(INDArray a) {
            List<Epoch> out = new ArrayList<>();
            for (long i = 0; i < a.size(0); i++) {
                double[] r = a.getRow(i).castTo(DataType.DOUBLE).toDoubleVector();
                out.add(new Epoch((int) r[0], r[1], r[2], r[3], r[4], r.length > 5 ? r[5] : Double.NaN));
            }
            return out;
        }

        static String csv(List<Epoch> h) {
            StringBuilder s = new StringBuilder("epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds\n");
            for (Epoch e : h) {
                s.append(String.format(Locale.ROOT, "%d,%.8g,%.6f,%.8g,%.6f,%.2f%n", e.epoch, e.trainLoss,
                        e.trainAccuracy, e.testLoss, e.testAccuracy, e.seconds));
            }
            return s.toString();
        }
    }
}

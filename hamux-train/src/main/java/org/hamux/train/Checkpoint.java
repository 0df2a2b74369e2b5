package org.hamux.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hamux.core.HamuxException;
import org.hamux.core.io.AtomicFile;
import org.hamux.core.io.Npz;
import org.hamux.core.io.OutputSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training checkpoint in folder {@code DIR}: {@code DIR/checkpoint.npz} holds the trained parameters
 * under their flat names, the optimizer state under {@code optimizer/...} and the position under
 * {@code trainer/epoch} (epochs done), {@code trainer/seed} and {@code trainer/history} ({@code [epochs,
 * 5]}: epoch, train loss, train accuracy, test loss, test accuracy; NaN where none); {@code DIR/params.npz}
 * holds the parameters alone (for {@code run --params} and {@link org.hamux.core.EnergyGraph#withParameters}).
 * The two are written together, whole and both or neither ({@link OutputSet}); resuming reads only
 * {@code checkpoint.npz}, and {@link #repair} mends a folder a killed run left behind.
 */
public record Checkpoint(int epoch, long seed, Map<String, INDArray> parameters, Map<String, INDArray> optimizer,
                         INDArray history) {

    public static final String FILE = "checkpoint.npz";
    public static final String PARAMS = "params.npz";
    private static final String OPT = "optimizer/";
    private static final String TRAINER = "trainer/";

    /** Writes {@code DIR/checkpoint.npz} and {@code DIR/params.npz}, both or neither. */
    public void write(Path dir) {
        OutputSet files = new OutputSet();
        stage(files, dir);
        files.commit();
    }

    /**
     * Adds {@code DIR/checkpoint.npz} and then {@code DIR/params.npz} to {@code files} (renamed into place in that order,
     * back to back: a process killed between the two leaves a checkpoint ahead of the parameters, which {@link #repair}
     * mends).
     */
    public void stage(OutputSet files, Path dir) {
        Map<String, INDArray> all = new LinkedHashMap<>(parameters);
        optimizer.forEach((k, v) -> all.put(OPT + k, v));
        all.put(TRAINER + "epoch", Nd4j.scalar((long) epoch));
        all.put(TRAINER + "seed", Nd4j.scalar(seed));
        if (history != null) {
            all.put(TRAINER + "history", history);
        }
        files.add(dir.resolve(FILE), Npz.writer(all));
        files.add(dir.resolve(PARAMS), Npz.writer(parameters));
    }

    /**
     * Mends what a training killed while writing may have left in {@code dir}: removes the temporary files of half-written
     * checkpoints, and writes {@code params.npz} again from {@code checkpoint.npz} when the two differ.
     */
    public static void repair(Path dir, String... otherFiles) {
        AtomicFile.removeLeftovers(dir, FILE, PARAMS);
        AtomicFile.removeLeftovers(dir, otherFiles);
        if (!exists(dir)) {
            return;
        }
        Map<String, INDArray> truth = read(dir).parameters();
        Path params = dir.resolve(PARAMS);
        boolean same = false;
        if (Files.isRegularFile(params)) {
            try {
                Map<String, INDArray> now = Npz.read(params);
                same = now.keySet().equals(truth.keySet())
                        && truth.entrySet().stream().allMatch(e -> e.getValue().equals(now.get(e.getKey())));
            } catch (HamuxException e) {
                same = false;                                   // unreadable: written again below
            }
        }
        if (!same) {
            Npz.write(params, truth);
        }
    }

    /** Whether {@code dir} holds a checkpoint. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /** Reads {@code DIR/checkpoint.npz}. */
    public static Checkpoint read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new HamuxException("cannot resume: " + f + " does not exist (train without --resume to start)");
        }
        Map<String, INDArray> all = Npz.read(f);
        Map<String, INDArray> params = new LinkedHashMap<>();
        Map<String, INDArray> opt = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(OPT)) {
                opt.put(k.substring(OPT.length()), v);
            } else if (!k.startsWith(TRAINER)) {
                params.put(k, v);
            }
        });
        INDArray epoch = all.get(TRAINER + "epoch");
        INDArray seed = all.get(TRAINER + "seed");
        if (epoch == null || seed == null) {
            throw new HamuxException(f + " is not a training checkpoint (no trainer/epoch, trainer/seed)");
        }
        return new Checkpoint(epoch.getInt(0), seed.getLong(0), params, opt, all.get(TRAINER + "history"));
    }

    /**
     * The parameters in {@code path}: a {@code params.npz} or {@code checkpoint.npz} file, or a training
     * folder (its {@code params.npz}); optimizer and trainer entries are left out.
     */
    public static Map<String, INDArray> parameters(Path path) {
        Path f = Files.isDirectory(path) ? path.resolve(PARAMS) : path;
        if (!Files.isRegularFile(f)) {
            throw new HamuxException("cannot read parameters " + f + ": no such file");
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        Npz.read(f).forEach((k, v) -> {
            if (!k.startsWith(OPT) && !k.startsWith(TRAINER)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** {@code values} in data type {@code dtype}, for {@link org.hamux.core.EnergyGraph#withParameters}. */
    public static Map<String, INDArray> cast(Map<String, INDArray> values, DataType dtype) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v.dataType() == dtype ? v : v.castTo(dtype)));
        return out;
    }
}

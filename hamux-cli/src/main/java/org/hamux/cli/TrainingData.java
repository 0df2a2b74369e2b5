package org.hamux.cli;

import java.nio.file.Path;
import org.hamux.core.HamuxException;
import org.hamux.core.spec.Spec;
import org.hamux.train.Dataset;
import org.hamux.train.Training;

/** The training section of a spec and its data, with the command line's overrides. */
final class TrainingData {

    private TrainingData() {
    }

    /** The spec's training settings, or a bad-input error that says how to add them. */
    static Training settings(Spec spec, Path specFile) {
        Training t = Training.of(spec);
        if (t == null) {
            throw new HamuxException(specFile + ": the spec has no \"training\" section (e.g. \"training\": {\"train\": "
                    + "[\"syn.W\"], \"inputs\": {\"img\": \"images\"}, \"loss\": {\"type\": \"mse\", ...}})");
        }
        return t;
    }

    /** {@code option} if given, else the spec's path (may be null). */
    static Path pick(Path option, Training t, boolean test) {
        if (option != null) {
            return option;
        }
        if (t.data() == null) {
            return null;
        }
        return test ? t.data().test() : t.data().train();
    }

    /** {@code d} split by the spec's {@code data.split}; a split that leaves a side empty is an error at that key. */
    static Dataset[] split(Dataset d, Training t, Path specFile) {
        try {
            return d.split(t.data().split(), t.seed());
        } catch (HamuxException e) {
            throw new HamuxException(specFile + ": at $.training.data.split: " + e.getMessage());
        }
    }

    /** Reads {@code path} and applies the spec's scale factors and noise ({@link Dataset#read(Path, Training, Dataset.Part, long)}). */
    static Dataset read(Path path, Training t, Dataset.Part part, long limit) {
        return Dataset.read(path, t, part, limit);
    }
}

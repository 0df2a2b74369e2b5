package org.hamux.train;

import org.hamux.core.HamuxPlugin;
import org.hamux.core.spec.Registry;

/** Adds the {@code "training"} section to specs ({@link TrainingReader}). */
public final class TrainPlugin implements HamuxPlugin {

    /** The key of the section. */
    public static final String SECTION = "training";

    @Override
    public void register(Registry registry) {
        registry.addSection(SECTION, TrainingReader::read);
    }
}

package org.hamux.core.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Files that belong together (the states, activations and energy trace of a run), written all or none: each is
 * written whole into a temporary file beside its place ({@link AtomicFile#stage}); only when every one is written are
 * they renamed into place, one after the other. A write that fails removes what was staged and replaces nothing, so
 * no folder is left with a new file beside an old one.
 */
public final class OutputSet {

    private final Map<Path, Path> staged = new LinkedHashMap<>();

    /** Writes {@code target}'s content into a temporary file; on failure everything staged so far is removed. */
    public OutputSet add(Path target, AtomicFile.Writer writer) {
        try {
            staged.put(target, AtomicFile.stage(target, writer));
        } catch (RuntimeException e) {
            abandon();
            throw e;
        }
        return this;
    }

    /** Renames every staged file into place, in the order they were added; returns their paths. */
    public List<Path> commit() {
        List<Path> done = new ArrayList<>();
        for (Path target : staged.keySet()) {
            // what would stop a rename half-way through the set is refused before the first one
            if (java.nio.file.Files.isDirectory(target)) {
                abandon();
                throw new org.hamux.core.HamuxException("cannot write " + target + ": a folder of that name is in the way");
            }
        }
        try {
            for (var e : staged.entrySet()) {
                AtomicFile.commit(e.getValue(), e.getKey());
                done.add(e.getKey());
            }
        } catch (RuntimeException e) {
            staged.forEach((target, tmp) -> {
                if (!done.contains(target)) {
                    AtomicFile.delete(tmp);
                }
            });
            throw e;
        } finally {
            staged.clear();
        }
        return done;
    }

    /** Removes every staged file; nothing is replaced. */
    public void abandon() {
        staged.values().forEach(AtomicFile::delete);
        staged.clear();
    }
}

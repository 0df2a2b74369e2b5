package org.hamux.core.io;

import java.nio.file.Files;
import java.nio.file.Path;
import org.hamux.core.HamuxException;

/** What every input file must be: a regular file (a pipe or a device would block or never end; a folder is no file). */
public final class InputFiles {

    private InputFiles() {
    }

    /** Fails unless {@code file} is a regular file, saying what it is instead. */
    public static void checkRegular(Path file) {
        String name = HamuxException.shorten(file.toString(), 160);
        if (!Files.exists(file)) {
            throw new HamuxException("cannot read " + name + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new HamuxException("cannot read " + name + ": it is a folder, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new HamuxException("cannot read " + name + ": not a regular file (a pipe or a device is not read)");
        }
        if (!Files.isReadable(file)) {
            throw new HamuxException("cannot read " + name + ": permission denied");
        }
    }

    /** {@link #checkRegular}, and fails when the file is larger than {@code maxBytes} ({@code what} names it). */
    public static void checkRegular(Path file, long maxBytes, String what) {
        checkRegular(file);
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new HamuxException("cannot read " + HamuxException.shorten(file.toString(), 160) + ": " + what + " of "
                        + org.hamux.core.MemoryBudget.human(size) + " is larger than the "
                        + org.hamux.core.MemoryBudget.human(maxBytes) + " read here");
            }
        } catch (java.io.IOException e) {
            throw new HamuxException("cannot read " + HamuxException.shorten(file.toString(), 160) + ": " + e.getMessage());
        }
    }
}

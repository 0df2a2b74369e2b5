package org.hamux.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.hamux.core.HamuxException;

/**
 * Writes a file whole or not at all: into a temporary file beside it ({@code .NAME.RANDOM.tmp}), flushed
 * to disk, then renamed over the target in one atomic step. A new file gets the default permissions. {@link OutputSet}
 * writes several files all or none.
 */
public final class AtomicFile {

    /** Writes the content to a stream; the stream is closed by {@link AtomicFile}. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Writes {@code target} with {@code writer}. If the writer throws, or anything else fails, the old file
     * (if any) is left as it was and the temporary file is removed; an {@link IOException} comes back as a
     * {@link HamuxException} naming the target and the system's reason, any other exception passes through unchanged.
     */
    public static void write(Path target, Writer writer) {
        commit(stage(target, writer), target);
    }

    /**
     * Writes the content of {@code target} into a new temporary file beside it ({@code .NAME.RANDOM.tmp}), flushed to
     * disk, and returns it; {@link #commit} then renames it into place. On failure nothing is left behind.
     */
    public static Path stage(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        boolean done = false;
        try {
            Files.createDirectories(dir);
            // opened with CREATE_NEW rather than Files.createTempFile, so that the umask, not 0600, applies
            FileChannel ch = null;
            for (int attempt = 0; ch == null; attempt++) {
                Path candidate = dir.resolve(TMP_PREFIX + abs.getFileName() + "."
                        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + TMP_SUFFIX);
                try {
                    ch = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    tmp = candidate;
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 100) {
                        throw e;
                    }
                }
            }
            try (FileChannel channel = ch;
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            done = true;
            return tmp;
        } catch (IOException e) {
            throw new HamuxException("cannot write " + target + ": " + reason(e), e);
        } finally {
            if (!done) {
                delete(tmp);
            }
        }
    }

    /** Renames a file {@link #stage} wrote into place, in one atomic step where the file system has one. */
    public static void commit(Path tmp, Path target) {
        Path abs = target.toAbsolutePath();
        try {
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            delete(tmp);
            throw new HamuxException("cannot write " + target + ": " + reason(e), e);
        }
    }

    /** Removes a temporary file, if there is one (nothing more to do when that fails: the target was not touched). */
    static void delete(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file stays; removeLeftovers takes it on a later run
            }
        }
    }

    /** Removes the temporary files a writer killed half-way left in {@code dir} for the files {@code names}. */
    public static void removeLeftovers(Path dir, String... names) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        for (String name : names) {
            try (var s = Files.newDirectoryStream(dir, TMP_PREFIX + name + ".*" + TMP_SUFFIX)) {
                for (Path p : s) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // what cannot be listed or removed stays: it is never read
            }
        }
    }

    /**
     * The system's reason an operation on a file failed, in words: {@code FileSystemException}'s message is often just
     * the file name.
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            String file = f.getFile();
            if (e instanceof AccessDeniedException) {
                return "permission denied" + (file != null ? " (" + file + ")" : "");
            }
            if (e instanceof FileAlreadyExistsException) {
                return file + " exists and is not a folder";
            }
            if (e instanceof NotDirectoryException) {
                return file + " is not a folder";
            }
            if (e instanceof NoSuchFileException) {
                return "no such file or folder: " + file;
            }
            if (f.getReason() != null) {
                return f.getReason() + (file != null ? " (" + file + ")" : "");
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static final String TMP_PREFIX = ".";
    private static final String TMP_SUFFIX = ".tmp";

    /** Writes a UTF-8 text file whole or not at all. */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}

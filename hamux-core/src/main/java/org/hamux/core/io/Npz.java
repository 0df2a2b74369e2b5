package org.hamux.core.io;

import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.hamux.core.HamuxException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy's {@code .npz} archives, as written by {@code np.savez} and {@code np.savez_compressed}: a zip
 * file (stored or deflated entries, zip64 allowed) of {@code NAME.npy} entries, each read by {@link Npy}.
 */
public final class Npz {

    private Npz() {
    }

    /** Reads every array of {@code file}, by name (the entry name without {@code .npy}), in archive order. */
    public static Map<String, INDArray> read(Path file) {
        InputFiles.checkRegular(file);
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                try (InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 16)) {
                    out.put(name, Npy.read(in, file + ":" + name));
                }
            }
        } catch (IOException e) {
            throw new HamuxException("cannot read " + file + " as .npz: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Writes {@code arrays} to {@code file} as deflated {@code NAME.npy} entries (types as in {@link Npy}),
     * whole or not at all.
     */
    public static void write(Path file, Map<String, INDArray> arrays) {
        AtomicFile.write(file, writer(arrays));
    }

    /** What writes {@code arrays} as deflated {@code NAME.npy} entries, for {@link AtomicFile} or an {@link OutputSet}. */
    public static AtomicFile.Writer writer(Map<String, INDArray> arrays) {
        return out -> {
            // closing the zip stream releases its Deflater; AtomicFile still owns (and closes) out
            try (ZipOutputStream zip = new ZipOutputStream(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            })) {
                zip.setLevel(1);
                for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                    Npy.write(zip, e.getValue());
                    zip.closeEntry();
                }
            }
        };
    }
}

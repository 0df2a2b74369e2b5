package org.hamux.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hamux.core.HamuxException;
import org.hamux.core.MemoryBudget;
import org.hamux.core.io.InputFiles;
import org.hamux.core.io.Npy;
import org.hamux.core.io.Npz;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Named arrays that share their first axis, the samples: {@code images [N, 784]}, {@code labels [N]}.
 * Integer arrays are held as FLOAT. Read from {@code .npz} (every array), {@code .npy} (one array, named
 * after the file), {@code .csv} (a header row of names; one {@code [N]} array per column and all columns
 * as {@code csv [N, C]}), an IDX file (one array named after the file), or a folder of MNIST-style IDX
 * files ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-...}, {@code t10k-...}) as
 * {@code images [N, 28, 28]} and {@code labels [N]}.
 */
public final class Dataset {

    /** Which part of an IDX folder to read. */
    public enum Part { TRAIN, TEST }

    private final Map<String, INDArray> arrays;
    private final long size;
    private final String source;

    /** @param arrays named arrays, all with the same first axis */
    public Dataset(Map<String, INDArray> arrays, String source) {
        if (arrays.isEmpty()) {
            throw new HamuxException(source + ": no arrays");
        }
        this.arrays = new LinkedHashMap<>();
        long n = -1;
        for (var e : arrays.entrySet()) {
            INDArray a = e.getValue();
            if (a.rank() == 0) {
                throw new HamuxException(source + ": array '" + e.getKey() + "' is a scalar, not samples");
            }
            if (n >= 0 && a.size(0) != n) {
                throw new HamuxException(source + ": array '" + e.getKey() + "' has " + a.size(0)
                        + " samples but another array has " + n);
            }
            n = a.size(0);
            this.arrays.put(e.getKey(), a.dataType().isFPType() ? a : a.castTo(DataType.FLOAT));
        }
        this.size = n;
        this.source = source;
    }

    /**
     * Reads {@code path} as the training settings {@code t} ask: their scale factors applied, their noisy copies made
     * ({@link Training.Data}); the first {@code limit} samples only when {@code limit} is positive.
     */
    public static Dataset read(Path path, Training t, Part part, long limit) {
        Dataset d = read(path, part);
        if (t.data() != null && !t.data().scale().isEmpty()) {
            d = d.scaled(t.data().scale());
        }
        if (t.data() != null) {
            for (var e : t.data().noise().entrySet()) {
                d = d.withNoise(e.getKey(), e.getValue(), t.seed() + (part == Part.TEST ? 1 : 0));
            }
            for (var e : t.data().erase().entrySet()) {
                d = d.withErased(e.getKey(), e.getValue());
            }
        }
        return limit > 0 ? d.head(limit) : d;
    }

    /** Reads {@code path} (see the class comment); {@code part} picks train or test files of an IDX folder. */
    public static Dataset read(Path path, Part part) {
        if (Files.isDirectory(path)) {
            return idxFolder(path, part);
        }
        InputFiles.checkRegular(path);
        String name = path.getFileName().toString();
        Map<String, INDArray> m = new LinkedHashMap<>();
        if (name.endsWith(".npz")) {
            m.putAll(Npz.read(path));
        } else if (name.endsWith(".npy")) {
            m.put(name.substring(0, name.length() - 4), Npy.read(path));
        } else if (name.endsWith(".csv")) {
            InputFiles.checkRegular(path, MemoryBudget.bytes() / 4, "a CSV file");   // its numbers are held in the heap first
            m.putAll(csv(path));
        } else if (name.contains("idx") || name.endsWith("ubyte") || name.endsWith("ubyte.gz")) {
            m.put(name.replaceAll("\\.gz$", ""), Idx.read(path));
        } else {
            throw new HamuxException("cannot read data " + path + ": use .npz, .npy, .csv, an IDX file or a folder of IDX files");
        }
        return new Dataset(m, path.toString());
    }

    private static Dataset idxFolder(Path dir, Part part) {
        String prefix = part == Part.TRAIN ? "train" : "t10k";
        Path images = first(dir, prefix + "-images-idx3-ubyte");
        Path labels = first(dir, prefix + "-labels-idx1-ubyte");
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("images", Idx.read(images));
        m.put("labels", Idx.read(labels));
        return new Dataset(m, dir.toString());
    }

    private static Path first(Path dir, String base) {
        for (String s : new String[] {base, base + ".gz"}) {
            if (Files.isRegularFile(dir.resolve(s))) {
                return dir.resolve(s);
            }
        }
        throw new HamuxException("cannot read data " + dir + ": the folder has no " + base + "[.gz]");
    }

    private static Map<String, INDArray> csv(Path file) {
        List<double[]> rows = new ArrayList<>();
        String[] header;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String h = r.readLine();
            if (h == null) {
                throw new HamuxException(file + ": empty CSV file");
            }
            header = h.split(",", -1);
            for (int i = 0; i < header.length; i++) {
                header[i] = header[i].strip();
            }
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != header.length) {
                    throw new HamuxException(file + ":" + lineNo + ": " + f.length + " fields, the header has " + header.length);
                }
                double[] v = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    try {
                        v[i] = Double.parseDouble(f[i].strip());
                    } catch (NumberFormatException e) {
                        throw new HamuxException(file + ":" + lineNo + ": column '" + header[i] + "': not a number: '" + f[i] + "'");
                    }
                }
                rows.add(v);
            }
        } catch (IOException e) {
            throw new HamuxException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new HamuxException(file + ": no data rows");
        }
        INDArray all = Nd4j.create(rows.toArray(double[][]::new)).castTo(DataType.FLOAT);
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
            m.put(header[i], all.getColumn(i).dup());
        }
        m.putIfAbsent("csv", all);
        return m;
    }

    /** The number of samples. */
    public long size() {
        return size;
    }

    public String source() {
        return source;
    }

    public Map<String, INDArray> arrays() {
        return java.util.Collections.unmodifiableMap(arrays);
    }

    /** Array {@code name}; {@code what} says who asks, in the message when it is missing. */
    public INDArray array(String name, String what) {
        INDArray a = arrays.get(name);
        if (a == null) {
            throw new HamuxException(what + ": the data " + source + " have no array '" + name + "' (arrays: "
                    + arrays.keySet() + ")");
        }
        return a;
    }

    /** A copy with {@code factors} applied to the arrays they name (held as FLOAT, or DOUBLE if they were). */
    public Dataset scaled(Map<String, Double> factors) {
        Map<String, INDArray> m = new LinkedHashMap<>(arrays);
        factors.forEach((k, f) -> {
            INDArray a = array(k, "scale");
            m.put(k, a.mul(f));
        });
        return new Dataset(m, source);
    }

    /**
     * A copy with array {@code name + "_noisy"}: array {@code name} plus Gaussian noise of standard deviation
     * {@code std}, the same for the same {@code seed}.
     */
    public Dataset withNoise(String name, double std, long seed) {
        INDArray a = array(name, "noise");
        INDArray n = new org.hamux.core.Rng(seed).normal(a.dataType(), 0, std, a.shape());
        Map<String, INDArray> m = new LinkedHashMap<>(arrays);
        m.put(name + "_noisy", a.add(n));
        return new Dataset(m, source);
    }

    /**
     * A copy with array {@code name + "_erased"}: array {@code name} times {@code mask} (1 kept, 0 erased; the per-sample
     * shape of the array, or as many entries), broadcast over the samples.
     */
    public Dataset withErased(String name, INDArray mask) {
        INDArray a = array(name, "erase");
        long per = a.length() / Math.max(a.size(0), 1);
        if (mask.length() != per) {
            throw new HamuxException("cannot erase '" + name + "' of " + source + ": its mask has " + mask.length()
                    + " entries, a sample " + per);
        }
        INDArray m = mask.castTo(a.dataType()).reshape('c', 1, per);
        Map<String, INDArray> arrays2 = new LinkedHashMap<>(arrays);
        arrays2.put(name + "_erased", a.reshape('c', a.size(0), per).mulRowVector(m).reshape('c', a.shape()));
        return new Dataset(arrays2, source);
    }

    /** The samples {@code idx}, in that order. */
    public Dataset rows(int[] idx) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        arrays.forEach((k, a) -> m.put(k, rows(a, idx)));
        return new Dataset(m, source);
    }

    /** Rows {@code idx} of {@code a} ({@code [N, ...] -> [idx.length, ...]}). */
    public static INDArray rows(INDArray a, int[] idx) {
        long n = a.size(0);
        long rest = a.length() / n;
        INDArray flat = a.reshape('c', n, rest);
        INDArray out = Nd4j.pullRows(flat, 1, idx);
        long[] shape = a.shape().clone();
        shape[0] = idx.length;
        return out.reshape('c', shape);
    }

    /** The first {@code n} samples (all if there are fewer). */
    public Dataset head(long n) {
        if (n >= size) {
            return this;
        }
        int[] idx = new int[(int) n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return rows(idx);
    }

    /**
     * Splits off a seeded random {@code fraction} of the samples: {@code [rest, held out]}, each in the
     * original order.
     */
    public Dataset[] split(double fraction, long seed) {
        int[] perm = permutation((int) size, new SplittableRandom(seed));
        int held = (int) Math.round(size * fraction);
        if (held < 1 || held >= size) {
            throw new HamuxException("split " + fraction + " of the " + size + " samples of " + source + " holds out "
                    + held + " of them: keep at least one on each side (a split between " + (1.0 / size) + " and "
                    + (1 - 1.0 / size) + ")");
        }
        int[] test = Arrays.copyOf(perm, held);
        int[] train = Arrays.copyOfRange(perm, held, perm.length);
        Arrays.sort(test);
        Arrays.sort(train);
        return new Dataset[] {rows(train), rows(test)};
    }

    /** A Fisher-Yates permutation of {@code 0..n-1}. */
    public static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

package org.hamux.viz;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hamux.core.io.AtomicFile;

/**
 * A notebook's results as a Markdown page that can be read without running it: its text, the lines it printed (also
 * printed on stdout as they come), its tables and its figures, in order. {@link #write} writes the page whole or not
 * at all; figures are linked by their path relative to the page.
 *
 * <pre>  Report r = new Report("Binary Dense Associative Memory");
 *  r.text("Store K binarised images ...");
 *  r.println("recovered %d/%d", k, n);
 *  r.table(List.of("K", "n = 2", "n = 6"), rows);
 *  r.figure(png, "queries, retrieved, stored");
 *  r.write(out.resolve("binary-dense-storage.md"));</pre>
 */
public final class Report {

    private final String title;
    private final List<String> blocks = new ArrayList<>();
    private final List<Path> figures = new ArrayList<>();
    private final List<Integer> figureBlocks = new ArrayList<>();
    private StringBuilder printed;

    public Report(String title) {
        this.title = title;
    }

    /** A paragraph of Markdown. */
    public Report text(String markdown) {
        endPrinted();
        blocks.add(markdown.strip());
        return this;
    }

    /** A section heading. */
    public Report heading(String heading) {
        return text("## " + heading);
    }

    /** A printed line: on stdout now, in a code block of the page. */
    public Report println(String format, Object... args) {
        String line = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        System.out.println(line);
        if (printed == null) {
            printed = new StringBuilder();
        }
        printed.append(line).append('\n');
        return this;
    }

    /** A table: printed aligned on stdout, a Markdown table on the page. */
    public Report table(List<String> header, List<List<Object>> rows) {
        endPrinted();
        int[] w = new int[header.size()];
        List<List<String>> cells = new ArrayList<>();
        cells.add(header);
        for (List<Object> r : rows) {
            cells.add(r.stream().map(Report::cell).toList());
        }
        for (List<String> r : cells) {
            for (int i = 0; i < r.size(); i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder md = new StringBuilder();
        for (int k = 0; k < cells.size(); k++) {
            List<String> r = cells.get(k);
            StringBuilder line = new StringBuilder();
            md.append('|');
            for (int i = 0; i < r.size(); i++) {
                line.append(String.format("%-" + (w[i] + 2) + "s", r.get(i)));
                md.append(' ').append(r.get(i)).append(" |");
            }
            System.out.println(line.toString().stripTrailing());
            md.append('\n');
            if (k == 0) {
                md.append('|').append("---|".repeat(r.size())).append('\n');
            }
        }
        blocks.add(md.toString().strip());
        return this;
    }

    /** A figure already written to {@code png}, with its caption. */
    public Report figure(Path png, String caption) {
        endPrinted();
        System.out.println("figure: " + png + " (" + caption + ")");
        figures.add(png);
        figureBlocks.add(blocks.size());
        blocks.add(caption);
        return this;
    }

    /** Writes the page to {@code file} (the figures linked relative to it), whole or not at all; returns it. */
    public Path write(Path file) {
        endPrinted();
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        for (int i = 0; i < blocks.size(); i++) {
            int f = figureBlocks.indexOf(i);
            if (f >= 0) {
                Path parent = file.toAbsolutePath().getParent();
                Path png = figures.get(f).toAbsolutePath();
                String link = parent.relativize(png).toString().replace('\\', '/');
                md.append("![").append(blocks.get(i)).append("](").append(link).append(")\n\n*")
                        .append(blocks.get(i)).append("*\n\n");
            } else {
                md.append(blocks.get(i)).append("\n\n");
            }
        }
        AtomicFile.writeString(file, md.toString().strip() + "\n");
        System.out.println("page: " + file);
        return file;
    }

    private void endPrinted() {
        if (printed != null) {
            blocks.add("```\n" + printed.toString().stripTrailing() + "\n```");
            printed = null;
        }
    }

    private static String cell(Object v) {
        if (v instanceof Double d) {
            if (Math.abs(d) >= 1e5 || (d != 0 && Math.abs(d) < 1e-3)) {
                return String.format(Locale.ROOT, "%.3g", d);
            }
            String s = String.format(Locale.ROOT, "%.3f", d);
            return s.replaceAll("0+$", "").replaceAll("\\.$", "");  // 0.500 -> 0.5, 12.000 -> 12
        }
        return String.valueOf(v);
    }
}

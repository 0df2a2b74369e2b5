package org.hamux.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.hamux.core.HamuxException;
import org.hamux.core.io.AtomicFile;

/**
 * Line charts as PNG, for figures a person would rather look at than read (timings against a size, a loss
 * against the epoch). Several panels side by side, each with named series of points; axes linear or
 * logarithmic (base 10). Written whole or not at all.
 */
public final class LinePlot {

    /** Size of one panel in pixels. */
    public static final int PANEL_WIDTH = 480;
    public static final int PANEL_HEIGHT = 360;
    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_RIGHT = 20;
    private static final int MARGIN_TOP = 36;
    private static final int MARGIN_BOTTOM = 50;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    /** One line: a name for the legend and its points (x ascending). */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length || x.length == 0) {
                throw new HamuxException("series '" + name + "' needs as many x as y values, at least one");
            }
        }
    }

    /** One chart: a title, axis labels, whether each axis is logarithmic, and its series. */
    public record Panel(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {
    }

    private LinePlot() {
    }

    /** Draws {@code panels} side by side into the PNG {@code file}. */
    public static void writePng(Path file, List<Panel> panels) {
        if (panels.isEmpty()) {
            throw new HamuxException("cannot write " + file + ": no panels to draw");
        }
        BufferedImage img = new BufferedImage(PANEL_WIDTH * panels.size(), PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        gr.setColor(Color.WHITE);
        gr.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int p = 0; p < panels.size(); p++) {
            draw(gr, panels.get(p), p * PANEL_WIDTH);
        }
        gr.dispose();
        AtomicFile.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new HamuxException("no PNG writer available");
            }
        });
    }

    private static void draw(Graphics2D gr, Panel p, int left) {
        double[] xr = range(p.series(), true, p.logX());
        double[] yr = range(p.series(), false, p.logY());
        int x0 = left + MARGIN_LEFT;
        int x1 = left + PANEL_WIDTH - MARGIN_RIGHT;
        int y0 = PANEL_HEIGHT - MARGIN_BOTTOM;
        int y1 = MARGIN_TOP;
        gr.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = gr.getFontMetrics();
        gr.setColor(Color.BLACK);
        gr.drawString(p.title(), left + (PANEL_WIDTH - fm.stringWidth(p.title())) / 2, MARGIN_TOP - 14);
        gr.drawString(p.xLabel(), (x0 + x1 - fm.stringWidth(p.xLabel())) / 2, PANEL_HEIGHT - 10);
        gr.rotate(-Math.PI / 2);
        gr.drawString(p.yLabel(), -(y0 + y1 + fm.stringWidth(p.yLabel())) / 2, left + 16);
        gr.rotate(Math.PI / 2);
        gr.drawRect(x0, y1, x1 - x0, y0 - y1);
        for (double t : ticks(xr, p.logX())) {
            int px = (int) Math.round(map(t, xr, p.logX(), x0, x1));
            gr.setColor(new Color(0xdddddd));
            gr.drawLine(px, y0, px, y1);
            gr.setColor(Color.BLACK);
            String s = label(t);
            gr.drawString(s, px - fm.stringWidth(s) / 2, y0 + 16);
        }
        for (double t : ticks(yr, p.logY())) {
            int py = (int) Math.round(map(t, yr, p.logY(), y0, y1));
            gr.setColor(new Color(0xdddddd));
            gr.drawLine(x0, py, x1, py);
            gr.setColor(Color.BLACK);
            String s = label(t);
            gr.drawString(s, x0 - 6 - fm.stringWidth(s), py + 4);
        }
        gr.setStroke(new BasicStroke(2f));
        for (int i = 0; i < p.series().size(); i++) {
            Series s = p.series().get(i);
            gr.setColor(COLORS[i % COLORS.length]);
            int prevX = 0;
            int prevY = 0;
            for (int k = 0; k < s.x().length; k++) {
                int px = (int) Math.round(map(s.x()[k], xr, p.logX(), x0, x1));
                int py = (int) Math.round(map(s.y()[k], yr, p.logY(), y0, y1));
                gr.fillOval(px - 3, py - 3, 7, 7);
                if (k > 0) {
                    gr.drawLine(prevX, prevY, px, py);
                }
                prevX = px;
                prevY = py;
            }
            int ly = y1 + 16 + 16 * i;
            gr.drawLine(x0 + 10, ly - 4, x0 + 30, ly - 4);
            gr.setColor(Color.BLACK);
            gr.drawString(s.name(), x0 + 36, ly);
        }
        gr.setStroke(new BasicStroke(1f));
    }

    /** {@code [min, max]} of the x or y values, in log10 where asked, padded when flat. */
    private static double[] range(List<Series> series, boolean x, boolean log) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : x ? s.x() : s.y()) {
                if (log && !(v > 0)) {
                    throw new HamuxException("a logarithmic axis needs positive values, got " + v + " in '" + s.name() + "'");
                }
                double t = log ? Math.log10(v) : v;
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
        }
        if (hi - lo < 1e-12) {
            lo -= 0.5;
            hi += 0.5;
        }
        double pad = 0.05 * (hi - lo);
        return new double[] {lo - pad, hi + pad};
    }

    private static double map(double v, double[] r, boolean log, int p0, int p1) {
        double t = log ? Math.log10(v) : v;
        return p0 + (t - r[0]) / (r[1] - r[0]) * (p1 - p0);
    }

    /** Powers of ten (log) or about six round numbers (linear) within the range. */
    private static List<Double> ticks(double[] r, boolean log) {
        List<Double> t = new ArrayList<>();
        if (log) {
            for (int e = (int) Math.ceil(r[0]); e <= Math.floor(r[1]); e++) {
                t.add(Math.pow(10, e));
            }
            if (t.size() < 2) {
                for (int e = (int) Math.floor(r[0]); e <= Math.ceil(r[1]); e++) {
                    for (int m : new int[] {2, 5}) {
                        double v = m * Math.pow(10, e);
                        if (Math.log10(v) >= r[0] && Math.log10(v) <= r[1]) {
                            t.add(v);
                        }
                    }
                }
            }
            return t;
        }
        double step = Math.pow(10, Math.floor(Math.log10((r[1] - r[0]) / 5)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if ((r[1] - r[0]) / (step * m) <= 7) {
                step *= m;
                break;
            }
        }
        for (double v = Math.ceil(r[0] / step) * step; v <= r[1]; v += step) {
            t.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return t;
    }

    private static String label(double v) {
        if (v != 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-2)) {
            return String.format(Locale.ROOT, "%.0e", v);
        }
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}

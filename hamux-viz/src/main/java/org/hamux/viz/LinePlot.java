package org.hamux.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.hamux.core.HamuxException;
import org.hamux.core.io.AtomicFile;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts, drawn by XChart, for figures a person would rather look at than read (the energy against the step, a
 * loss against the epoch, timings against a size): several panels side by side as one PNG, or one panel as SVG. Each
 * panel has named series of points (in the legend) and unnamed ones (thin grey lines, e.g. one per sample); axes linear
 * or logarithmic. Written whole or not at all.
 */
public final class LinePlot {

    /** Size of one panel in pixels. */
    public static final int PANEL_WIDTH = 480;
    public static final int PANEL_HEIGHT = 360;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};
    private static final Color GREY = new Color(0, 0, 0, 60);
    /** Series with at most this many points are drawn with a marker on every point. */
    private static final int MARKED_POINTS = 40;

    /** How a series is drawn: a line, small points (e.g. the samples of one cluster), or large marks (e.g. memories). */
    public enum Style { LINE, POINTS, MARKS }

    /** One series: its name in the legend (null: an unnamed thin grey line), its points (x ascending for a line), its style. */
    public record Series(String name, double[] x, double[] y, Style style) {
        public Series {
            if (x.length != y.length || x.length == 0) {
                throw new HamuxException("series '" + name + "' needs as many x as y values, at least one");
            }
        }

        /** A line. */
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, Style.LINE);
        }

        /** Points without a line, in any order, e.g. the samples of one cluster. */
        public static Series scatter(String name, double[] x, double[] y) {
            return new Series(name, x, y, Style.POINTS);
        }

        /** Large black diamonds, e.g. the memories among the samples. */
        public static Series marks(String name, double[] x, double[] y) {
            return new Series(name, x, y, Style.MARKS);
        }

        /** A thin grey line without a legend entry, e.g. one sample's curve among many. */
        public static Series unnamed(double[] x, double[] y) {
            return new Series(null, x, y);
        }
    }

    /** One chart: a title, axis labels, whether each axis is logarithmic, and its series. */
    public record Panel(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {
    }

    private LinePlot() {
    }

    /** Draws {@code panels} side by side into the PNG {@code file}. */
    public static void writePng(Path file, List<Panel> panels) {
        AtomicFile.write(file, png(panels));
    }

    /** {@code panels} side by side as a PNG, for an {@link org.hamux.core.io.OutputSet} or {@link AtomicFile}. */
    public static AtomicFile.Writer png(List<Panel> panels) {
        if (panels.isEmpty()) {
            throw new HamuxException("cannot draw a plot without panels");
        }
        BufferedImage img = new BufferedImage(PANEL_WIDTH * panels.size(), PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        for (int p = 0; p < panels.size(); p++) {
            gr.drawImage(BitmapEncoder.getBufferedImage(chart(panels.get(p))), p * PANEL_WIDTH, 0, null);
        }
        gr.dispose();
        return out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new HamuxException("no PNG writer available");
            }
        };
    }

    /** One panel as SVG. */
    public static AtomicFile.Writer svg(Panel panel) {
        XYChart chart = chart(panel);
        return out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    /** The XChart chart of one panel; a logarithmic axis refuses values that are not positive. */
    static XYChart chart(Panel p) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(p.title())
                .xAxisTitle(p.xLabel()).yAxisTitle(p.yLabel()).build();
        var st = chart.getStyler();
        st.setXAxisLogarithmic(p.logX());
        st.setYAxisLogarithmic(p.logY());
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(true);
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setLegendBorderColor(Color.LIGHT_GRAY);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        int named = 0;
        for (int i = 0; i < p.series().size(); i++) {
            Series s = p.series().get(i);
            for (int k = 0; k < s.x().length; k++) {
                if ((p.logX() && !(s.x()[k] > 0)) || (p.logY() && !(s.y()[k] > 0))) {
                    throw new HamuxException("a logarithmic axis needs positive values, got " + (p.logX() && !(s.x()[k] > 0)
                            ? s.x()[k] : s.y()[k]) + " in " + (s.name() == null ? "series " + i : "'" + s.name() + "'"));
                }
            }
            XYSeries xy = chart.addSeries(s.name() == null ? "\u200b".repeat(i + 1) : s.name(), s.x(), s.y());
            if (s.name() == null) {
                xy.setShowInLegend(false);
                xy.setLineColor(GREY);
                xy.setLineStyle(new BasicStroke(1f));
                xy.setMarker(SeriesMarkers.NONE);
            } else if (s.style() != Style.LINE) {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                boolean marks = s.style() == Style.MARKS;
                xy.setMarkerColor(marks ? Color.BLACK : COLORS[named++ % COLORS.length]);
                xy.setMarker(marks ? new LargeDiamond() : SeriesMarkers.CIRCLE);
            } else {
                Color c = COLORS[named++ % COLORS.length];
                xy.setLineColor(c);
                xy.setMarkerColor(c);
                xy.setLineStyle(new BasicStroke(2f));
                xy.setMarker(s.x().length <= MARKED_POINTS ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            }
        }
        return chart;
    }

    /** A diamond twice XChart's marker size. */
    private static final class LargeDiamond extends org.knowm.xchart.style.markers.Marker {
        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            double r = size;
            java.awt.geom.Path2D.Double d = new java.awt.geom.Path2D.Double();
            d.moveTo(x, y - r);
            d.lineTo(x + r, y);
            d.lineTo(x, y + r);
            d.lineTo(x - r, y);
            d.closePath();
            g.fill(d);
        }
    }
}

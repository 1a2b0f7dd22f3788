package dev.jettison.sim.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts via JFreeChart, one per reproduced figure; headless. */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};
    public static final int WIDTH = 900;
    public static final int HEIGHT = 560;

    private Charts() {
    }

    /** A named series of (x, y) points. */
    public record Series(String name, double[] x, double[] y) {
    }

    public enum Style { LINES, POINTS, LINES_AND_POINTS }

    public static final class Spec {
        final String title;
        final String xLabel;
        final String yLabel;
        final Map<String, Series> series = new LinkedHashMap<>();
        Style style = Style.LINES;
        boolean logX;
        boolean logY;
        String subtitle;

        public Spec(String title, String xLabel, String yLabel) {
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
        }

        public Spec add(Series s) {
            series.put(s.name(), s);
            return this;
        }

        public Spec add(String name, double[] x, double[] y) {
            return add(new Series(name, x, y));
        }

        public Spec style(Style s) {
            this.style = s;
            return this;
        }

        public Spec logX() {
            this.logX = true;
            return this;
        }

        public Spec logY() {
            this.logY = true;
            return this;
        }

        public Spec subtitle(String s) {
            this.subtitle = s;
            return this;
        }
    }

    public static void write(Spec spec, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : spec.series.values()) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                if (spec.logY && s.y()[i] <= 0) continue;
                if (spec.logX && s.x()[i] <= 0) continue;
                xy.add(s.x()[i], s.y()[i]);
            }
            data.addSeries(xy);
        }
        NumberAxis x = spec.logX ? new LogarithmicAxis(spec.xLabel) : new NumberAxis(spec.xLabel);
        NumberAxis y = spec.logY ? new LogarithmicAxis(spec.yLabel) : new NumberAxis(spec.yLabel);
        x.setAutoRangeIncludesZero(false);
        y.setAutoRangeIncludesZero(!spec.logY);
        boolean lines = spec.style != Style.POINTS;
        boolean shapes = spec.style != Style.LINES;
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(lines, shapes);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesPaint(i, COLOURS[i % COLOURS.length]);
            r.setSeriesStroke(i, new BasicStroke(2.0f));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(spec.title, new Font("SansSerif", Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (spec.subtitle != null) chart.addSubtitle(new TextTitle(spec.subtitle, new Font("SansSerif", Font.PLAIN, 12)));
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    public static double[] toArray(List<Double> v) {
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) a[i] = v.get(i);
        return a;
    }
}

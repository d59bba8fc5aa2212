package dev.segstream.trainer.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A small line chart drawn with Java2D: white background, axes with 1-2-5 ticks and grid, axis
 * labels, a title, one coloured line with point markers per series and a legend. NaN values
 * break a line. Enough for training curves, with no plotting library.
 */
public final class LinePlot {

    /** One line: {@code x[i], y[i]} pairs drawn in {@code colour}. */
    public record Series(String name, Color colour, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + " has " + x.length + " x and " + y.length + " y");
            }
        }
    }

    /** Background colour of the whole image. */
    public static final Color BACKGROUND = Color.WHITE;
    private static final Color GRID = new Color(225, 225, 225);
    private static final int LEFT = 72;
    private static final int RIGHT = 16;
    private static final int TOP = 40;
    private static final int BOTTOM = 56;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a line; returns this plot. */
    public LinePlot add(Series s) {
        series.add(s);
        return this;
    }

    /** Renders the chart at {@code width x height} pixels. */
    public BufferedImage render(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int legendWidth = legendWidth(g.getFontMetrics());
            int pw = width - LEFT - RIGHT - legendWidth;
            int ph = height - TOP - BOTTOM;
            if (pw < 40 || ph < 40) {
                throw new IllegalArgumentException("plot of " + width + "x" + height + " is too small");
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            Axis xa = Axis.of(values(true), false, integers(values(true)));
            Axis ya = Axis.of(values(false), true, false);
            drawAxes(g, xa, ya, pw, ph, width, height);
            for (Series s : series) {
                drawSeries(g, s, xa, ya, pw, ph);
            }
            drawLegend(g, LEFT + pw + 12);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Renders and writes a PNG (parent folders created). */
    public void write(Path png, int width, int height) {
        try {
            if (png.getParent() != null) {
                Files.createDirectories(png.getParent());
            }
            ImageIO.write(render(width, height), "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    private List<Double> values(boolean x) {
        List<Double> out = new ArrayList<>();
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    out.add(x ? s.x()[i] : s.y()[i]);
                }
            }
        }
        return out;
    }

    private void drawAxes(Graphics2D g, Axis xa, Axis ya, int pw, int ph, int width, int height) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double t : ya.ticks()) {
            int y = TOP + ph - (int) Math.round(ya.scale(t) * ph);
            g.setColor(GRID);
            g.drawLine(LEFT, y, LEFT + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(LEFT - 5, y, LEFT, y);
            String label = ya.format(t);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
        }
        for (double t : xa.ticks()) {
            int x = LEFT + (int) Math.round(xa.scale(t) * pw);
            g.setColor(GRID);
            g.drawLine(x, TOP, x, TOP + ph);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(x, TOP + ph, x, TOP + ph + 5);
            String label = xa.format(t);
            g.drawString(label, x - fm.stringWidth(label) / 2, TOP + ph + 8 + fm.getAscent());
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString(xLabel, LEFT + pw / 2 - fm.stringWidth(xLabel) / 2, height - 12);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString(yLabel, -(TOP + ph / 2) - fm.stringWidth(yLabel) / 2, 16);
        r.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        fm = g.getFontMetrics();
        g.drawString(title, width / 2 - fm.stringWidth(title) / 2, TOP - 14);
    }

    private static void drawSeries(Graphics2D g, Series s, Axis xa, Axis ya, int pw, int ph) {
        g.setColor(s.colour());
        g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Double line = new Path2D.Double();
        boolean open = false;
        for (int i = 0; i < s.x().length; i++) {
            if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
                open = false;
                continue;
            }
            double px = LEFT + xa.scale(s.x()[i]) * pw;
            double py = TOP + ph - ya.scale(s.y()[i]) * ph;
            if (open) {
                line.lineTo(px, py);
            } else {
                line.moveTo(px, py);
                open = true;
            }
            g.fillOval((int) Math.round(px) - 4, (int) Math.round(py) - 4, 9, 9);
        }
        g.draw(line);
        g.setStroke(new BasicStroke(1f));
    }

    private static boolean integers(List<Double> v) {
        return !v.isEmpty() && v.stream().allMatch(d -> d == Math.rint(d));
    }

    /** Width of the legend box plus its gap to the plot. */
    private int legendWidth(FontMetrics fm) {
        int textWidth = 0;
        for (Series s : series) {
            textWidth = Math.max(textWidth, fm.stringWidth(s.name()));
        }
        return textWidth + 40 + 12;
    }

    private void drawLegend(Graphics2D g, int x0) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int rowH = fm.getHeight() + 2;
        int boxW = legendWidth(fm) - 12;
        int boxH = rowH * series.size() + 8;
        int y0 = TOP;
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRect(x0, y0, boxW, boxH);
        g.setColor(Color.GRAY);
        g.drawRect(x0, y0, boxW, boxH);
        for (int i = 0; i < series.size(); i++) {
            int y = y0 + 4 + i * rowH + rowH / 2;
            g.setColor(series.get(i).colour());
            g.fillRect(x0 + 6, y - 2, 22, 4);
            g.setColor(Color.BLACK);
            g.drawString(series.get(i).name(), x0 + 34, y + fm.getAscent() / 2 - 1);
        }
    }
}

package dev.segstream.trainer.report;

import dev.segstream.core.data.CamVidClasses;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A grid of frames, one row each: image | ground truth | prediction in CamVid colours, then,
 * for attention U-Nets, one column per gate level with the gate coefficients as a heat map
 * blended over the image. Cells are drawn at {@value #SCALE}x; a class-colour legend sits below.
 */
public final class PredictionPanel {

    /** Magnification of every cell. */
    public static final int SCALE = 2;
    /** Pixels between cells and around the grid. */
    public static final int GAP = 4;
    /** Height of the title band, column headers included. */
    public static final int HEADER = 44;
    private static final int SWATCH = 14;

    /**
     * One frame's row.
     *
     * @param image      the RGB frame
     * @param truth      ground-truth class per pixel, row-major (11 = void)
     * @param prediction predicted class per pixel, row-major
     * @param gates      attention coefficients per level at image resolution, values in [0, 1]; empty if none
     */
    public record Row(BufferedImage image, byte[] truth, byte[] prediction, List<float[]> gates) {
    }

    private PredictionPanel() {
    }

    /** Height of the legend for a panel {@code width} wide. */
    static int legendHeight(int width, FontMetrics fm) {
        int rows = 1;
        int x = GAP;
        for (String name : CamVidClasses.NAMES) {
            int w = SWATCH + 6 + fm.stringWidth(name) + 14;
            if (x + w > width - GAP) {
                rows++;
                x = GAP;
            }
            x += w;
        }
        return rows * (SWATCH + 8) + GAP;
    }

    /** Draws the panel; every row's image must have the size of the first. */
    public static BufferedImage render(String title, List<Row> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a panel needs at least one row");
        }
        int w = rows.get(0).image().getWidth();
        int h = rows.get(0).image().getHeight();
        int gates = rows.get(0).gates().size();
        List<String> headers = new ArrayList<>(List.of("image", "ground truth", "prediction"));
        for (int l = 0; l < gates; l++) {
            headers.add("gate level " + l + " (1/" + (1 << l) + ")");
        }
        int cw = w * SCALE;
        int ch = h * SCALE;
        int width = GAP + headers.size() * (cw + GAP);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        FontMetrics fm = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(font);
        int legendTop = HEADER + rows.size() * (ch + GAP) + GAP;
        int height = legendTop + legendHeight(width, fm);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(font.deriveFont(Font.BOLD, 14f));
            g.drawString(title, GAP, 18);
            g.setFont(font);
            for (int c = 0; c < headers.size(); c++) {
                g.drawString(headers.get(c), GAP + c * (cw + GAP), HEADER - 8);
            }
            for (int r = 0; r < rows.size(); r++) {
                Row row = rows.get(r);
                if (row.image().getWidth() != w || row.image().getHeight() != h) {
                    throw new IllegalArgumentException("row " + r + " is " + row.image().getWidth() + "x"
                            + row.image().getHeight() + ", the panel's frames are " + w + "x" + h);
                }
                int y = HEADER + r * (ch + GAP);
                List<BufferedImage> cells = new ArrayList<>(List.of(row.image(), classImage(row.truth(), w, h),
                        classImage(row.prediction(), w, h)));
                for (float[] gate : row.gates()) {
                    cells.add(heatOverlay(row.image(), gate));
                }
                for (int c = 0; c < cells.size(); c++) {
                    g.drawImage(cells.get(c), GAP + c * (cw + GAP), y, cw, ch, null);
                }
            }
            drawLegend(g, fm, legendTop, width);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Renders and writes a PNG (parent folders created). */
    public static void write(Path png, String title, List<Row> rows) {
        try {
            if (png.getParent() != null) {
                Files.createDirectories(png.getParent());
            }
            ImageIO.write(render(title, rows), "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    /** Class indices painted in CamVid colours. */
    public static BufferedImage classImage(byte[] classes, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = CamVidClasses.colour(classes[i] & 0xff);
        }
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    /** The image blended half and half with a blue-to-red heat map of {@code values} (0..1). */
    public static BufferedImage heatOverlay(BufferedImage image, float[] values) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                int heat = heat(values[y * w + x]);
                int r = (((p >> 16) & 0xff) + ((heat >> 16) & 0xff)) / 2;
                int gr = (((p >> 8) & 0xff) + ((heat >> 8) & 0xff)) / 2;
                int b = ((p & 0xff) + (heat & 0xff)) / 2;
                out.setRGB(x, y, r << 16 | gr << 8 | b);
            }
        }
        return out;
    }

    /** Jet-like colour map: 0 dark blue, 0.5 green-yellow, 1 dark red. */
    static int heat(float v) {
        float t = Math.max(0f, Math.min(1f, Float.isNaN(v) ? 0f : v));
        float r = clamp(1.5f - Math.abs(4 * t - 3));
        float g = clamp(1.5f - Math.abs(4 * t - 2));
        float b = clamp(1.5f - Math.abs(4 * t - 1));
        return Math.round(r * 255) << 16 | Math.round(g * 255) << 8 | Math.round(b * 255);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    private static void drawLegend(Graphics2D g, FontMetrics fm, int top, int width) {
        int x = GAP;
        int y = top;
        for (int c = 0; c < CamVidClasses.NAMES.size(); c++) {
            String name = CamVidClasses.NAMES.get(c);
            int w = SWATCH + 6 + fm.stringWidth(name) + 14;
            if (x + w > width - GAP) {
                x = GAP;
                y += SWATCH + 8;
            }
            g.setColor(new Color(CamVidClasses.colour(c)));
            g.fillRect(x, y, SWATCH, SWATCH);
            g.setColor(Color.GRAY);
            g.drawRect(x, y, SWATCH, SWATCH);
            g.setColor(Color.BLACK);
            g.drawString(name, x + SWATCH + 6, y + SWATCH - 2);
            x += w;
        }
    }
}

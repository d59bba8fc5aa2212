package dev.segstream.trainer.data;

import dev.segstream.core.data.CamVidLayout;
import dev.segstream.core.wire.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * One split of a CamVid-layout folder, read once into memory: RGB bytes and label bytes, all
 * frames of one size. {@link #normalise} turns the pixels into the float NCHW arrays training
 * and evaluation slice batches from.
 */
public final class CamVidData {

    private final String name;
    private final String split;
    private final int count;
    private final int width;
    private final int height;
    private final byte[] rgb;
    private final byte[] labels;
    private final String listSha256;
    /** Per frame, the CamVid sequence (camera drive) its file name starts with. */
    private final String[] sequences;

    private CamVidData(String name, String split, int count, int width, int height, byte[] rgb, byte[] labels,
                       String listSha256, String[] sequences) {
        this.name = name;
        this.split = split;
        this.count = count;
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        this.labels = labels;
        this.listSha256 = listSha256;
        this.sequences = sequences;
    }

    /**
     * Reads {@code split} of {@code root}, at most {@code limit} frames (0 = all).
     *
     * @throws IllegalArgumentException when the split is missing or empty, a mask is missing, or
     *                                  frames differ in size
     */
    public static CamVidData read(Path root, String split, int limit) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("data folder " + root + " does not exist");
        }
        CamVidLayout layout = new CamVidLayout(root);
        List<CamVidLayout.Entry> entries = layout.entries(split);
        if (limit > 0 && entries.size() > limit) {
            entries = entries.subList(0, limit);
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("split '" + split + "' of " + root + " lists no frames");
        }
        int n = entries.size();
        int w = -1;
        int h = -1;
        byte[] rgb = null;
        byte[] labels = null;
        String[] sequences = new String[n];
        for (int i = 0; i < n; i++) {
            CamVidLayout.Entry e = entries.get(i);
            sequences[i] = sequenceOf(e.image());
            if (e.mask() == null) {
                throw new IllegalArgumentException("frame " + e.image() + " has no ground-truth mask");
            }
            RgbImage im = RgbImage.of(readImage(e.image()));
            BufferedImage mask = readImage(e.mask());
            if (w < 0) {
                w = im.width();
                h = im.height();
                rgb = new byte[n * w * h * 3];
                labels = new byte[n * w * h];
            }
            if (im.width() != w || im.height() != h || mask.getWidth() != w || mask.getHeight() != h) {
                throw new IllegalArgumentException("all frames and masks must be " + w + "x" + h + " but "
                        + e.image().getFileName() + " is " + im.width() + "x" + im.height() + " with a "
                        + mask.getWidth() + "x" + mask.getHeight() + " mask");
            }
            System.arraycopy(im.rgb(), 0, rgb, i * w * h * 3, w * h * 3);
            Raster r = mask.getRaster();
            int[] px = r.getSamples(0, 0, w, h, 0, (int[]) null);
            int off = i * w * h;
            for (int j = 0; j < px.length; j++) {
                labels[off + j] = (byte) px[j];
            }
        }
        return new CamVidData(root.getFileName().toString(), split, n, w, h, rgb, labels,
                sha256(root.resolve(split + ".txt")), sequences);
    }

    /**
     * The sequence of a CamVid frame: its file name up to the first underscore ({@code 0001TP},
     * {@code 0006R0}, {@code 0016E5}, {@code Seq05VD}: one camera drive each), or the whole name
     * without extension when it has none.
     */
    public static String sequenceOf(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        int cut = stem.indexOf('_');
        return cut > 0 ? stem.substring(0, cut) : stem;
    }

    /** The sequence (camera drive) of frame {@code frame}. */
    public String sequence(int frame) {
        return sequences[frame];
    }

    /**
     * A new in-memory split named {@code split}: the frames of {@code parts}, in order, whose
     * sequence {@code keep} accepts, at most {@code limit} (0 = all).
     *
     * @throws IllegalArgumentException when no frame is kept or the parts differ in frame size
     */
    public static CamVidData select(String split, List<CamVidData> parts, java.util.function.Predicate<String> keep,
                                    int limit) {
        CamVidData first = parts.get(0);
        int plane = first.width * first.height;
        java.io.ByteArrayOutputStream rgb = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream labels = new java.io.ByteArrayOutputStream();
        List<String> sequences = new java.util.ArrayList<>();
        StringBuilder lists = new StringBuilder(split);
        for (CamVidData part : parts) {
            if (part.width != first.width || part.height != first.height) {
                throw new IllegalArgumentException("splits " + first.split + " and " + part.split + " differ in size");
            }
            lists.append(' ').append(part.split).append('=').append(part.listSha256);
            for (int f = 0; f < part.count && (limit == 0 || sequences.size() < limit); f++) {
                if (keep.test(part.sequences[f])) {
                    rgb.write(part.rgb, f * plane * 3, plane * 3);
                    labels.write(part.labels, f * plane, plane);
                    sequences.add(part.sequences[f]);
                }
            }
        }
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("split '" + split + "' would hold no frames");
        }
        return new CamVidData(first.name, split, sequences.size(), first.width, first.height, rgb.toByteArray(),
                labels.toByteArray(), sha256(lists.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                sequences.toArray(String[]::new));
    }

    private static BufferedImage readImage(Path p) {
        try {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new IllegalArgumentException("not a readable image: " + p);
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    private static String sha256(Path p) {
        try {
            return sha256(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int count() {
        return count;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public String split() {
        return split;
    }

    /** Frame {@code frame} as an RGB image. */
    public BufferedImage image(int frame) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[width * height];
        int off = frame * width * height * 3;
        for (int i = 0; i < px.length; i++) {
            int o = off + i * 3;
            px[i] = (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff);
        }
        img.setRGB(0, 0, width, height, px, 0, width);
        return img;
    }

    /** Ground-truth labels of frame {@code frame}, row-major. */
    public byte[] labels(int frame) {
        int plane = width * height;
        return java.util.Arrays.copyOfRange(labels, frame * plane, (frame + 1) * plane);
    }

    /** RGB bytes of all frames, frame-major, interleaved ({@code count * height * width * 3}). */
    byte[] rgb() {
        return rgb;
    }

    /** Labels of all frames, frame-major ({@code count * height * width}). */
    public byte[] labels() {
        return labels;
    }

    /** Fingerprint for the model descriptor: folder, split, count and the list file's hash. */
    public String fingerprint() {
        return name + " split=" + split + " count=" + count + " size=" + width + "x" + height
                + " list_sha256=" + listSha256.substring(0, 16);
    }

    /** Per-channel mean and std of the pixels scaled to [0,1]: {@code {mean[3], std[3]}}. */
    public float[][] channelStats() {
        double[] sum = new double[3];
        double[] sq = new double[3];
        for (int i = 0; i < rgb.length; i += 3) {
            for (int c = 0; c < 3; c++) {
                double v = (rgb[i + c] & 0xff) / 255.0;
                sum[c] += v;
                sq[c] += v * v;
            }
        }
        double n = rgb.length / 3.0;
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
            double m = sum[c] / n;
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(Math.max(sq[c] / n - m * m, 1e-12));
        }
        return new float[][] {mean, std};
    }

    /**
     * Median-frequency class weights (Eigen and Fergus 2015): {@code freq(c)} = pixels of c over
     * pixels of the frames where c occurs, weight = median(freq) / freq(c); 0 for absent classes.
     */
    public float[] medianFrequencyWeights(int classes, int ignoreIndex) {
        long[] pixels = new long[classes];
        long[] support = new long[classes];
        int frame = width * height;
        long[] perFrame = new long[classes];
        for (int f = 0; f < count; f++) {
            java.util.Arrays.fill(perFrame, 0);
            for (int j = f * frame; j < (f + 1) * frame; j++) {
                int l = labels[j] & 0xff;
                if (l != ignoreIndex && l < classes) {
                    perFrame[l]++;
                }
            }
            for (int c = 0; c < classes; c++) {
                if (perFrame[c] > 0) {
                    pixels[c] += perFrame[c];
                    support[c] += frame;
                }
            }
        }
        double[] freq = new double[classes];
        java.util.List<Double> present = new java.util.ArrayList<>();
        for (int c = 0; c < classes; c++) {
            freq[c] = support[c] == 0 ? 0 : (double) pixels[c] / support[c];
            if (freq[c] > 0) {
                present.add(freq[c]);
            }
        }
        java.util.Collections.sort(present);
        int k = present.size();
        double median = k == 0 ? 1 : k % 2 == 1 ? present.get(k / 2) : (present.get(k / 2 - 1) + present.get(k / 2)) / 2;
        float[] w = new float[classes];
        for (int c = 0; c < classes; c++) {
            w[c] = freq[c] > 0 ? (float) (median / freq[c]) : 0f;
        }
        return w;
    }

    /** The frames as normalised float NCHW, frame-major: {@code ((v / 255) - mean) / std}. */
    public float[] normalise(float[] mean, float[] std) {
        int plane = width * height;
        float[] out = new float[count * 3 * plane];
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * std[c]);
            shift[c] = -mean[c] / std[c];
        }
        for (int f = 0; f < count; f++) {
            int src = f * plane * 3;
            int dst = f * plane * 3;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    out[dst + c * plane + p] = (rgb[src + p * 3 + c] & 0xff) * scale[c] + shift[c];
                }
            }
        }
        return out;
    }
}

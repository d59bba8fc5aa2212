package dev.segstream.trainer.study;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.segstream.model.AttentionUNet;
import dev.segstream.model.DjlSegmentationModel;
import dev.segstream.model.GradMode;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.trainer.data.BatchMaker;
import dev.segstream.trainer.data.CamVidData;
import dev.segstream.trainer.report.PredictionPanel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a trained model over a few fixed frames of a split and draws the prediction panel:
 * image | ground truth | prediction, plus the attention gates of an attention U-Net.
 */
public final class PanelMaker {

    private PanelMaker() {
    }

    /** {@code count} frame indices evenly spaced over {@code n} frames, starting at 0 (all when n <= count). */
    public static int[] evenlySpaced(int n, int count) {
        int k = Math.min(n, count);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = (int) ((long) i * n / k);
        }
        return out;
    }

    /** Writes the panel of {@code model} on {@code count} evenly spaced frames of {@code data} to {@code png}. */
    public static void write(DjlSegmentationModel model, CamVidData data, int count, Path png) {
        ModelDescriptor d = model.descriptor();
        int[] frames = evenlySpaced(data.count(), count);
        List<PredictionPanel.Row> rows = rows(model.djlModel(), d, data, frames);
        String title = d.variant() + " (" + d.version() + ") on " + data.split() + ": " + frames.length
                + " frames evenly spaced over " + data.count();
        PredictionPanel.write(png, title, rows);
    }

    /** Predictions (and gate maps for attention U-Nets) for {@code frames} of {@code data}. */
    static List<PredictionPanel.Row> rows(Model model, ModelDescriptor d, CamVidData data, int[] frames) {
        GradMode.disable();
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = d.mean().get(c);
            std[c] = d.std().get(c);
        }
        int w = data.width();
        int h = data.height();
        int plane = w * h;
        BatchMaker maker = new BatchMaker(data.normalise(mean, std), data.labels(), w, h, frames.length,
                BatchMaker.multipleOf(model));
        int pw = maker.paddedWidth();
        int ph = maker.paddedHeight();
        List<PredictionPanel.Row> rows = new ArrayList<>();
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray x = maker.make(m, frames, 0, frames.length)[0];
            ParameterStore ps = new ParameterStore(m, false);
            NDArray logits = model.getBlock().forward(ps, new NDList(x), false).head();
            byte[] predicted = logits.argMax(1).toType(DataType.UINT8, false).toByteArray();
            List<float[]> gateLevels = new ArrayList<>();
            List<int[]> gateSizes = new ArrayList<>();
            if (model.getBlock() instanceof AttentionUNet attention) {
                for (NDArray a : attention.attentionMaps(ps, x)) {
                    gateLevels.add(a.toFloatArray());
                    gateSizes.add(new int[] {(int) a.getShape().get(3), (int) a.getShape().get(2)});
                }
            }
            for (int i = 0; i < frames.length; i++) {
                byte[] p = new byte[plane];
                for (int y = 0; y < h; y++) {
                    System.arraycopy(predicted, i * pw * ph + y * pw, p, y * w, w);
                }
                List<float[]> gates = new ArrayList<>();
                for (int l = 0; l < gateLevels.size(); l++) {
                    int gw = gateSizes.get(l)[0];
                    int gh = gateSizes.get(l)[1];
                    gates.add(crop(upsample(gateLevels.get(l), i * gw * gh, gw, gh, pw, ph), pw, w, h));
                }
                rows.add(new PredictionPanel.Row(data.image(frames[i]), data.labels(frames[i]), p, gates));
            }
        }
        return rows;
    }

    /** The top-left {@code w x h} of a map {@code stride} wide. */
    static float[] crop(float[] map, int stride, int w, int h) {
        if (stride == w && map.length == w * h) {
            return map;
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(map, y * stride, out, y * w, w);
        }
        return out;
    }

    /** Bilinear resize of the {@code sw x sh} map at {@code off} of {@code src} to {@code w x h} (pixel centres aligned). */
    static float[] upsample(float[] src, int off, int sw, int sh, int w, int h) {
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            double sy = Math.max(0, Math.min(sh - 1, (y + 0.5) * sh / h - 0.5));
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(sh - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < w; x++) {
                double sx = Math.max(0, Math.min(sw - 1, (x + 0.5) * sw / w - 0.5));
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(sw - 1, x0 + 1);
                double fx = sx - x0;
                double top = src[off + y0 * sw + x0] * (1 - fx) + src[off + y0 * sw + x1] * fx;
                double bottom = src[off + y1 * sw + x0] * (1 - fx) + src[off + y1 * sw + x1] * fx;
                out[y * w + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }
}

package dev.segstream.trainer.training;

import dev.segstream.core.data.CamVidLayout;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.trainer.data.CamVidData;
import dev.segstream.trainer.data.MultiScale;
import dev.segstream.trainer.data.ValidationSplit;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The splits a training run uses, read once and normalised: train, val and, when the folder has
 * one, test (evaluated every epoch so its curves exist). Normalisation statistics come from the
 * train split, or from the checkpoint when resuming so a resumed run sees the same inputs.
 *
 * @param train   training frames
 * @param val     validation frames
 * @param test    test frames, or {@code null} when the folder has no test split
 * @param mean    per-channel mean used to normalise
 * @param std     per-channel std used to normalise
 * @param trainX  normalised train pixels (NCHW, frame-major)
 * @param valX    normalised val pixels
 * @param testX   normalised test pixels, or {@code null}
 * @param weights per-class loss weights, or {@code null} for none
 * @param multiScale training frames re-cut from a higher-resolution copy each epoch, or {@code null}
 */
public record TrainingData(CamVidData train, CamVidData val, CamVidData test, float[] mean, float[] std, float[] trainX,
                    float[] valX, float[] testX, float[] weights, MultiScale multiScale) {

    /** Reads the splits of {@code o.data()} and logs one line about them. */
    static TrainingData load(TrainOptions o, ModelDescriptor resumed, PrintStream log) {
        long t0 = System.nanoTime();
        ValidationSplit.Sides sides = o.valSplit().read(o.data(), o.limit());
        CamVidData train = sides.train();
        CamVidData val = sides.selection();
        String split = sides.description().isEmpty() ? "" : "; " + sides.description();
        CamVidData test = new CamVidLayout(o.data()).splits().contains("test")
                ? CamVidData.read(o.data(), "test", o.limit()) : null;
        float[] mean;
        float[] std;
        if (resumed != null) {
            mean = toArray(resumed.mean());
            std = toArray(resumed.std());
        } else {
            float[][] stats = train.channelStats();
            mean = stats[0];
            std = stats[1];
        }
        float[] weights = o.classWeights().of(train, o.spec().classes());
        MultiScale multiScale = null;
        if (o.multiScaleData() != null) {
            CamVidData hi = o.valSplit().readTrain(o.multiScaleData(), o.limit());
            multiScale = new MultiScale(hi, train, mean, std);
            split += String.format(Locale.ROOT, "; multi-scale from %dx%d (zoom 1-%.2fx)", hi.width(), hi.height(),
                    multiScale.maxZoom());
        }
        TrainingData d = new TrainingData(train, val, test, mean, std, train.normalise(mean, std),
                val.normalise(mean, std), test == null ? null : test.normalise(mean, std), weights, multiScale);
        log.printf(Locale.ROOT, "data: %d train + %d val%s frames of %dx%d loaded in %.1f s; mean %s std %s%s%s%n",
                train.count(), val.count(), test == null ? "" : " + " + test.count() + " test", train.width(),
                train.height(), (System.nanoTime() - t0) / 1e9, fmt(mean), fmt(std),
                weights == null ? "" : "; class weights " + fmt(weights), split);
        return d;
    }

    /** Frames evaluated after each epoch (val plus test). */
    int evalFrames() {
        return val.count() + (test == null ? 0 : test.count());
    }

    public static float[] toArray(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    static List<Float> toList(float[] a) {
        Float[] boxed = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            boxed[i] = a[i];
        }
        return List.of(boxed);
    }

    private static String fmt(float[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", a[i]));
        }
        return sb.append(']').toString();
    }
}

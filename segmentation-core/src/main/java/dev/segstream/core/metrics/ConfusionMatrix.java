package dev.segstream.core.metrics;

import java.util.Arrays;

/**
 * A {@code classes x classes} confusion matrix of pixel counts, rows = truth, columns =
 * prediction. Pixels whose truth is the ignore index (CamVid void) are not counted. Not
 * thread-safe; {@link #merge} combines per-thread matrices.
 */
public final class ConfusionMatrix {

    private final int classes;
    private final int ignoreIndex;
    private final long[] counts;

    /**
     * @param classes     number of classes (predictions and non-ignored truths lie in [0, classes))
     * @param ignoreIndex truth label that is skipped (e.g. 11 for CamVid void); may be outside [0, classes)
     */
    public ConfusionMatrix(int classes, int ignoreIndex) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        this.classes = classes;
        this.ignoreIndex = ignoreIndex;
        this.counts = new long[classes * classes];
    }

    public int classes() {
        return classes;
    }

    public int ignoreIndex() {
        return ignoreIndex;
    }

    /** Counts one pixel (skipped when {@code truth} is the ignore index). */
    public void add(int truth, int predicted) {
        add(truth, predicted, 1);
    }

    /** Counts {@code n} pixels of one (truth, prediction) pair. */
    public void add(int truth, int predicted, long n) {
        if (truth == ignoreIndex) {
            return;
        }
        check(truth, "truth");
        check(predicted, "prediction");
        counts[truth * classes + predicted] += n;
    }

    /**
     * Counts two label maps of unsigned bytes pixel by pixel.
     *
     * @throws IllegalArgumentException when lengths differ or a label is out of range
     */
    public void add(byte[] truth, byte[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " pixels, prediction " + predicted.length);
        }
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i] & 0xff;
            if (t == ignoreIndex) {
                continue;
            }
            int p = predicted[i] & 0xff;
            if (t >= classes || p >= classes) {
                throw new IllegalArgumentException("pixel " + i + ": truth " + t + " / prediction " + p
                        + " outside [0, " + classes + ") and not the ignore index " + ignoreIndex);
            }
            counts[t * classes + p]++;
        }
    }

    /** Adds another matrix of the same shape and ignore index into this one. */
    public ConfusionMatrix merge(ConfusionMatrix other) {
        if (other.classes != classes || other.ignoreIndex != ignoreIndex) {
            throw new IllegalArgumentException("cannot merge a " + other.classes + "-class matrix (ignore "
                    + other.ignoreIndex + ") into a " + classes + "-class one (ignore " + ignoreIndex + ")");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        return this;
    }

    /** Pixels of truth {@code truth} predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        check(truth, "truth");
        check(predicted, "prediction");
        return counts[truth * classes + predicted];
    }

    /** Counted (non-ignored) pixels. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Correct pixels over counted pixels; NaN when nothing was counted. */
    public double pixelAccuracy() {
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += counts[c * classes + c];
        }
        long total = total();
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /**
     * IoU per class, {@code TP / (TP + FP + FN)}; NaN for a class that occurs neither in the
     * truth nor in the predictions (of counted pixels).
     */
    public double[] perClassIou() {
        double[] iou = new double[classes];
        for (int c = 0; c < classes; c++) {
            long tp = counts[c * classes + c];
            long fn = 0;
            long fp = 0;
            for (int k = 0; k < classes; k++) {
                if (k != c) {
                    fn += counts[c * classes + k];
                    fp += counts[k * classes + c];
                }
            }
            long union = tp + fp + fn;
            iou[c] = union == 0 ? Double.NaN : (double) tp / union;
        }
        return iou;
    }

    /** Mean IoU over classes present in truth or prediction; NaN when there are none. */
    public double meanIou() {
        double sum = 0;
        int n = 0;
        for (double v : perClassIou()) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Clears all counts. */
    public void reset() {
        Arrays.fill(counts, 0);
    }

    private void check(int label, String what) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException(what + " " + label + " outside [0, " + classes + ")");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ConfusionMatrix[" + classes + " classes, ignore " + ignoreIndex + "]\n");
        for (int t = 0; t < classes; t++) {
            sb.append(Arrays.toString(Arrays.copyOfRange(counts, t * classes, (t + 1) * classes))).append('\n');
        }
        return sb.toString();
    }
}

package dev.segstream.trainer.training;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.segstream.core.metrics.ConfusionMatrix;
import dev.segstream.model.GradMode;
import dev.segstream.model.TestTimeAugmentation;
import dev.segstream.trainer.data.BatchMaker;
import dev.segstream.trainer.data.CamVidData;

/**
 * Loss and confusion matrix of a model over an in-memory split, in inference mode, optionally with
 * test-time augmentation (the same {@link TestTimeAugmentation} the segmenter applies).
 */
public final class Evaluation {

    /** Results. */
    public record Result(int images, double loss, ConfusionMatrix confusion) {
    }

    private Evaluation() {
    }

    public static Result run(Model model, float[] images, CamVidData data, int classes, int ignoreIndex, int batchSize) {
        return run(model, images, data, classes, ignoreIndex, batchSize, TestTimeAugmentation.NONE);
    }

    /** As {@link #run(Model, float[], CamVidData, int, int, int)}, each batch predicted with {@code tta}. */
    public static Result run(Model model, float[] images, CamVidData data, int classes, int ignoreIndex, int batchSize,
                             TestTimeAugmentation tta) {
        GradMode.disable();
        MaskedCrossEntropy ce = new MaskedCrossEntropy(ignoreIndex, null);
        ConfusionMatrix cm = new ConfusionMatrix(classes, ignoreIndex);
        int n = data.count();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        BatchMaker maker = new BatchMaker(images, data.labels(), data.width(), data.height(), batchSize,
                BatchMaker.multipleOf(model));
        double nllSum = 0;
        double validSum = 0;
        int plane = data.width() * data.height();
        byte[] truth = data.labels();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            try (NDManager bm = model.getNDManager().newSubManager()) {
                NDArray[] xy = maker.make(bm, order, from, to);
                ParameterStore ps = new ParameterStore(bm, false);
                NDArray logits = tta.forward(model.getBlock(), ps, xy[0], data.width(), false);
                NDArray[] sw = ce.sumAndWeight(logits, xy[1]);
                nllSum += sw[0].getFloat();
                validSum += sw[1].getFloat();
                byte[] pred = logits.argMax(1).toType(DataType.UINT8, false).toByteArray();
                byte[] t = maker.padded() ? xy[1].toType(DataType.UINT8, false).toByteArray()
                        : java.util.Arrays.copyOfRange(truth, from * plane, to * plane);
                cm.add(t, pred);
            }
        }
        return new Result(n, validSum == 0 ? Double.NaN : nllSum / validSum, cm);
    }
}

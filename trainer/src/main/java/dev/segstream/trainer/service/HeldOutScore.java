package dev.segstream.trainer.service;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.metrics.ConfusionMatrix;
import dev.segstream.model.GradMode;
import dev.segstream.trainer.data.TrainingSample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model's confusion matrix over the held-out frames, in inference mode, in batches of one size. */
final class HeldOutScore {

    private HeldOutScore() {
    }

    static ConfusionMatrix of(Model model, List<TrainingSample> frames, int batchSize) {
        GradMode.disable();
        ConfusionMatrix cm = new ConfusionMatrix(CamVidClasses.COUNT, CamVidClasses.VOID);
        Map<String, List<TrainingSample>> bySize = new LinkedHashMap<>();
        for (TrainingSample s : frames) {
            bySize.computeIfAbsent(s.sizeKey(), k -> new ArrayList<>()).add(s);
        }
        for (List<TrainingSample> group : bySize.values()) {
            for (int from = 0; from < group.size(); from += batchSize) {
                List<TrainingSample> batch = group.subList(from, Math.min(group.size(), from + batchSize));
                try (NDManager m = model.getNDManager().newSubManager()) {
                    NDArray[] xy = TrainingSample.stack(m, batch);
                    NDArray logits = model.getBlock().forward(new ParameterStore(m, false), new NDList(xy[0]), false)
                            .head();
                    byte[] truth = xy[1].toType(DataType.UINT8, false).toByteArray();
                    cm.add(truth, logits.argMax(1).toType(DataType.UINT8, false).toByteArray());
                }
            }
        }
        return cm;
    }
}

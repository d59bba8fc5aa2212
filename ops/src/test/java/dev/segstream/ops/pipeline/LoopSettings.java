package dev.segstream.ops.pipeline;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.model.store.ModelStoreConfig;
import dev.segstream.trainer.service.TrainerServiceConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Settings the closed-loop tests share: one set of topics per test, a model store, a small fast trainer. */
final class LoopSettings {

    private LoopSettings() {
    }

    /** Broker, no metrics port, every topic suffixed with {@code suffix}, the model store under {@code tmp}. */
    static Map<String, Object> common(String bootstrapServers, String suffix, Path tmp) {
        Map<String, Object> common = new HashMap<>();
        common.put(CommonConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        common.put(CommonConfig.METRICS_PORT, "-1");
        for (String t : List.of("frames", "masks", "labelled", "dlq", "models", "quality")) {
            common.put("topic." + t, t + "-" + suffix);
        }
        common.put(ModelStoreConfig.MODEL_STORE, tmp.resolve("store").toString());
        return common;
    }

    /** A trainer service on vanilla, 4 filters, depth 2, batch 4, on the CPU, in its own group. */
    static Map<String, Object> trainer(Map<String, Object> common, String groupId, int minNewFrames,
                                       double roundSeconds) {
        Map<String, Object> tr = new HashMap<>(common);
        tr.put(TrainerServiceConfig.VARIANTS, "vanilla");
        tr.put(TrainerServiceConfig.FILTERS, "4");
        tr.put(TrainerServiceConfig.DEPTH, "2");
        tr.put(TrainerServiceConfig.DEVICE, "cpu");
        tr.put(TrainerServiceConfig.BATCH_SIZE, "4");
        tr.put(TrainerServiceConfig.ROUND_MIN_NEW_FRAMES, Integer.toString(minNewFrames));
        tr.put(TrainerServiceConfig.ROUND_SECONDS, Double.toString(roundSeconds));
        tr.put(TrainerServiceConfig.GROUP_ID, groupId);
        return tr;
    }
}

package dev.segstream.core.config;

import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;

/** Keys of the topic registry: names, partition count and replication of segstream's topics. */
public final class TopicsConfig {

    public static final String FRAMES_TOPIC = "topic.frames";
    public static final String MASKS_TOPIC = "topic.masks";
    public static final String LABELLED_TOPIC = "topic.labelled";
    public static final String DLQ_TOPIC = "topic.dlq";
    public static final String MODELS_TOPIC = "topic.models";
    public static final String QUALITY_TOPIC = "topic.quality";
    public static final String PARTITIONS = "topic.partitions";
    public static final String REPLICATION_FACTOR = "topic.replication.factor";
    public static final String MAX_MESSAGE_BYTES = "topic.max.message.bytes";

    private TopicsConfig() {
    }

    /** Adds the topic keys to {@code def} and returns it. */
    public static ConfigDef define(ConfigDef def) {
        return def
                .define(FRAMES_TOPIC, Type.STRING, "frames", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Topic of camera frames: key camera id, value PNG or JPEG bytes.")
                .define(MASKS_TOPIC, Type.STRING, "masks", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Topic of segmentation masks: key camera id, value 8-bit PNG of class indices.")
                .define(LABELLED_TOPIC, Type.STRING, "frames.labelled", new ConfigDef.NonEmptyString(),
                        Importance.MEDIUM, "Topic of frames with their ground-truth mask (SGLF container).")
                .define(DLQ_TOPIC, Type.STRING, "frames.dlq", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Dead-letter topic: frames that could not be segmented, with the reason in headers.")
                .define(MODELS_TOPIC, Type.STRING, "models", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Compacted topic of model announcements: key variant, value JSON (version, URI in the model "
                                + "store, sha256, metrics, lineage). One partition, so every reader sees one order.")
                .define(QUALITY_TOPIC, Type.STRING, "quality", new ConfigDef.NonEmptyString(), Importance.LOW,
                        "Topic of live quality: one JSON record per window of labelled frames and model (variant, "
                                + "version, role, frames, mIoU, per-class IoU), key variant.")
                .define(PARTITIONS, Type.INT, 4, Range.atLeast(1), Importance.LOW,
                        "Partitions used when segstream creates its topics.")
                .define(REPLICATION_FACTOR, Type.SHORT, (short) 1, Range.atLeast(1), Importance.LOW,
                        "Replication factor used when segstream creates its topics.")
                .define(MAX_MESSAGE_BYTES, Type.INT, 32 * 1024 * 1024, Range.atLeast(1024), Importance.LOW,
                        "max.message.bytes of created topics: large enough that an oversized frame can still "
                                + "be dead-lettered whole instead of vanishing.");
    }
}

package dev.segstream.core.topic;

import dev.segstream.core.config.TopicsConfig;
import dev.segstream.core.wire.LabelledFrame;
import dev.segstream.core.wire.LabelledFrameSerde;
import dev.segstream.core.wire.ModelAnnouncement;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed, immutable registry of segstream's topics: the only place that knows their names,
 * layout and serdes. Every service takes its topics from here.
 *
 * @param frames   camera frames: key camera id, value encoded PNG/JPEG
 * @param masks    masks: key camera id, value 8-bit PNG of class indices
 * @param labelled frames with ground truth: key camera id, value {@link LabelledFrame}
 * @param dlq      dead letters: the original frame bytes with the reason in headers
 * @param models   model announcements: key variant, value {@link ModelAnnouncement} JSON (parsed by
 *                 readers with {@link ModelAnnouncement#parse}, so a malformed record is refused, not fatal);
 *                 compacted, one partition
 * @param quality  live quality: key variant, value JSON, one record per window of labelled frames
 */
public record Topics(TopicSpec<String, byte[]> frames, TopicSpec<String, byte[]> masks,
                     TopicSpec<String, LabelledFrame> labelled, TopicSpec<String, byte[]> dlq,
                     TopicSpec<String, byte[]> models, TopicSpec<String, byte[]> quality) {

    /** The registry as configured by the {@link TopicsConfig} keys in {@code config}. */
    public static Topics from(AbstractConfig config) {
        int partitions = config.getInt(TopicsConfig.PARTITIONS);
        short replication = config.getShort(TopicsConfig.REPLICATION_FACTOR);
        Map<String, String> topicConfigs = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                String.valueOf(config.getInt(TopicsConfig.MAX_MESSAGE_BYTES)));
        Serde<String> keys = Serdes.String();
        Serde<byte[]> bytes = Serdes.ByteArray();
        return new Topics(
                new TopicSpec<>(config.getString(TopicsConfig.FRAMES_TOPIC), partitions, replication, topicConfigs,
                        keys, bytes),
                new TopicSpec<>(config.getString(TopicsConfig.MASKS_TOPIC), partitions, replication, topicConfigs,
                        keys, bytes),
                new TopicSpec<>(config.getString(TopicsConfig.LABELLED_TOPIC), partitions, replication, topicConfigs,
                        keys, new LabelledFrameSerde()),
                new TopicSpec<>(config.getString(TopicsConfig.DLQ_TOPIC), partitions, replication, topicConfigs,
                        keys, bytes),
                new TopicSpec<>(config.getString(TopicsConfig.MODELS_TOPIC), 1, replication,
                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT), keys, bytes),
                new TopicSpec<>(config.getString(TopicsConfig.QUALITY_TOPIC), 1, replication, Map.of(), keys, bytes));
    }

    /** The registry with every default: topics {@code frames}, {@code masks}, ... */
    public static Topics defaults() {
        return from(new AbstractConfig(TopicsConfig.define(new ConfigDef()), Map.of()));
    }

    /** All topics, for creation. */
    public List<TopicSpec<?, ?>> all() {
        return List.of(frames, masks, labelled, dlq, models, quality);
    }
}

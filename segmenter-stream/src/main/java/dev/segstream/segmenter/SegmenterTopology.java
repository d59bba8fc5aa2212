package dev.segstream.segmenter;

import dev.segstream.core.config.FrameLimitsConfig;
import dev.segstream.core.config.TopicsConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameDecoder;
import dev.segstream.segmenter.overlay.LatestFrames;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/** Builds the segmenter's topology: frames-source -> batch-segmenter -> masks-sink | dlq-sink. */
public final class SegmenterTopology {

    public static final String FRAMES_SOURCE = "frames-source";
    public static final String SEGMENTER = "batch-segmenter";
    public static final String MASKS_SINK = "masks-sink";
    public static final String DLQ_SINK = "dlq-sink";

    private SegmenterTopology() {
    }

    /**
     * The topology for {@code config}. Pure: it starts nothing and touches no broker; the batcher
     * (one per model and JVM) and the stats are shared by every task the topology spawns. The
     * segmenter holds frames between being read and being answered in the changelogged
     * {@value SegmentProcessor#STORE} store (in memory, cached: a frame answered before the next
     * commit never reaches the changelog).
     */
    public static Topology buildTopology(SegmenterConfig config, DynamicBatcher batcher, SegmenterStats stats) {
        return buildTopology(config, batcher, stats, null);
    }

    /** The topology, telling {@code overlay} (when not {@code null}) of every mask it writes. */
    public static Topology buildTopology(SegmenterConfig config, DynamicBatcher batcher, SegmenterStats stats,
                                         LatestFrames overlay) {
        Topics topics = config.topics();
        FrameDecoder decoder = FrameLimitsConfig.decoder(config);
        Topology topology = new Topology();
        topology.addSource(FRAMES_SOURCE, topics.frames().keySerde().deserializer(),
                topics.frames().valueSerde().deserializer(), topics.frames().name());
        long forwardMs = config.getLong(SegmenterConfig.FORWARD_INTERVAL_MS);
        topology.addProcessor(SEGMENTER, () -> new SegmentProcessor(batcher, decoder, stats, forwardMs, overlay), FRAMES_SOURCE);
        String maxMessage = Integer.toString(config.getInt(TopicsConfig.MAX_MESSAGE_BYTES));
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SegmentProcessor.STORE),
                        Serdes.Long(), PendingFrame.serde())
                .withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessage))
                .withCachingEnabled(), SEGMENTER);
        topology.addSink(MASKS_SINK, topics.masks().name(), topics.masks().keySerde().serializer(),
                topics.masks().valueSerde().serializer(), SEGMENTER);
        topology.addSink(DLQ_SINK, topics.dlq().name(), topics.dlq().keySerde().serializer(),
                topics.dlq().valueSerde().serializer(), SEGMENTER);
        return topology;
    }
}

package dev.segstream.segmenter;

import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameDecoder;
import org.apache.kafka.streams.Topology;

/** Builds the segmenter's topology: frames-source -> batch-segmenter -> masks-sink | dlq-sink. */
public final class SegmenterTopology {

    public static final String FRAMES_SOURCE = "frames-source";
    public static final String SEGMENTER = "batch-segmenter";
    public static final String MASKS_SINK = "masks-sink";
    public static final String DLQ_SINK = "dlq-sink";

    private SegmenterTopology() {
    }

    /**
     * The topology for {@code config}. Pure: it starts nothing and touches no broker; the engine
     * and metrics are shared by every task the topology spawns.
     */
    public static Topology buildTopology(SegmenterConfig config, SegmentationEngine engine, SegmenterMetrics metrics) {
        Topics topics = config.topics();
        FrameDecoder decoder = new FrameDecoder(config.getInt(SegmenterConfig.FRAME_MAX_BYTES),
                config.getInt(SegmenterConfig.FRAME_MAX_WIDTH), config.getInt(SegmenterConfig.FRAME_MAX_HEIGHT));
        Topology topology = new Topology();
        topology.addSource(FRAMES_SOURCE, topics.frames().keySerde().deserializer(),
                topics.frames().valueSerde().deserializer(), topics.frames().name());
        topology.addProcessor(SEGMENTER, () -> new SegmentProcessor(engine, decoder, metrics), FRAMES_SOURCE);
        topology.addSink(MASKS_SINK, topics.masks().name(), topics.masks().keySerde().serializer(),
                topics.masks().valueSerde().serializer(), SEGMENTER);
        topology.addSink(DLQ_SINK, topics.dlq().name(), topics.dlq().keySerde().serializer(),
                topics.dlq().valueSerde().serializer(), SEGMENTER);
        return topology;
    }
}

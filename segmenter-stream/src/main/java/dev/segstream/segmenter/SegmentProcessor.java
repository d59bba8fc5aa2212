package dev.segstream.segmenter;

import dev.segstream.core.model.ModelDescriptor;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.DeadLetterReason;
import dev.segstream.core.wire.FrameDecodeException;
import dev.segstream.core.wire.FrameDecoder;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.RgbImage;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each frame, segments it and forwards the mask PNG to {@link SegmenterTopology#MASKS_SINK},
 * or the original bytes with the reason to {@link SegmenterTopology#DLQ_SINK}. Never throws on
 * input: whatever a frame does, it leaves as exactly one mask or one dead letter.
 *
 * <p>This first version segments synchronously, one frame per model call, so Kafka Streams'
 * exactly-once commit covers it with no extra state; the JVM-wide batcher replaces the call in
 * {@link #segment} without changing what enters or leaves.
 */
final class SegmentProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentProcessor.class);

    private final SegmentationEngine engine;
    private final FrameDecoder decoder;
    private final SegmenterMetrics metrics;
    private ProcessorContext<String, byte[]> context;

    SegmentProcessor(SegmentationEngine engine, FrameDecoder decoder, SegmenterMetrics metrics) {
        this.engine = engine;
        this.decoder = decoder;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> frame) {
        metrics.frameIn();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        RgbImage image;
        try {
            image = decoder.decode(frame.value());
        } catch (FrameDecodeException e) {
            deadLetter(frame, source, e.reason(), e.getMessage());
            return;
        }
        ClassMask mask;
        try {
            mask = segment(image);
        } catch (RuntimeException e) {
            LOG.warn("model failed on frame {}-{}-{}", source.topic(), source.partition(), source.offset(), e);
            deadLetter(frame, source, DeadLetterReason.INFERENCE_FAILED,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        ModelDescriptor model = engine.descriptor();
        Headers headers = new RecordHeaders();
        FrameHeaders.put(headers, FrameHeaders.FRAME_ID,
                FrameHeaders.frameIdOrSource(frame.headers(), source.topic(), source.partition(), source.offset()));
        long frameTs = FrameHeaders.number(frame.headers(), FrameHeaders.FRAME_TS).orElse(-1L);
        if (frameTs >= 0) {
            FrameHeaders.put(headers, FrameHeaders.FRAME_TS, Long.toString(frameTs));
        }
        FrameHeaders.put(headers, FrameHeaders.MODEL_VARIANT, model.variant());
        FrameHeaders.put(headers, FrameHeaders.MODEL_VERSION, model.version());
        context.forward(new Record<>(frame.key(), ImageCodec.encodeMaskPng(mask), frame.timestamp(), headers),
                SegmenterTopology.MASKS_SINK);
        metrics.maskOut(frameTs, System.currentTimeMillis());
    }

    private ClassMask segment(RgbImage image) {
        long start = System.nanoTime();
        List<ClassMask> masks = engine.segment(List.of(image));
        metrics.batch(1, System.nanoTime() - start);
        return masks.get(0);
    }

    private void deadLetter(Record<String, byte[]> frame, RecordMetadata source, DeadLetterReason reason,
                            String detail) {
        Headers headers = new RecordHeaders(frame.headers().toArray());
        FrameHeaders.put(headers, FrameHeaders.DLQ_REASON, reason.code());
        FrameHeaders.put(headers, FrameHeaders.DLQ_DETAIL, detail == null ? reason.code() : detail);
        FrameHeaders.put(headers, FrameHeaders.DLQ_SOURCE_TOPIC, source.topic());
        FrameHeaders.put(headers, FrameHeaders.DLQ_SOURCE_PARTITION, Integer.toString(source.partition()));
        FrameHeaders.put(headers, FrameHeaders.DLQ_SOURCE_OFFSET, Long.toString(source.offset()));
        context.forward(new Record<>(frame.key(), frame.value(), frame.timestamp(), headers),
                SegmenterTopology.DLQ_SINK);
        metrics.deadLetter(reason);
        LOG.debug("dead-lettered {}-{}-{}: {} ({})", source.topic(), source.partition(), source.offset(),
                reason.code(), detail);
    }
}

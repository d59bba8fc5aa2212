package dev.segstream.producer;

import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.LabelledFrame;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one {@link SourceFrame} into its records: the frame on the frames topic and, with a mask,
 * its {@link LabelledFrame} copy on the labelled topic; both keyed by camera id, stamped with the
 * same {@code frame.id} / {@code frame.ts} headers and record timestamp. Outcomes go to
 * {@link ProducerMetrics}; failures are logged sparingly (the first ten, then every thousandth).
 */
final class FrameSender {

    private static final Logger LOG = LoggerFactory.getLogger(FrameSender.class);

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final Serializer<LabelledFrame> labelledSerializer;
    private final SendStats stats;
    private final Supplier<FrameProducer.SendListener> listener;
    private final AtomicLong failures = new AtomicLong();

    FrameSender(Producer<String, byte[]> producer, Topics topics, SendStats stats,
                Supplier<FrameProducer.SendListener> listener) {
        this.producer = producer;
        this.topics = topics;
        this.labelledSerializer = topics.labelled().valueSerde().serializer();
        this.stats = stats;
        this.listener = listener;
    }

    /** Sends {@code f} (and its labelled copy); {@code false} when the client can no longer send at all. */
    boolean send(SourceFrame f) {
        long ts = System.currentTimeMillis();
        boolean usable = sendOne(false, f, ts, f.encodedImage());
        if (usable && f.hasMask()) {
            byte[] value = labelledSerializer.serialize(topics.labelled().name(),
                    new LabelledFrame(f.encodedImage(), f.encodedMask()));
            usable = sendOne(true, f, ts, value);
        }
        return usable;
    }

    private boolean sendOne(boolean labelled, SourceFrame f, long ts, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        FrameHeaders.put(headers, FrameHeaders.FRAME_ID, f.frameId());
        FrameHeaders.put(headers, FrameHeaders.FRAME_TS, Long.toString(ts));
        String topic = labelled ? topics.labelled().name() : topics.frames().name();
        ProducerRecord<String, byte[]> rec = new ProducerRecord<>(topic, null, ts, f.cameraId(), value, headers);
        long start = System.nanoTime();
        try {
            producer.send(rec, (md, ex) -> {
                stats.recordSend(labelled, ex == null, value.length, start, System.nanoTime());
                if (ex != null) {
                    failed(f, topic, ex);
                } else if (!labelled) {
                    FrameProducer.SendListener l = listener.get();
                    if (l != null) {
                        l.onFrameSent(f.cameraId(), f.frameId(), ts);
                    }
                }
            });
            return true;
        } catch (IllegalStateException | InterruptException e) {
            stats.recordSend(labelled, false, value.length, start, start);
            LOG.warn("stopping: the Kafka client cannot send any more: {}", e.toString());
            return false;
        } catch (RuntimeException e) {
            stats.recordSend(labelled, false, value.length, start, start);
            failed(f, topic, e);
            return true;
        }
    }

    private void failed(SourceFrame f, String topic, Exception e) {
        long n = failures.incrementAndGet();
        if (n <= 10 || n % 1000 == 0) {
            LOG.warn("send of {} to {} failed ({} failure(s) so far): {}", f.frameId(), topic, n, e.toString());
        }
    }
}

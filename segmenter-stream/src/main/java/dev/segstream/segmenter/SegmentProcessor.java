package dev.segstream.segmenter;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.DeadLetterReason;
import dev.segstream.core.wire.FrameDecodeException;
import dev.segstream.core.wire.FrameDecoder;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.segmenter.overlay.LatestFrames;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each frame and hands it to the shared {@link DynamicBatcher}; writes each mask to
 * {@link SegmenterTopology#MASKS_SINK}, or the original bytes with the reason to
 * {@link SegmenterTopology#DLQ_SINK}. Never throws on input: every frame leaves as exactly one
 * mask or one dead letter.
 *
 * <p>Exactly once across batching: a decoded frame is put into the changelogged
 * {@value #STORE} store under a per-task sequence number before it is submitted, and deleted in
 * the same transaction that writes its mask. Masks are forwarded only from the stream thread, in
 * sequence order (so in arrival order per camera), from {@link #process} and from a wall-clock
 * punctuation. A task that starts (after a crash, restart or rebalance) resubmits whatever its
 * store holds. Before taking a frame the processor takes a batcher slot, waiting (and writing
 * finished masks) while none is free: back-pressure that leaves frames in Kafka.
 */
final class SegmentProcessor implements Processor<String, byte[], String, byte[]> {

    /** Name of the pending-frames store. */
    static final String STORE = "pending-frames";

    private static final Logger LOG = LoggerFactory.getLogger(SegmentProcessor.class);

    private final DynamicBatcher batcher;
    private final FrameDecoder decoder;
    private final SegmenterStats stats;
    private final long forwardIntervalMs;
    private final LatestFrames overlay;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<Long, PendingFrame> store;
    private long nextSeq;

    /** @param overlay the overlay page's view, told of every mask written; {@code null} without the page */
    SegmentProcessor(DynamicBatcher batcher, FrameDecoder decoder, SegmenterStats stats, long forwardIntervalMs,
                     LatestFrames overlay) {
        this.batcher = batcher;
        this.decoder = decoder;
        this.stats = stats;
        this.forwardIntervalMs = forwardIntervalMs;
        this.overlay = overlay;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        try (KeyValueIterator<Long, PendingFrame> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Long, PendingFrame> kv = it.next();
                batcher.slots().reserveOverLimit();
                stats.frameRecovered();
                nextSeq = Math.max(nextSeq, kv.key + 1);
                inFlight.add(new InFlight(kv.key, kv.value, submitDecoded(kv.value)));
            }
        }
        if (!inFlight.isEmpty()) {
            LOG.info("task {} resubmitted {} pending frames", context.taskId(), inFlight.size());
        }
        context.schedule(Duration.ofMillis(forwardIntervalMs), PunctuationType.WALL_CLOCK_TIME, t -> forwardCompleted());
    }

    private CompletableFuture<SegmentedFrame> submitDecoded(PendingFrame frame) {
        try {
            return batcher.submit(decoder.decode(frame.value()));
        } catch (FrameDecodeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        stats.frameIn(record.key());
        forwardCompleted();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        PendingFrame frame = new PendingFrame(record.key(), record.value(), record.timestamp(),
                new RecordHeaders(record.headers().toArray()), source.topic(), source.partition(), source.offset(),
                System.currentTimeMillis());
        RgbImage image;
        try {
            image = decoder.decode(record.value());
        } catch (FrameDecodeException e) {
            deadLetter(frame, e.reason(), e.getMessage());
            return;
        }
        takeSlot();
        long seq = nextSeq++;
        store.put(seq, frame);
        inFlight.add(new InFlight(seq, frame, batcher.submit(image)));
    }

    /**
     * Takes an in-flight slot, writing this task's finished masks while none is free. A task with
     * nothing in flight must not wait: the slots are then all held by frames of other tasks, and if
     * those tasks run on this same stream thread only this thread can write their masks and free
     * them, so waiting would deadlock it. Such a task takes one slot beyond the limit instead, which
     * bounds the frames in flight by {@code max.in.flight.frames} plus the number of tasks.
     */
    private void takeSlot() {
        while (!batcher.slots().reserve(inFlight.isEmpty() ? 0 : forwardIntervalMs)) {
            if (inFlight.isEmpty()) {
                batcher.slots().reserveOverLimit();
                return;
            }
            forwardCompleted();
        }
    }

    /** Writes the outputs of the oldest frames whose masks are ready, stopping at the first that is not. */
    private void forwardCompleted() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().result.isDone()) {
            InFlight done = inFlight.peekFirst();
            if (done.result.isCancelled()) {
                // Only a closing batcher cancels: keep the frame in the store for the next owner.
                throw new IllegalStateException("batcher closed while frame " + done.seq + " was pending");
            }
            inFlight.pollFirst();
            try {
                writeMask(done.frame, done.result.join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof FrameDecodeException fde) {
                    deadLetter(done.frame, fde.reason(), fde.getMessage());
                } else {
                    LOG.warn("model failed on frame {}-{}-{}", done.frame.topic(), done.frame.partition(),
                            done.frame.offset(), cause);
                    deadLetter(done.frame, DeadLetterReason.INFERENCE_FAILED,
                            cause.getClass().getSimpleName() + ": " + cause.getMessage());
                }
            }
            store.delete(done.seq);
            batcher.slots().release();
        }
    }

    private void writeMask(PendingFrame frame, SegmentedFrame segmented) {
        ClassMask mask = segmented.mask();
        ModelDescriptor model = segmented.model();
        Headers headers = new RecordHeaders();
        String frameId = FrameHeaders.frameIdOrSource(frame.headers(), frame.topic(), frame.partition(), frame.offset());
        FrameHeaders.put(headers, FrameHeaders.FRAME_ID, frameId);
        long frameTs = FrameHeaders.number(frame.headers(), FrameHeaders.FRAME_TS).orElse(-1L);
        if (frameTs >= 0) {
            FrameHeaders.put(headers, FrameHeaders.FRAME_TS, Long.toString(frameTs));
        }
        FrameHeaders.put(headers, FrameHeaders.MODEL_VARIANT, model.variant());
        FrameHeaders.put(headers, FrameHeaders.MODEL_VERSION, model.version());
        context.forward(new Record<>(frame.key(), ImageCodec.encodeMaskPng(mask), frame.timestamp(), headers),
                SegmenterTopology.MASKS_SINK);
        long now = System.currentTimeMillis();
        stats.maskOut(frameTs, frame.readAtMs(), now);
        if (overlay != null) {
            // references only: the page encodes nothing on the stream thread
            overlay.record(frame.key(), frameId, frame.value(), mask, model.variant(), model.version(),
                    now - (frameTs > 0 && now >= frameTs ? frameTs : frame.readAtMs()), now);
        }
    }

    private void deadLetter(PendingFrame frame, DeadLetterReason reason, String detail) {
        Headers headers = new RecordHeaders(frame.headers().toArray());
        FrameHeaders.put(headers, FrameHeaders.DLQ_REASON, reason.code());
        FrameHeaders.put(headers, FrameHeaders.DLQ_DETAIL, detail == null ? reason.code() : detail);
        FrameHeaders.put(headers, FrameHeaders.DLQ_SOURCE_TOPIC, frame.topic());
        FrameHeaders.put(headers, FrameHeaders.DLQ_SOURCE_PARTITION, Integer.toString(frame.partition()));
        FrameHeaders.put(headers, FrameHeaders.DLQ_SOURCE_OFFSET, Long.toString(frame.offset()));
        context.forward(new Record<>(frame.key(), frame.value(), frame.timestamp(), headers),
                SegmenterTopology.DLQ_SINK);
        stats.deadLetter(reason);
        LOG.debug("dead-lettered {}-{}-{}: {} ({})", frame.topic(), frame.partition(), frame.offset(),
                reason.code(), detail);
    }

    /** Leaves unanswered frames in the store for the task's next owner and gives back their slots. */
    @Override
    public void close() {
        for (InFlight f : inFlight) {
            f.result.cancel(false);
            batcher.slots().release();
        }
        inFlight.clear();
    }

    private record InFlight(long seq, PendingFrame frame, CompletableFuture<SegmentedFrame> result) {
    }
}

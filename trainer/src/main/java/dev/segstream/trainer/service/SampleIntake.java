package dev.segstream.trainer.service;

import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.FrameDecodeException;
import dev.segstream.core.wire.FrameDecoder;
import dev.segstream.core.wire.LabelledFrame;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.core.wire.TruthMaskDecoder;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.trainer.data.TrainingSample;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer service's gate for labelled frames: turns each into a training sample or rejects it
 * with a reason (logged, counted), and never throws. The image goes through the frame limits; the
 * mask must be a PNG of the image's size (checked from its header, before decoding) with classes in
 * {@code [0, void]}, because an out-of-range label would index past the loss and fail a whole
 * round, not just this frame. Thread-safe counters; the rest is stateless.
 */
final class SampleIntake {

    private static final Logger LOG = LoggerFactory.getLogger(SampleIntake.class);
    private static final float[] MEAN = TrainingSample.floats(ModelArtifacts.DEFAULT_MEAN);
    private static final float[] STD = TrainingSample.floats(ModelArtifacts.DEFAULT_STD);

    /**
     * What became of one labelled frame: a sample, or the reason it was rejected.
     *
     * @param sample the training sample, or {@code null} when rejected
     * @param reason why it was rejected, or {@code null} when accepted
     */
    record Verdict(TrainingSample sample, String reason) {
        boolean accepted() {
            return sample != null;
        }
    }

    private final FrameDecoder decoder;
    private final int multiple;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /**
     * @param decoder  the frame limits the image must meet
     * @param multiple samples are padded to a multiple of this (2^depth of the models trained)
     */
    SampleIntake(FrameDecoder decoder, int multiple) {
        this.decoder = decoder;
        this.multiple = multiple;
    }

    /** The sample in {@code frame}, or why not; {@code where} names the record in the log line. */
    Verdict take(LabelledFrame frame, String where) {
        String reason;
        try {
            RgbImage image = decoder.decode(frame.image());
            ClassMask mask = TruthMaskDecoder.decode(frame.mask(), image.width(), image.height(), CamVidClasses.VOID);
            TrainingSample s = TrainingSample.of(image, mask, multiple, MEAN, STD, CamVidClasses.VOID);
            accepted.incrementAndGet();
            return new Verdict(s, null);
        } catch (FrameDecodeException e) {
            reason = "image " + e.reason().code() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        reject(where, reason);
        return new Verdict(null, reason);
    }

    /** Counts a record that is not a labelled frame at all (a truncated or foreign container). */
    void reject(String where, String reason) {
        rejected.incrementAndGet();
        LOG.warn("labelled frame {} rejected: {}", where, reason);
    }

    long accepted() {
        return accepted.get();
    }

    long rejected() {
        return rejected.get();
    }
}

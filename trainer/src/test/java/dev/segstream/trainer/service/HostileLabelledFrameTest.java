package dev.segstream.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.FrameDecoder;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.LabelledFrame;
import dev.segstream.core.wire.LabelledFrameSerde;
import dev.segstream.core.wire.RgbImage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * Hostile labelled frames through the trainer service's read path as its loop runs it: the
 * container parser (a failure there is what the consumer's poll reports) and then
 * {@link SampleIntake}. Each must be rejected with its reason and counted, none may throw, and a
 * valid frame after them is still taken.
 */
class HostileLabelledFrameTest {

    private static final int W = 12;
    private static final int H = 8;

    private final LabelledFrameSerde serde = new LabelledFrameSerde();
    private final Deserializer<LabelledFrame> parser = serde.deserializer();
    private final SampleIntake intake = new SampleIntake(new FrameDecoder(1 << 20, 4096, 4096), 4);

    @Test
    void shouldRejectAndCountEachWhenLabelledFramesAreHostile() {
        Map<String, byte[]> hostile = new LinkedHashMap<>();
        hostile.put("mask of the wrong size", sglf(image(W, H), mask(W + 1, H, 0)));
        hostile.put("mask declaring 100000x100000", sglf(image(W, H), declaredMaskPng()));
        hostile.put("class 12 (beyond void)", sglf(image(W, H), mask(W, H, 12)));
        hostile.put("class 255", sglf(image(W, H), mask(W, H, 255)));
        hostile.put("mask not a PNG", sglf(image(W, H), "garbage".getBytes()));
        hostile.put("image random bytes", sglf(random(300, 1), mask(W, H, 0)));
        hostile.put("image truncated PNG", sglf(Arrays.copyOf(image(W, H), 60), mask(W, H, 0)));
        byte[] valid = sglf(image(W, H), mask(W, H, 3));
        hostile.put("truncated SGLF", Arrays.copyOf(valid, valid.length / 2));
        hostile.put("SGLF header only", Arrays.copyOf(valid, 7));
        hostile.put("random bytes", random(500, 2));
        hostile.put("negative length", negativeLength(valid));

        Map<String, String> reasons = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : hostile.entrySet()) {
            reasons.put(e.getKey(), read(e.getValue(), e.getKey()));
        }

        assertThat(reasons).containsEntry("mask of the wrong size", "mask is 13x8 but image is 12x8")
                .containsEntry("mask declaring 100000x100000", "mask is 100000x100000 but image is 12x8")
                .containsEntry("class 12 (beyond void)", "mask class 12 at (0,0) is out of range [0,11]")
                .containsEntry("class 255", "mask class 255 at (0,0) is out of range [0,11]")
                .containsEntry("mask not a PNG", "mask is not a PNG");
        assertThat(reasons.get("image random bytes")).startsWith("image unsupported_format");
        assertThat(reasons.get("image truncated PNG")).startsWith("image undecodable");
        assertThat(reasons.get("truncated SGLF")).startsWith("not a labelled frame: ");
        assertThat(reasons.get("SGLF header only")).isEqualTo("not a labelled frame: truncated labelled frame");
        assertThat(reasons.get("random bytes")).isEqualTo("not a labelled frame: not a labelled frame: bad magic");
        assertThat(reasons.get("negative length")).contains("labelled frame length -1");
        assertThat(intake.rejected()).isEqualTo(hostile.size());
        assertThat(intake.accepted()).isZero();

        assertThat(read(valid, "valid")).isNull();
        assertThat(intake.accepted()).isEqualTo(1);
        assertThat(intake.rejected()).isEqualTo(hostile.size());
    }

    @Test
    void shouldTakeSampleWithLabelsIntactWhenMaskUsesVoid() {
        SampleIntake.Verdict v = intake.take(serde.deserializer().deserialize("t", sglf(image(W, H), mask(W, H, 11))), "t");
        assertThat(v.accepted()).isTrue();
        assertThat(v.sample().width()).isEqualTo(W);
        assertThat(v.sample().labels()[0]).isEqualTo((byte) 11);
        assertThat(v.sample().labels()[1]).isZero();
    }

    /** What the service's loop does with one record value: null when accepted, else the reason. */
    private String read(byte[] value, String where) {
        LabelledFrame frame;
        try {
            frame = parser.deserialize("frames.labelled", value);
        } catch (SerializationException e) {
            intake.reject(where, "not a labelled frame: " + e.getMessage());
            return "not a labelled frame: " + e.getMessage();
        }
        return intake.take(frame, where).reason();
    }

    private byte[] sglf(byte[] image, byte[] mask) {
        return serde.serializer().serialize("t", new LabelledFrame(image, mask));
    }

    private static byte[] image(int w, int h) {
        return ImageCodec.encodePng(new RgbImage(w, h, random(w * h * 3, 3)));
    }

    private static byte[] mask(int w, int h, int firstClass) {
        byte[] classes = new byte[w * h];
        classes[0] = (byte) firstClass;
        return ImageCodec.encodeMaskPng(new ClassMask(w, h, classes));
    }

    /** A 1x1 mask PNG with its IHDR rewritten to 100000x100000 (CRC left stale: the header is enough). */
    private static byte[] declaredMaskPng() {
        byte[] png = mask(1, 1, 0);
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(100_000).putInt(100_000);
        return png;
    }

    private static byte[] negativeLength(byte[] valid) {
        byte[] b = valid.clone();
        java.nio.ByteBuffer.wrap(b, 5, 4).putInt(-1);
        return b;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        b[0] = 7;
        return b;
    }
}

package dev.segstream.segmenter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The segmenter's contract per frame: what comes out for good and bad input (batching aside). */
class SegmenterTopologyTest {

    private static SegmentationEngine engine;
    private SegmenterHarness harness;
    private TestInputTopic<String, byte[]> frames;
    private TestOutputTopic<String, byte[]> dlq;

    @BeforeAll
    static void loadModel() {
        engine = new SegmentationEngine(ModelArtifacts.untrained(
                new UNetSpec(UNetVariant.VANILLA, 2, 4, 11), 7L, "test-v1", "cpu"));
    }

    @AfterAll
    static void closeModel() {
        engine.close();
    }

    @BeforeEach
    void startDriver() {
        harness = new SegmenterHarness(engine, Map.of(SegmenterConfig.FRAME_MAX_BYTES, "200000",
                SegmenterConfig.FRAME_MAX_WIDTH, "4000", SegmenterConfig.MAX_BATCH_DELAY_MS, "0"));
        frames = harness.frames;
        dlq = harness.dlq;
    }

    @AfterEach
    void closeDriver() {
        harness.close();
    }

    static byte[] png(int w, int h, long seed) {
        return SegmenterHarness.png(w, h, seed);
    }

    @Test
    void shouldWriteMaskOfFrameSizeWithHeadersWhenFrameIsValid() throws Exception {
        RecordHeaders headers = new RecordHeaders();
        FrameHeaders.put(headers, FrameHeaders.FRAME_ID, "cam1-7");
        FrameHeaders.put(headers, FrameHeaders.FRAME_TS, "1700000000000");
        frames.pipeInput(new TestRecord<>("cam1", png(97, 75, 1), headers));

        TestRecord<String, byte[]> out = harness.awaitMasks(1).get(0);
        ClassMask mask = ImageCodec.decodeMaskPng(out.value());
        assertThat(out.key()).isEqualTo("cam1");
        assertThat(mask.width()).isEqualTo(97);
        assertThat(mask.height()).isEqualTo(75);
        for (byte b : mask.classes()) {
            assertThat(b & 0xff).isBetween(0, 10);
        }
        assertThat(FrameHeaders.text(out.headers(), FrameHeaders.FRAME_ID)).contains("cam1-7");
        assertThat(FrameHeaders.text(out.headers(), FrameHeaders.FRAME_TS)).contains("1700000000000");
        assertThat(FrameHeaders.text(out.headers(), FrameHeaders.MODEL_VARIANT)).contains("vanilla");
        assertThat(FrameHeaders.text(out.headers(), FrameHeaders.MODEL_VERSION)).contains("test-v1");
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldUseSourceCoordinatesAsFrameIdWhenFrameHasNoHeaders() throws Exception {
        frames.pipeInput("cam2", png(32, 32, 2));
        frames.pipeInput("cam2", png(32, 32, 3));
        List<TestRecord<String, byte[]>> out = harness.awaitMasks(2);
        assertThat(out).extracting(r -> FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElseThrow())
                .containsExactly("frames-0-0", "frames-0-1");
        assertThat(out.get(0).headers().lastHeader(FrameHeaders.FRAME_TS)).isNull();
    }

    @Test
    void shouldDeadLetterWithReasonAndSourceWhenInputIsBad() throws Exception {
        byte[] good = png(40, 30, 4);
        byte[] corrupt = Arrays.copyOf(good, good.length);
        for (int i = 50; i < corrupt.length - 12; i++) {
            corrupt[i] ^= 0x33;
        }
        frames.pipeInput("c", corrupt);
        frames.pipeInput("c", new byte[0]);
        frames.pipeInput("c", "plain text, not an image".getBytes(StandardCharsets.UTF_8));
        frames.pipeInput("c", new byte[300_000]);
        frames.pipeInput("c", png(5000, 1, 5));
        frames.pipeInput("c", good);

        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> FrameHeaders.text(r.headers(), FrameHeaders.DLQ_REASON).orElseThrow())
                .containsExactly("undecodable", "empty", "unsupported_format", "oversized", "bad_dimensions");
        assertThat(dead).allSatisfy(r -> {
            assertThat(FrameHeaders.text(r.headers(), FrameHeaders.DLQ_SOURCE_TOPIC)).contains("frames");
            assertThat(FrameHeaders.text(r.headers(), FrameHeaders.DLQ_DETAIL)).isPresent();
        });
        assertThat(dead).extracting(r -> FrameHeaders.text(r.headers(), FrameHeaders.DLQ_SOURCE_OFFSET).orElseThrow())
                .containsExactly("0", "1", "2", "3", "4");
        assertThat(dead.get(0).value()).isEqualTo(corrupt);
        assertThat(harness.awaitMasks(1)).hasSize(1);
        SimpleMeterRegistry registry = harness.registry;
        assertThat(registry.get("segstream.segmenter.dead.letters").tag("reason", "oversized").functionCounter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("segstream.segmenter.masks.out").functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("segstream.segmenter.in.flight").gauge().value()).isZero();
    }

    @Test
    void shouldKeepArrivalOrderPerCameraWhenCamerasInterleave() throws Exception {
        for (int i = 0; i < 6; i++) {
            RecordHeaders headers = new RecordHeaders();
            FrameHeaders.put(headers, FrameHeaders.FRAME_ID, "cam" + (i % 2) + "-" + i);
            frames.pipeInput(new TestRecord<>("cam" + (i % 2), png(24, 16, i), headers));
        }
        List<String> ids = harness.awaitMasks(6).stream()
                .map(r -> r.key() + ":" + FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElseThrow()).toList();
        assertThat(ids.stream().filter(s -> s.startsWith("cam0:"))).containsExactly("cam0:cam0-0", "cam0:cam0-2", "cam0:cam0-4");
        assertThat(ids.stream().filter(s -> s.startsWith("cam1:"))).containsExactly("cam1:cam1-1", "cam1:cam1-3", "cam1:cam1-5");
    }
}

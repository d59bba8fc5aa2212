package dev.segstream.segmenter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hostile corpus and header edge cases through the real segmenter topology (default frame
 * limits, a tiny untrained U-Net): every record yields exactly one output, a mask or a dead letter
 * with the expected reason, the dead-letter meter counts them by reason, and valid frames piped
 * after them still get their masks.
 */
class HostileTopologyTest {

    private static SegmentationEngine engine;
    private SegmenterHarness harness;

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
        harness = new SegmenterHarness(engine, Map.of(SegmenterConfig.MAX_BATCH_DELAY_MS, "0"));
    }

    @AfterEach
    void closeDriver() {
        harness.close();
    }

    @Test
    void shouldDeadLetterEachWithItsReasonWhenFramesAreHostile() {
        Map<String, byte[]> corpus = new LinkedHashMap<>();
        Map<String, String> expected = new LinkedHashMap<>();
        byte[] png = SegmenterHarness.png(40, 30, 1);
        byte[] jpeg = ImageCodec.encodeJpeg(new RgbImage(40, 30, noise(40 * 30 * 3, 2)));
        add(corpus, expected, "empty", new byte[0], "empty");
        add(corpus, expected, "random bytes", withFirst(noise(3000, 3), 7), "unsupported_format");
        add(corpus, expected, "PNG magic then garbage", withPrefix(Arrays.copyOf(png, 8), noise(500, 4)), "undecodable");
        add(corpus, expected, "JPEG magic then garbage", withPrefix(Arrays.copyOf(jpeg, 3), noise(500, 5)), "undecodable");
        // (A cut inside the last 20 bytes loses only zlib's checksum and the trailer: every pixel is
        // still there and the frame is served, as the decoder properties allow.)
        for (int cut : new int[] {4, 20, 40, 100, png.length / 2, png.length - 200}) {
            add(corpus, expected, "PNG cut at " + cut, Arrays.copyOf(png, cut), cut < 8 ? "unsupported_format" : "undecodable");
        }
        for (int cut : new int[] {2, 30, 200, jpeg.length / 2, jpeg.length - 2}) {
            add(corpus, expected, "JPEG cut at " + cut, Arrays.copyOf(jpeg, cut), cut < 3 ? "unsupported_format" : "undecodable");
        }
        add(corpus, expected, "PNG declaring 100000x100000", declaredPng(100_000, 100_000), "bad_dimensions");
        add(corpus, expected, "PNG declaring 10000x10000", declaredPng(10_000, 10_000), "bad_dimensions");
        add(corpus, expected, "oversized", new byte[16 * 1024 * 1024 + 1], "oversized");

        corpus.forEach((name, value) -> harness.frames.pipeInput("cam", value));
        harness.frames.pipeInput("cam", png);

        List<TestRecord<String, byte[]>> dead = harness.dlq.readRecordsToList();
        assertThat(dead).extracting(r -> FrameHeaders.text(r.headers(), FrameHeaders.DLQ_REASON).orElseThrow())
                .containsExactlyElementsOf(expected.values());
        assertThat(dead).extracting(r -> FrameHeaders.text(r.headers(), FrameHeaders.DLQ_DETAIL).orElseThrow())
                .allSatisfy(detail -> assertThat(detail).isNotBlank());
        assertThat(harness.awaitMasks(1)).hasSize(1);
        for (String reason : new java.util.HashSet<>(expected.values())) {
            long n = expected.values().stream().filter(reason::equals).count();
            assertThat(harness.registry.get("segstream.segmenter.dead.letters").tag("reason", reason)
                    .functionCounter().count()).as(reason).isEqualTo((double) n);
        }
        assertThat(harness.registry.get("segstream.segmenter.frames.in").functionCounter().count())
                .isEqualTo(corpus.size() + 1.0);
    }

    @Test
    void shouldWriteOneMaskPerFrameWhenHeadersAndKeysAreHostile() {
        List<RecordHeaders> headers = new ArrayList<>();
        for (String ts : new String[] {"abc", "-1", "", "9".repeat(10_000), "1700000000000"}) {
            RecordHeaders h = new RecordHeaders();
            FrameHeaders.put(h, FrameHeaders.FRAME_ID, "ts-" + ts.length());
            FrameHeaders.put(h, FrameHeaders.FRAME_TS, ts);
            headers.add(h);
        }
        RecordHeaders garbage = new RecordHeaders();
        garbage.add(FrameHeaders.FRAME_ID, new byte[] {(byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3});
        garbage.add(FrameHeaders.FRAME_TS, null);
        garbage.add("x".repeat(70_000), "long header name".getBytes(StandardCharsets.UTF_8));
        headers.add(garbage);
        for (RecordHeaders h : headers) {
            harness.frames.pipeInput(new TestRecord<>("cam", SegmenterHarness.png(16, 16, 1), h));
        }
        TestInputTopic<byte[], byte[]> rawKeys = harness.driver.createInputTopic("frames",
                new ByteArraySerializer(), new ByteArraySerializer());
        rawKeys.pipeInput(new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff}, SegmenterHarness.png(16, 16, 2));
        rawKeys.pipeInput(null, SegmenterHarness.png(16, 16, 3));
        harness.frames.pipeInput("cam", SegmenterHarness.png(16, 16, 4));

        List<TestRecord<String, byte[]>> masks = harness.awaitMasks(headers.size() + 3);
        assertThat(masks).hasSize(headers.size() + 3);
        assertThat(harness.dlq.isEmpty()).isTrue();
        assertThat(masks).extracting(r -> FrameHeaders.text(r.headers(), FrameHeaders.FRAME_TS).orElse("none"))
                .containsExactly("none", "none", "none", "none", "1700000000000", "none", "none", "none", "none");
        assertThat(masks).extracting(r -> FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElseThrow())
                .startsWith("ts-3", "ts-2", "ts-0", "ts-10000", "ts-13")
                .endsWith("frames-0-6", "frames-0-7", "frames-0-8");
        assertThat(masks.get(6).key()).isEqualTo("\uFFFD(\uFFFD");
        assertThat(masks.get(7).key()).isNull();
        for (TestRecord<String, byte[]> m : masks) {
            ClassMask mask = ImageCodec.decodeMaskPng(m.value());
            assertThat(mask.width()).isEqualTo(16);
        }
        assertThat(harness.registry.get("segstream.segmenter.in.flight").gauge().value()).isZero();
    }

    private static void add(Map<String, byte[]> corpus, Map<String, String> expected, String name, byte[] value,
                            String reason) {
        corpus.put(name, value);
        expected.put(name, reason);
    }

    private static byte[] noise(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] withFirst(byte[] b, int first) {
        b[0] = (byte) first;
        return b;
    }

    private static byte[] withPrefix(byte[] prefix, byte[] tail) {
        byte[] b = Arrays.copyOf(prefix, prefix.length + tail.length);
        System.arraycopy(tail, 0, b, prefix.length, tail.length);
        return b;
    }

    /** A 1x1 grey PNG whose IHDR (CRC fixed up) declares {@code w x h}: a decompression bomb. */
    private static byte[] declaredPng(int w, int h) {
        byte[] png = ImageCodec.encodeMaskPng(new ClassMask(1, 1, new byte[1]));
        ByteBuffer.wrap(png, 16, 8).putInt(w).putInt(h);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        return png;
    }
}

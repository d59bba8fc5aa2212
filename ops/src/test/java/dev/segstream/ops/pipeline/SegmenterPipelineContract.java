package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.ops.testing.KafkaBrokerFixture;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton end to end on a real broker: frames in, exactly one mask or dead letter
 * out per frame, bad input dead-lettered with its reason while the segmenter keeps running.
 * Run against every {@link KafkaBrokerFixture}.
 */
abstract class SegmenterPipelineContract {

    protected abstract KafkaBrokerFixture broker();

    static byte[] noisePng(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return ImageCodec.encodePng(new RgbImage(w, h, rgb));
    }

    @Test
    void shouldEmitExactlyOneOutputPerFrameAndDeadLetterBadInputWhenPipelineRuns() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonConfig.BOOTSTRAP_SERVERS, broker().bootstrapServers());
        settings.put(CommonConfig.METRICS_PORT, "-1");
        settings.put("topic.frames", "frames-" + suffix);
        settings.put("topic.masks", "masks-" + suffix);
        settings.put("topic.labelled", "labelled-" + suffix);
        settings.put("topic.dlq", "dlq-" + suffix);
        settings.put(SegmenterConfig.MODEL_FILTERS, "8");
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-" + suffix);
        SegmenterConfig config = new SegmenterConfig(settings);
        Topics topics = config.topics();
        broker().createTopics(topics);

        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        Map<String, int[]> sizes = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            int w = i % 3 == 0 ? 97 : 128;
            int h = i % 3 == 0 ? 75 : 96;
            String id = "cam" + (i % 2) + "-" + i;
            sizes.put(id, new int[] {w, h});
            RecordHeaders headers = new RecordHeaders();
            FrameHeaders.put(headers, FrameHeaders.FRAME_ID, id);
            FrameHeaders.put(headers, FrameHeaders.FRAME_TS, Long.toString(System.currentTimeMillis()));
            records.add(new ProducerRecord<>(topics.frames().name(), null, "cam" + (i % 2), noisePng(w, h, i), headers));
        }
        byte[] corrupt = noisePng(64, 48, 99);
        for (int i = 60; i < corrupt.length - 12; i++) {
            corrupt[i] ^= 0x5a;
        }
        Map<String, String> badInputs = Map.of("bad-corrupt", "undecodable", "bad-empty", "empty",
                "bad-huge", "oversized", "bad-text", "unsupported_format");
        records.add(bad(topics, "bad-corrupt", corrupt));
        records.add(bad(topics, "bad-empty", new byte[0]));
        byte[] huge = new byte[20 * 1024 * 1024];
        System.arraycopy(corrupt, 0, huge, 0, 16);
        records.add(bad(topics, "bad-huge", huge));
        records.add(bad(topics, "bad-text", "# README\nthis is a text file\n".getBytes(StandardCharsets.UTF_8)));
        // A good frame after the bad ones proves the segmenter kept running.
        sizes.put("after-bad", new int[] {50, 30});
        RecordHeaders last = new RecordHeaders();
        FrameHeaders.put(last, FrameHeaders.FRAME_ID, "after-bad");
        records.add(new ProducerRecord<>(topics.frames().name(), null, "cam0", noisePng(50, 30, 5), last));

        PipelineClient client = new PipelineClient(broker().clientProperties(), topics);
        try (SegmenterService segmenter = new SegmenterService(config, new SimpleMeterRegistry())) {
            segmenter.start();
            client.publish(records);
            List<ConsumerRecord<String, byte[]>> masks = client.collect(topics.masks().name(),
                    out -> out.size() >= sizes.size(), Duration.ofSeconds(90));
            List<ConsumerRecord<String, byte[]>> dead = client.collect(topics.dlq().name(),
                    out -> out.size() >= badInputs.size(), Duration.ofSeconds(30));

            Map<String, Long> maskIds = masks.stream().collect(Collectors.groupingBy(
                    r -> FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElse("?"), Collectors.counting()));
            assertThat(maskIds).hasSize(sizes.size()).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            assertThat(maskIds.keySet()).containsExactlyInAnyOrderElementsOf(sizes.keySet());
            for (ConsumerRecord<String, byte[]> r : masks) {
                String id = FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElseThrow();
                ClassMask mask = ImageCodec.decodeMaskPng(r.value());
                assertThat(new int[] {mask.width(), mask.height()}).as(id).containsExactly(sizes.get(id));
                for (byte b : mask.classes()) {
                    assertThat(b & 0xff).as(id).isLessThanOrEqualTo(10);
                }
                assertThat(FrameHeaders.text(r.headers(), FrameHeaders.MODEL_VARIANT)).contains("vanilla");
                assertThat(FrameHeaders.text(r.headers(), FrameHeaders.MODEL_VERSION)).isPresent();
            }
            Map<String, String> reasons = dead.stream().collect(Collectors.toMap(
                    r -> FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElse("?"),
                    r -> FrameHeaders.text(r.headers(), FrameHeaders.DLQ_REASON).orElse("?")));
            assertThat(dead).hasSize(badInputs.size());
            assertThat(reasons).isEqualTo(badInputs);
            ConsumerRecord<String, byte[]> hugeDead = dead.stream()
                    .filter(r -> FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElse("").equals("bad-huge"))
                    .findFirst().orElseThrow();
            assertThat(hugeDead.value()).hasSize(huge.length);
            assertThat(FrameHeaders.text(hugeDead.headers(), FrameHeaders.DLQ_SOURCE_TOPIC)).contains(topics.frames().name());
            assertThat(segmenter.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static ProducerRecord<String, byte[]> bad(Topics topics, String id, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        FrameHeaders.put(headers, FrameHeaders.FRAME_ID, id);
        return new ProducerRecord<>(topics.frames().name(), null, "bad", Arrays.copyOf(value, value.length), headers);
    }
}

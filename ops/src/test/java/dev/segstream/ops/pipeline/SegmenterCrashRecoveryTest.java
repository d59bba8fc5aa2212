package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segmenter process killed with SIGKILL while frames wait in an open batch, then restarted:
 * every frame still has exactly one mask on {@code masks}. The killed segmenter runs in its own
 * JVM ({@code SegmenterMain}) so nothing of it survives the kill; the restarted one runs here.
 */
class SegmenterCrashRecoveryTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    private static final int BATCH = 4;

    @Test
    void shouldWriteEveryMaskExactlyOnceWhenSegmenterIsKilledMidBatchAndRestarted(@TempDir Path tmp) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String appId = "segmenter-crash-" + suffix;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("topic.frames", "frames-" + suffix);
        settings.put("topic.masks", "masks-" + suffix);
        settings.put("topic.labelled", "labelled-" + suffix);
        settings.put("topic.dlq", "dlq-" + suffix);
        settings.put(SegmenterConfig.MODEL_FILTERS, "8");
        settings.put(SegmenterConfig.MAX_BATCH_SIZE, Integer.toString(BATCH));
        settings.put(SegmenterConfig.MAX_BATCH_DELAY_MS, "60000");
        settings.put("session.timeout.ms", "6000");
        SegmenterConfig probe = new SegmenterConfig(settings);
        Topics topics = probe.topics();
        KAFKA.createTopics(topics);
        PipelineClient client = new PipelineClient(KAFKA.clientProperties(), topics);
        String changelog = appId + "-pending-frames-changelog";

        Process child = startChild(settings, appId, tmp.resolve("child-state"), tmp.resolve("child.log"));
        List<String> sent = new ArrayList<>();
        try {
            client.publish(frames(topics, sent, 0, 2 * BATCH));
            List<ConsumerRecord<String, byte[]>> first = client.collect(topics.masks().name(),
                    out -> out.size() >= 2 * BATCH, Duration.ofSeconds(120));
            assertThat(first).as(log(tmp)).hasSize(2 * BATCH);

            // Fewer frames than a batch: they wait in the open batch (delay 60 s) until the kill.
            client.publish(frames(topics, sent, 2 * BATCH, BATCH - 1));
            List<ConsumerRecord<String, byte[]>> pending = client.collect(changelog,
                    out -> livePending(out) >= BATCH - 1, Duration.ofSeconds(60));
            assertThat(livePending(pending)).as(log(tmp)).isEqualTo(BATCH - 1);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        Map<String, Object> restart = new HashMap<>(settings);
        restart.put(CommonConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        restart.put(CommonConfig.METRICS_PORT, "-1");
        restart.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        restart.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("restart-state").toString());
        restart.put(SegmenterConfig.MAX_BATCH_DELAY_MS, "50");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SegmenterService segmenter = new SegmenterService(new SegmenterConfig(restart), registry)) {
            segmenter.start();
            client.publish(frames(topics, sent, 3 * BATCH - 1, 1));
            List<ConsumerRecord<String, byte[]>> masks = client.collect(topics.masks().name(),
                    out -> out.size() >= sent.size(), Duration.ofSeconds(120));

            Map<String, Long> perFrame = masks.stream().collect(Collectors.groupingBy(
                    r -> FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElse("?"), Collectors.counting()));
            assertThat(perFrame.keySet()).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(perFrame).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            for (ConsumerRecord<String, byte[]> r : masks) {
                ClassMask mask = ImageCodec.decodeMaskPng(r.value());
                assertThat(mask.width()).isEqualTo(64);
                assertThat(mask.height()).isEqualTo(48);
            }
            assertThat(registry.get("segstream.segmenter.frames.recovered").functionCounter().count())
                    .as("frames taken back from the store, not re-read from frames").isEqualTo(BATCH - 1);
            assertThat(client.collect(topics.dlq().name(), out -> false, Duration.ofMillis(500))).isEmpty();
        }
    }

    private static List<ProducerRecord<String, byte[]>> frames(Topics topics, List<String> sent, int from, int n) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            String id = "crash-frame-" + i;
            RecordHeaders headers = new RecordHeaders();
            FrameHeaders.put(headers, FrameHeaders.FRAME_ID, id);
            FrameHeaders.put(headers, FrameHeaders.FRAME_TS, Long.toString(System.currentTimeMillis()));
            out.add(new ProducerRecord<>(topics.frames().name(), null, "cam" + (i % 4),
                    SegmenterPipelineContract.noisePng(64, 48, i), headers));
            sent.add(id);
        }
        return out;
    }

    /** Keys of the changelog whose latest value is a frame (not a tombstone). */
    private static long livePending(List<ConsumerRecord<String, byte[]>> changelog) {
        Map<String, Boolean> live = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : changelog) {
            live.put(r.partition() + "/" + r.key(), r.value() != null);
        }
        return live.values().stream().filter(b -> b).count();
    }

    private static Process startChild(Map<String, String> settings, String appId, Path stateDir, Path log)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.segstream.segmenter.SegmenterMain",
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--metrics-port", "-1", "--application-id", appId,
                "--kafka", StreamsConfig.STATE_DIR_CONFIG + "=" + stateDir));
        settings.forEach((k, v) -> cmd.addAll(List.of("--kafka", k + "=" + v)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String log(Path tmp) {
        try {
            return "segmenter log:\n" + Files.readString(tmp.resolve("child.log"));
        } catch (Exception e) {
            return "no segmenter log: " + e;
        }
    }
}

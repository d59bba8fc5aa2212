package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.ModelAnnouncement;
import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.producer.FrameProducer;
import dev.segstream.producer.ProducerConfig;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import dev.segstream.trainer.service.TrainerService;
import dev.segstream.trainer.service.TrainerServiceConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop on a real broker, untrained start: synthetic cameras publish frames and their
 * exact labels; the trainer service retrains vanilla in rounds and publishes a version that beats
 * the untrained model on held-out frames; the segmenter, following the models topic, swaps to it
 * mid-stream. Every frame gets exactly one mask; masks before the swap name the untrained model,
 * masks after it the published version, and no camera goes back.
 */
class TrainerServiceLoopTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @TempDir
    Path tmp;

    private static JsonNode json(byte[] value) {
        try {
            return new ObjectMapper().readTree(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldPublishBetterVersionAndSwapItInMidStreamWhenLabelsArrive() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> common = LoopSettings.common(KAFKA.bootstrapServers(), suffix, tmp);

        Map<String, Object> seg = new HashMap<>(common);
        seg.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-loop-" + suffix);
        seg.put(SegmenterConfig.MODEL_FILTERS, "4");
        seg.put(SegmenterConfig.MODEL_DEPTH, "2");
        seg.put(SegmenterConfig.MODEL_SERVE, "latest");
        seg.put(SegmenterConfig.MAX_BATCH_DELAY_MS, "5");
        seg.put(SegmenterConfig.MODEL_WARMUP, "64x48");
        seg.put(SegmenterConfig.QUALITY_ENABLED, "true");
        seg.put(SegmenterConfig.QUALITY_WINDOW_FRAMES, "10");
        seg.put(SegmenterConfig.QUALITY_MAX_FPS, "100");
        seg.put(SegmenterConfig.QUALITY_GROUP_ID, "quality-" + suffix);
        seg.put(SegmenterConfig.QUALITY_SHADOW_VARIANTS, "residual");
        SegmenterConfig segmenterConfig = new SegmenterConfig(seg);
        Topics topics = segmenterConfig.topics();
        KAFKA.createTopics(topics);

        Map<String, Object> tr = LoopSettings.trainer(common, "trainer-service-" + suffix, 24, 4);
        tr.put(TrainerServiceConfig.VARIANTS, "vanilla,residual");
        tr.put(TrainerServiceConfig.LR, "0.003");
        tr.put(TrainerServiceConfig.HELDOUT_PERCENT, "20");

        Map<String, Object> prod = new HashMap<>(common);
        prod.put(ProducerConfig.FPS, "6");
        prod.put(ProducerConfig.SYNTHETIC_CAMERAS, "2");
        prod.put(ProducerConfig.FRAMES_MAX, "200");
        prod.put(ProducerConfig.SYNTHETIC_WIDTH, "64");
        prod.put(ProducerConfig.SYNTHETIC_HEIGHT, "48");

        SimpleMeterRegistry segRegistry = new SimpleMeterRegistry();
        PipelineClient client = new PipelineClient(KAFKA.clientProperties(), topics);
        try (SegmenterService segmenter = new SegmenterService(segmenterConfig, segRegistry)) {
            segmenter.start();
            TrainerService trainer = new TrainerService(new TrainerServiceConfig(tr), new SimpleMeterRegistry());
            Thread trainerThread = new Thread(trainer, "trainer-service");
            trainerThread.start();
            long sent;
            try (FrameProducer producer = new FrameProducer(new ProducerConfig(prod), new SimpleMeterRegistry())) {
                producer.run();
                sent = producer.framesSent();
            } finally {
                await("a swap").atMost(Duration.ofSeconds(90)).until(() ->
                        segRegistry.get("segstream.segmenter.model.swaps").functionCounter().count() >= 1
                                || trainer.failure().isPresent());
                trainer.close();
                trainerThread.join(60_000);
            }
            assertThat(trainer.failure()).isEmpty();
            assertThat(trainer.published()).isGreaterThanOrEqualTo(1);

            List<ConsumerRecord<String, byte[]>> announcements = client.collect(topics.models().name(),
                    out -> !out.isEmpty(), Duration.ofSeconds(20));
            ModelAnnouncement first = ModelAnnouncement.parse(announcements.get(0).value());
            assertThat(first.metric(ModelAnnouncement.HELDOUT_MIOU))
                    .as("published version beats the untrained start on the same held-out frames")
                    .isGreaterThan(first.metric("heldout_miou_parent"));
            assertThat(first.lineage()).isNotEmpty().allSatisfy(r -> assertThat(r.to()).isGreaterThan(r.from()));

            List<ConsumerRecord<String, byte[]>> masks = client.collect(topics.masks().name(),
                    out -> out.size() >= sent, Duration.ofSeconds(60));
            Map<String, String> versionById = new HashMap<>();
            Map<String, Boolean> swappedCamera = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : masks) {
                String id = FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElseThrow();
                String version = FrameHeaders.text(r.headers(), FrameHeaders.MODEL_VERSION).orElseThrow();
                assertThat(versionById.put(id, version)).as("duplicate mask for %s", id).isNull();
                boolean trained = !version.equals("untrained-seed42");
                if (swappedCamera.getOrDefault(r.key(), false)) {
                    assertThat(trained).as("camera %s went back to the untrained model at %s", r.key(), id).isTrue();
                }
                swappedCamera.merge(r.key(), trained, Boolean::logicalOr);
            }
            assertThat(versionById).hasSize((int) sent);

            // live quality on late labels: the serving model's windowed mIoU rises from the untrained start
            List<ConsumerRecord<String, byte[]>> quality = client.collect(topics.quality().name(),
                    out -> out.stream().anyMatch(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)
                            .contains("\"shadow\"")) && out.size() >= 3, Duration.ofSeconds(30));
            List<JsonNode> all = quality.stream().map(r -> json(r.value())).toList();
            List<JsonNode> windows = all.stream().filter(n -> n.get("role").asText().equals("serving")).toList();
            // the residual variant's newest version scored on the same labelled frames, as a shadow
            assertThat(all).anySatisfy(n -> {
                assertThat(n.get("role").asText()).isEqualTo("shadow");
                assertThat(n.get("variant").asText()).isEqualTo("residual");
                assertThat(n.get("miou").asDouble()).isGreaterThan(0.05);
            });
            JsonNode firstWindow = windows.get(0);
            JsonNode lastWindow = windows.get(windows.size() - 1);
            assertThat(firstWindow.get("version").asText()).isEqualTo("untrained-seed42");
            assertThat(firstWindow.get("role").asText()).isEqualTo("serving");
            assertThat(lastWindow.get("version").asText()).isNotEqualTo("untrained-seed42");
            assertThat(lastWindow.get("miou").asDouble()).isGreaterThan(firstWindow.get("miou").asDouble() + 0.2);
            assertThat(segRegistry.get("segstream.quality.miou").tag("role", "serving").gauges()).isNotEmpty();
            assertThat(versionById.values()).contains("untrained-seed42", first.version());
        }
    }
}

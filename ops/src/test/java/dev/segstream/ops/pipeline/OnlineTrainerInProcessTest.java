package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.TopicsConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.SegmentationModel;
import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.producer.FrameProducer;
import dev.segstream.producer.ProducerConfig;
import dev.segstream.producer.SyntheticRoadCamera;
import dev.segstream.trainer.online.OnlineTrainer;
import dev.segstream.trainer.online.OnlineTrainerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The online trainer learns from labelled frames the producer publishes to a real broker, shrugs
 * off a record that is not a labelled frame, and writes model versions the segmenter can load.
 */
class OnlineTrainerInProcessTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @Test
    void shouldPublishLoadableVersionsWhenLabelledFramesArrive(@TempDir Path out) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> common = new HashMap<>();
        common.put(CommonConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        common.put(CommonConfig.METRICS_PORT, "-1");
        common.put(TopicsConfig.FRAMES_TOPIC, "frames-" + suffix);
        common.put(TopicsConfig.LABELLED_TOPIC, "labelled-" + suffix);
        Topics topics = new ProducerConfig(common).topics();
        KAFKA.createTopics(topics);

        PipelineClient client = new PipelineClient(KAFKA.clientProperties(), topics);
        client.publish(List.of(new ProducerRecord<>(topics.labelled().name(), "junk",
                "not an SGLF record".getBytes(StandardCharsets.UTF_8))));
        Map<String, Object> producerSettings = new HashMap<>(common);
        producerSettings.put(ProducerConfig.FPS, "0");
        producerSettings.put(ProducerConfig.FRAMES_MAX, "24");
        producerSettings.put(ProducerConfig.SYNTHETIC_WIDTH, "64");
        producerSettings.put(ProducerConfig.SYNTHETIC_HEIGHT, "48");
        try (FrameProducer producer = new FrameProducer(new ProducerConfig(producerSettings), new SimpleMeterRegistry())) {
            producer.run();
            assertThat(producer.labelledSent()).isEqualTo(24);
        }

        Map<String, Object> trainerSettings = new HashMap<>(common);
        trainerSettings.put(OnlineTrainerConfig.OUT_DIR, out.toString());
        trainerSettings.put(OnlineTrainerConfig.FILTERS, "4");
        trainerSettings.put(OnlineTrainerConfig.DEPTH, "2");
        trainerSettings.put(OnlineTrainerConfig.BATCH_SIZE, "4");
        trainerSettings.put(OnlineTrainerConfig.STEP_INTERVAL_MS, "0");
        trainerSettings.put(OnlineTrainerConfig.SAVE_EVERY_STEPS, "2");
        trainerSettings.put(OnlineTrainerConfig.GROUP_ID, "trainer-" + suffix);
        trainerSettings.put(OnlineTrainerConfig.DEVICE, "cpu");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OnlineTrainer trainer = new OnlineTrainer(new OnlineTrainerConfig(trainerSettings), registry);
        Thread thread = new Thread(trainer, "online-trainer");
        thread.start();
        try {
            await("4 steps on all 24 labelled frames").atMost(Duration.ofSeconds(60))
                    .until(() -> trainer.steps() >= 4 && trainer.accepted() >= 24);
        } finally {
            trainer.close();
            thread.join(30_000);
        }

        assertThat(thread.isAlive()).isFalse();
        assertThat(trainer.accepted()).isEqualTo(24);
        assertThat(trainer.rejected()).isEqualTo(1);
        assertThat(trainer.steps()).isGreaterThanOrEqualTo(4);
        assertThat(registry.get("segstream.trainer.samples").tag("outcome", "rejected").functionCounter().count()).isEqualTo(1);
        Path latest = trainer.latestVersion().orElseThrow();
        assertThat(ModelArtifacts.readDescriptor(latest).version()).isEqualTo(latest.getFileName().toString());
        try (SegmentationModel model = ModelArtifacts.load(latest, "cpu");
             var predictor = model.newPredictor()) {
            ClassMask mask = predictor.predict(List.of(new SyntheticRoadCamera(1).frame(0).image())).get(0);
            assertThat(mask.width()).isEqualTo(128);
            assertThat(mask.height()).isEqualTo(96);
        }
    }
}

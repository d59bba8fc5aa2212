package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.segstream.core.topic.Topics;
import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.producer.FrameProducer;
import dev.segstream.producer.ProducerConfig;
import dev.segstream.trainer.service.TrainerService;
import dev.segstream.trainer.service.TrainerServiceConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log is the dataset: a restarted trainer service rebuilds its window from the topic behind
 * its committed position, does not count those frames as new (no round until new labels arrive),
 * and trains again once they do.
 */
class TrainerServiceRestartTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @TempDir
    Path tmp;

    @Test
    void shouldRebuildWindowFromTheLogWithoutRetrainingWhenRestarted() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> common = LoopSettings.common(KAFKA.bootstrapServers(), suffix, tmp);
        Map<String, Object> tr = LoopSettings.trainer(common, "trainer-restart-" + suffix, 20, 1);
        TrainerServiceConfig config = new TrainerServiceConfig(tr);
        Topics topics = config.topics();
        KAFKA.createTopics(topics);

        produce(common, 40, 1);
        TrainerService first = new TrainerService(config, new SimpleMeterRegistry());
        Thread t1 = start(first);
        await("a first round").atMost(Duration.ofSeconds(60)).until(() -> first.rounds() >= 1);
        int windowBefore = first.windowFrames();
        first.close();
        t1.join(30_000);
        assertThat(first.failure()).isEmpty();

        TrainerService second = new TrainerService(config, new SimpleMeterRegistry());
        Thread t2 = start(second);
        try {
            await("the window rebuilt from the log").atMost(Duration.ofSeconds(30))
                    .until(() -> second.windowFrames() >= windowBefore);
            await("no round on frames seen before the restart").during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5)).until(() -> second.rounds() == 0);
            produce(common, 40, 2);
            await("a round once new labels arrive").atMost(Duration.ofSeconds(60)).until(() -> second.rounds() >= 1);
        } finally {
            second.close();
            t2.join(30_000);
        }
        assertThat(second.failure()).isEmpty();
    }

    private static Thread start(TrainerService service) {
        Thread t = new Thread(service, "trainer-service");
        t.start();
        return t;
    }

    private static void produce(Map<String, Object> common, int frames, long seed) throws Exception {
        Map<String, Object> prod = new HashMap<>(common);
        prod.put(ProducerConfig.FPS, "0");
        prod.put(ProducerConfig.SYNTHETIC_CAMERAS, "2");
        prod.put(ProducerConfig.FRAMES_MAX, Integer.toString(frames));
        prod.put(ProducerConfig.SYNTHETIC_SEED, Long.toString(seed));
        prod.put(ProducerConfig.SYNTHETIC_WIDTH, "64");
        prod.put(ProducerConfig.SYNTHETIC_HEIGHT, "48");
        try (FrameProducer producer = new FrameProducer(new ProducerConfig(prod), new SimpleMeterRegistry())) {
            producer.run();
        }
    }
}

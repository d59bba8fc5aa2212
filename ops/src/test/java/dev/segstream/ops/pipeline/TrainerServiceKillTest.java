package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.ModelAnnouncement;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.SegmentationModel;
import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.producer.FrameProducer;
import dev.segstream.producer.ProducerConfig;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import dev.segstream.trainer.service.TrainerServiceConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer service ({@code trainer serve}, in a child JVM) SIGKILLed mid-round three times:
 * while training, while saving the candidate's artifact to its scratch folder, and at the first
 * sign of the write into the model store (its temporary folder, or the renamed version not yet
 * announced). Each time it is restarted and must carry on; at the end every announcement on
 * {@code models} points to a whole artifact (present, loads, sha256 as announced), and a segmenter
 * following the topic refused nothing and serves the newest version.
 */
class TrainerServiceKillTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    private enum Moment { TRAINING, ARTIFACT_SAVE, STORE_WRITE }

    @TempDir
    Path tmp;

    private Map<String, Object> common;
    private long seed;

    @Test
    void shouldResumeAndAnnounceOnlyWholeVersionsWhenTrainerIsKilledMidRound() throws Exception {
        long t0 = System.currentTimeMillis();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        common = LoopSettings.common(KAFKA.bootstrapServers(), suffix, tmp);
        Map<String, Object> tr = LoopSettings.trainer(common, "trainer-kill-" + suffix, 16, 2.0);
        // A SIGKILLed member keeps its partitions until its session expires (45 s by default): the
        // restarted service waits that long before it reads again. The broker's minimum, to keep the test short.
        tr.put("session.timeout.ms", "6000");
        Topics topics = new TrainerServiceConfig(tr).topics();
        KAFKA.createTopics(topics);
        Path store = tmp.resolve("store");
        Path variantDir = store.resolve("vanilla");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> timeline = new ArrayList<>();

        try (SegmenterService segmenter = new SegmenterService(segmenterConfig(suffix), registry)) {
            segmenter.start();
            produce(32);
            int run = 0;
            for (Moment moment : Moment.values()) {
                Path scratch = tmp.resolve("scratch-" + run);
                try (ChildTrainer trainer = ChildTrainer.start(tr, scratch, tmp.resolve("trainer-" + run++ + ".log"))) {
                    List<String> before = list(variantDir);
                    BooleanSupplier due = switch (moment) {
                        // after a first version, so that the next rounds start from an announced champion
                        case TRAINING -> () -> trainer.published() >= 1 && trainer.roundsRunning() == 1;
                        case ARTIFACT_SAVE -> () -> !versionsIn(scratch).isEmpty();
                        case STORE_WRITE -> () -> !newEntries(variantDir, before).isEmpty();
                    };
                    killWhen(trainer, due, moment == Moment.TRAINING ? Duration.ofMillis(800) : Duration.ZERO);
                    timeline.add(String.format("%6d ms kill %-13s store after: %s, announced %d", since(t0), moment,
                            describe(variantDir, newEntries(variantDir, before)), announcements(topics).size()));
                }
            }
            int announcedBefore = announcements(topics).size();
            // What a kill in the middle of the store's copy leaves (on this file system that window is
            // too short to hit from outside): a hidden temporary folder holding part of an artifact.
            Path partial = Files.createDirectories(variantDir.resolve(".vanilla-partial.tmp-" + System.nanoTime()));
            Files.write(partial.resolve(ModelArtifacts.PARAMS_FILE), new byte[] {1, 2, 3});
            try (ChildTrainer trainer = ChildTrainer.start(tr, tmp.resolve("scratch-final"), tmp.resolve("final.log"))) {
                timeline.add(String.format("%6d ms restart, %d versions announced so far", since(t0), announcedBefore));
                await("a version published after the restarts").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> feedWhileIdle(trainer) && announcements(topics).size() > announcedBefore);
            }
            List<ModelAnnouncement> announced = announcements(topics);
            timeline.add(String.format("%6d ms versions announced: %d before the final restart, %d after", since(t0),
                    announcedBefore, announced.size()));
            String newest = announced.get(announced.size() - 1).version();
            await("the segmenter serves the newest version").atMost(Duration.ofSeconds(60))
                    .until(() -> registry.find("segstream.segmenter.model.info").tag("version", newest).gauges().stream()
                            .anyMatch(g -> g.value() == 1));

            for (ModelAnnouncement a : announced) {
                Path dir = Path.of(URI.create(a.uri()));
                assertThat(dir).as("announced " + a.version()).isDirectory();
                ModelDescriptor d = ModelArtifacts.readDescriptor(dir);
                assertThat(d.weightsSha256()).as(a.version()).isEqualToIgnoringCase(a.weightsSha256());
                assertThat(ModelArtifacts.sha256(dir.resolve(ModelArtifacts.PARAMS_FILE)))
                        .isEqualToIgnoringCase(a.weightsSha256());
                try (SegmentationModel m = ModelArtifacts.load(dir, "cpu")) {
                    assertThat(m.descriptor().version()).isEqualTo(a.version());
                }
            }
            for (String reason : List.of("missing", "sha256", "load", "nonfinite", "malformed", "uri")) {
                assertThat(registry.get("segstream.segmenter.model.refused").tag("reason", reason).functionCounter()
                        .count()).as("segmenter refusals for " + reason).isZero();
            }
            List<String> leftovers = list(variantDir).stream().filter(n -> n.startsWith(".")).toList();
            assertThat(announced).noneMatch(a -> a.uri().contains(".tmp-"));
            timeline.add("temporary folders in the store (never announced, ignored by readers): " + leftovers);
            timeline.add(String.format("segmenter swaps %d, wall time %d ms",
                    (long) registry.get("segstream.segmenter.model.swaps").functionCounter().count(), since(t0)));
        } finally {
            System.out.println("trainer-kill timeline:\n  " + String.join("\n  ", timeline));
        }
    }

    /** Waits (feeding labels whenever no round runs) until {@code due}, waits {@code then}, and SIGKILLs. */
    private void killWhen(ChildTrainer trainer, BooleanSupplier due, Duration then) throws InterruptedException {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(then.isZero() ? 1 : 50))
                .until(() -> due.getAsBoolean() || !feedWhileIdle(trainer));
        assertThat(trainer.isAlive()).as(trainer.logTail()).isTrue();
        if (!then.isZero()) {
            await().pollDelay(then).until(() -> true);
            assertThat(trainer.roundsRunning()).as("still mid-round when killed").isEqualTo(1);
        }
        trainer.kill();
    }

    private long lastFeed;
    private long lastCheck;

    /** Sends a few labelled frames every 3 s while no round runs, so that rounds keep coming; false if the trainer died. */
    private boolean feedWhileIdle(ChildTrainer trainer) throws Exception {
        if (!trainer.isAlive()) {
            return false;
        }
        long now = System.currentTimeMillis();
        if (now - lastFeed > 3_000 && now - lastCheck > 200) {
            lastCheck = now;
            if (trainer.roundsRunning() == 0) {
                produce(16);
            }
        }
        return true;
    }

    private void produce(int frames) throws Exception {
        lastFeed = System.currentTimeMillis();
        Map<String, Object> prod = new HashMap<>(common);
        prod.put(ProducerConfig.FPS, "0");
        prod.put(ProducerConfig.SYNTHETIC_CAMERAS, "2");
        prod.put(ProducerConfig.FRAMES_MAX, Integer.toString(frames));
        prod.put(ProducerConfig.SYNTHETIC_SEED, Long.toString(++seed));
        prod.put(ProducerConfig.SYNTHETIC_WIDTH, "64");
        prod.put(ProducerConfig.SYNTHETIC_HEIGHT, "48");
        try (FrameProducer producer = new FrameProducer(new ProducerConfig(prod), new SimpleMeterRegistry())) {
            producer.run();
        }
    }

    private SegmenterConfig segmenterConfig(String suffix) {
        Map<String, Object> s = new HashMap<>(common);
        s.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-trainer-kill-" + suffix);
        s.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("segmenter-state").toString());
        s.put(SegmenterConfig.MODEL_FILTERS, "4");
        s.put(SegmenterConfig.MODEL_DEPTH, "2");
        s.put(SegmenterConfig.MODEL_SERVE, "latest");
        s.put(SegmenterConfig.MAX_BATCH_DELAY_MS, "5");
        return new SegmenterConfig(s);
    }

    /** Every version announced on {@code models}, oldest first, read committed to the end. */
    private static List<ModelAnnouncement> announcements(Topics topics) {
        Map<String, Object> props = new HashMap<>(KAFKA.clientProperties());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ModelAnnouncement> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topics.models().name(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (!ModelAnnouncement.PIN_KEY.equals(r.key())) {
                        out.add(ModelAnnouncement.parse(r.value()));
                    }
                }
            }
        }
        return out;
    }

    /** Version folders the trainer is saving in its scratch folder ({@code java.io.tmpdir/segstream-trainer-service*}). */
    private static List<Path> versionsIn(Path scratch) {
        try (Stream<Path> services = Files.list(scratch)) {
            List<Path> out = new ArrayList<>();
            for (Path s : services.filter(p -> p.getFileName().toString().startsWith("segstream-trainer-service")).toList()) {
                try (Stream<Path> versions = Files.list(s)) {
                    versions.forEach(out::add);
                }
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Each entry with its files and their sizes, e.g. {@code .v.tmp-1[unet-0000.params=123]}. */
    private static List<String> describe(Path dir, List<String> entries) {
        List<String> out = new ArrayList<>();
        for (String e : entries) {
            try (Stream<Path> files = Files.list(dir.resolve(e))) {
                out.add(e + files.map(f -> f.getFileName() + "=" + f.toFile().length()).sorted().toList());
            } catch (IOException x) {
                out.add(e + "(" + x + ")");
            }
        }
        return out;
    }

    private static List<String> newEntries(Path dir, List<String> before) {
        return list(dir).stream().filter(n -> !before.contains(n)).toList();
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long since(long t0) {
        return System.currentTimeMillis() - t0;
    }
}

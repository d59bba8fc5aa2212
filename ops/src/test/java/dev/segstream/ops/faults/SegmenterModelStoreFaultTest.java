package dev.segstream.ops.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Model;
import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.ModelAnnouncement;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.PyTorch;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.store.DirectoryModelStore;
import dev.segstream.ops.testing.InProcessKafka;
import dev.segstream.ops.verify.EosVerdict;
import dev.segstream.ops.verify.EosVerifier;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model store failing under a segmenter that follows {@code models} ({@code model.serve=latest}):
 * an announced artifact that is gone by the time the segmenter fetches it, a store whose volume is
 * gone (the root directory missing), and a restart after the newest announced artifact was deleted.
 * Each is refused as {@code missing}, counted and logged with its reason, while masks keep flowing
 * from a verified version. {@code SegmenterHotSwapTest} covers the refusals of artifacts that are
 * there but wrong (sha256, truncated, classes, NaN, URI, malformed).
 */
class SegmenterModelStoreFaultTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    private static final UNetSpec SPEC = new UNetSpec(UNetVariant.VANILLA, 2, 4, CamVidClasses.COUNT);

    @TempDir
    Path tmp;

    private DirectoryModelStore store;
    private SegmenterConfig config;
    private Topics topics;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stderr;
    private int nextFrame;

    @BeforeEach
    void setUp() {
        // slf4j-simple writes to the System.err of the moment: keep it and a copy to read the reasons
        stderr = System.err;
        System.setErr(new PrintStream(new TeeStream(stderr, log), true, StandardCharsets.UTF_8));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        store = new DirectoryModelStore(tmp.resolve("store"));
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        settings.put(CommonConfig.METRICS_PORT, "-1");
        for (String t : List.of("frames", "masks", "labelled", "dlq", "models")) {
            settings.put("topic." + t, t + "-" + suffix);
        }
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-store-" + suffix);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
        settings.put(SegmenterConfig.MODEL_FILTERS, "4");
        settings.put(SegmenterConfig.MODEL_DEPTH, "2");
        settings.put(SegmenterConfig.MODEL_SERVE, "latest");
        settings.put(SegmenterConfig.MODEL_STORE, store.root().toString());
        settings.put(SegmenterConfig.MAX_BATCH_DELAY_MS, "5");
        config = new SegmenterConfig(settings);
        topics = config.topics();
        KAFKA.createTopics(topics);
    }

    @AfterEach
    void tearDown() {
        System.setErr(stderr);
    }

    @Test
    void shouldKeepServingLoadedVersionWhenAnnouncedArtifactIsGoneOrStoreIsUnreachable() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SegmenterService segmenter = new SegmenterService(config, registry)) {
            segmenter.start();
            announce(save("v1", 7));
            await().atMost(Duration.ofSeconds(60)).until(() -> counter(registry, "segstream.segmenter.model.swaps") == 1);
            publishAndAwaitMasks(8, "v1");

            // v2 is written and announced, but its directory is deleted before the segmenter fetches it
            ModelAnnouncement v2 = save("v2", 8);
            deleteRecursively(store.root().resolve("vanilla").resolve("v2"));
            announce(v2);
            await().atMost(Duration.ofSeconds(30)).until(() -> refused(registry, "missing") == 1);
            assertThat(log()).contains("model refused (missing): vanilla v2", "deleted or never written",
                    "still serving vanilla v1");
            publishAndAwaitMasks(8, "v1");

            // the store's volume is gone: its root directory is not there when v3 is announced
            ModelAnnouncement v3 = save("v3", 9);
            Path away = tmp.resolve("store-unmounted");
            Files.move(store.root(), away);
            try {
                announce(v3);
                await().atMost(Duration.ofSeconds(30)).until(() -> refused(registry, "missing") == 2);
                assertThat(log()).contains("model refused (missing): vanilla v3", "still serving vanilla v1");
                publishAndAwaitMasks(8, "v1");
            } finally {
                Files.move(away, store.root());
            }
            assertThat(segmenter.engine().descriptor().version()).isEqualTo("v1");
            assertThat(counter(registry, "segstream.segmenter.model.swaps")).isEqualTo(1);
            assertThat(refused(registry, "load") + refused(registry, "uri") + refused(registry, "sha256"))
                    .as("a missing artifact is refused as missing, nothing else").isZero();
        }
        EosVerdict verdict = new EosVerifier(KAFKA.clientProperties(), topics).verify(Duration.ofSeconds(30));
        System.out.println("EOS verdict: " + verdict);
        assertThat(verdict.passed()).as(verdict.toString()).isTrue();
        assertThat(verdict.masks()).isEqualTo(24);
    }

    @Test
    void shouldServeNewestLoadableVersionWhenRestartedAfterLatestArtifactWasDeleted() throws Exception {
        announce(save("v1", 7));
        announce(save("v2", 8));
        // v2 was announced (and perhaps served by others), then its artifact was deleted
        deleteRecursively(store.root().resolve("vanilla").resolve("v2"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (SegmenterService segmenter = new SegmenterService(config, registry)) {
            segmenter.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> refused(registry, "missing") == 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> segmenter.engine().descriptor().version().equals("v1"));
            publishAndAwaitMasks(8, "v1");
        }
        EosVerdict verdict = new EosVerifier(KAFKA.clientProperties(), topics).verify(Duration.ofSeconds(30));
        System.out.println("EOS verdict: " + verdict);
        assertThat(verdict.passed()).as(verdict.toString()).isTrue();
    }

    /** Publishes {@code n} frames and waits for their masks, every one made by {@code version}. */
    private void publishAndAwaitMasks(int n, String version) throws Exception {
        Map<String, Object> p = new HashMap<>(KAFKA.clientProperties());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        List<String> ids = new java.util.ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                String id = "f-" + nextFrame;
                org.apache.kafka.common.header.internals.RecordHeaders headers =
                        new org.apache.kafka.common.header.internals.RecordHeaders();
                FrameHeaders.put(headers, FrameHeaders.FRAME_ID, id);
                producer.send(new ProducerRecord<>(topics.frames().name(), null, "cam" + (nextFrame % 4),
                        FrameStream.noisePng(nextFrame), headers)).get();
                ids.add(id);
                nextFrame++;
            }
        }
        try (OutputWatcher watcher = new OutputWatcher(KAFKA.clientProperties(), topics.masks().name(),
                topics.dlq().name())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> watcher.seen().stream()
                    .filter(s -> ids.contains(s.frameId())).count() == n);
            assertThat(watcher.seen()).filteredOn(s -> ids.contains(s.frameId())).allSatisfy(s ->
                    assertThat(s.mask()).as("%s is a mask", s.frameId()).isTrue());
        }
        assertThat(maskVersions(ids)).as("model of the masks of %s", ids).containsOnly(version);
    }

    private List<String> maskVersions(List<String> ids) {
        Map<String, Object> c = new HashMap<>(KAFKA.clientProperties());
        c.put("group.id", "versions-" + UUID.randomUUID());
        c.put("isolation.level", "read_committed");
        c.put("auto.offset.reset", "earliest");
        List<String> out = new java.util.ArrayList<>();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(c,
                             new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                             new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.masks().name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (ids.contains(FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElse("?"))) {
                        out.add(FrameHeaders.text(r.headers(), FrameHeaders.MODEL_VERSION).orElse("?"));
                    }
                });
                return out.size() >= ids.size();
            });
        }
        return out;
    }

    /** Saves a seeded model as {@code version}, puts it in the store and returns its announcement. */
    private ModelAnnouncement save(String version, int seed) {
        PyTorch.seed(seed);
        ModelDescriptor d;
        try (Model model = ModelArtifacts.newModel(SPEC, ai.djl.Device.cpu())) {
            d = ModelArtifacts.save(tmp.resolve(version), model, ModelArtifacts.descriptor(SPEC, version,
                    ModelArtifacts.DEFAULT_MEAN, ModelArtifacts.DEFAULT_STD, "test", Map.of("heldout_miou", 0.1)));
        }
        String uri = store.put(tmp.resolve(version), "vanilla", version).toString();
        return new ModelAnnouncement("vanilla", version, uri, d.weightsSha256(), null, d.metrics(), List.of(),
                Instant.now().toString());
    }

    private void announce(ModelAnnouncement a) throws Exception {
        Map<String, Object> p = new HashMap<>(KAFKA.clientProperties());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.models().name(), a.variant(), a.toBytes())).get();
        }
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private static double counter(SimpleMeterRegistry registry, String name) {
        return registry.get(name).functionCounter().count();
    }

    private static double refused(SimpleMeterRegistry registry, String reason) {
        return registry.get("segstream.segmenter.model.refused").tag("reason", reason).functionCounter().count();
    }

    /** Writes to two streams; the log copy is shared with the follower thread, hence synchronized. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}

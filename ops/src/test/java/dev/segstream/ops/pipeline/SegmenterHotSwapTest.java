package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Model;
import ai.djl.nn.Parameter;
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
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot swap on a real broker: the segmenter follows the models topic ({@code model.serve=latest}),
 * swaps to an announced version mid-stream, and refuses a wrong sha256, a truncated weights file,
 * a wrong class count, a NaN weight, URIs outside the model store and a malformed record, each
 * counted by reason while masks keep flowing from the version it serves. Every frame gets exactly
 * one mask, and each mask names the version that made it.
 */
class SegmenterHotSwapTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    private static final UNetSpec SPEC = new UNetSpec(UNetVariant.VANILLA, 2, 4, CamVidClasses.COUNT);

    @TempDir
    Path tmp;

    private DirectoryModelStore store;
    private Topics topics;
    private SimpleMeterRegistry registry;

    @Test
    void shouldSwapMidStreamAndRefuseBadVersionsWhileMasksKeepFlowing() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        store = new DirectoryModelStore(tmp.resolve("store"));
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        settings.put(CommonConfig.METRICS_PORT, "-1");
        for (String t : List.of("frames", "masks", "labelled", "dlq", "models")) {
            settings.put("topic." + t, t + "-" + suffix);
        }
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-swap-" + suffix);
        settings.put(SegmenterConfig.MODEL_FILTERS, "4");
        settings.put(SegmenterConfig.MODEL_DEPTH, "2");
        settings.put(SegmenterConfig.MODEL_SERVE, "latest");
        settings.put(SegmenterConfig.MODEL_STORE, store.root().toString());
        settings.put(SegmenterConfig.MAX_BATCH_DELAY_MS, "5");
        SegmenterConfig config = new SegmenterConfig(settings);
        topics = config.topics();
        KAFKA.createTopics(topics);
        registry = new SimpleMeterRegistry();
        PipelineClient client = new PipelineClient(KAFKA.clientProperties(), topics);

        try (SegmenterService segmenter = new SegmenterService(config, registry)) {
            segmenter.start();
            client.publish(frames(0, 8));
            await().atMost(Duration.ofSeconds(60)).until(() -> masks(client, 8).size() >= 8);

            ModelDescriptor v1 = save("v1", SPEC, 7);
            announce(v1, store.put(tmp.resolve("v1"), "vanilla", "v1").toString(), v1.weightsSha256());
            await().atMost(Duration.ofSeconds(60)).until(() -> counter("segstream.segmenter.model.swaps") == 1);
            client.publish(frames(8, 8));

            refusedWrongSha();
            refusedTruncatedWeights();
            refusedWrongClassCount();
            refusedNaNWeight();
            refusedOutsideStore();
            announceRaw("vanilla", "{not json".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(30)).until(() -> refused("malformed") == 1);
            client.publish(frames(16, 8));

            List<ConsumerRecord<String, byte[]>> masks = masks(client, 24);
            Map<String, String> versionById = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : masks) {
                String id = FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElseThrow();
                assertThat(versionById.put(id, FrameHeaders.text(r.headers(), FrameHeaders.MODEL_VERSION).orElseThrow()))
                        .as("duplicate mask for %s", id).isNull();
            }
            assertThat(versionById).hasSize(24);
            for (int i = 0; i < 24; i++) {
                assertThat(versionById.get("f-" + i)).as("frame %d", i)
                        .isEqualTo(i < 8 ? "untrained-seed42" : "v1");
            }
            assertThat(counter("segstream.segmenter.model.swaps")).isEqualTo(1);
            assertThat(registry.get("segstream.segmenter.model.info").tag("version", "v1").gauge().value()).isEqualTo(1);
            assertThat(segmenter.engine().descriptor().version()).isEqualTo("v1");

            // an operator's hand: a newer version v8 (parent v1) serves, then `ops models rollback` brings v1 back
            ModelDescriptor v8 = save("v8", SPEC, 13);
            announceRaw("vanilla", new ModelAnnouncement("vanilla", "v8", store.put(tmp.resolve("v8"), "vanilla", "v8")
                    .toString(), v8.weightsSha256(), "v1", Map.of(), List.of(), Instant.now().toString()).toBytes());
            await().atMost(Duration.ofSeconds(30)).until(() -> segmenter.engine().descriptor().version().equals("v8"));
            String[] kafka = {"--bootstrap-servers", KAFKA.bootstrapServers(), "--kafka",
                "topic.models=" + topics.models().name()};
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.PrintStream stdout = System.out;
            int listed;
            int rolledBack;
            try {
                System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
                rolledBack = dev.segstream.ops.OpsMain.commandLine().execute(concat("models", "rollback", "vanilla", kafka));
                listed = dev.segstream.ops.OpsMain.commandLine().execute(concat("models", "list", kafka));
            } finally {
                System.setOut(stdout);
            }
            assertThat(rolledBack).isZero();
            assertThat(listed).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> segmenter.engine().descriptor().version().equals("v1"));
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("announced vanilla v1 again", "v8", "<- newest");
            assertThat(text.lines().filter(l -> l.contains("<- newest")).findFirst().orElseThrow()).contains(" v1 ");

            // a pin overrides the policy until lifted
            assertThat(dev.segstream.ops.OpsMain.commandLine().execute(concat("models", "pin", "v8", kafka))).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> segmenter.engine().descriptor().version().equals("v8"));
            assertThat(dev.segstream.ops.OpsMain.commandLine().execute(concat("models", "unpin", kafka))).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> segmenter.engine().descriptor().version().equals("v1"));
            assertThat(refused("malformed")).as("pin records are not announcements").isEqualTo(1);
        }
    }

    private static String[] concat(String a, String[] rest) {
        return concat(new String[] {a}, rest);
    }

    private static String[] concat(String a, String b, String[] rest) {
        return concat(new String[] {a, b}, rest);
    }

    private static String[] concat(String a, String b, String c, String[] rest) {
        return concat(new String[] {a, b, c}, rest);
    }

    private static String[] concat(String[] head, String[] rest) {
        String[] out = java.util.Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, out, head.length, rest.length);
        return out;
    }

    private void refusedWrongSha() throws Exception {
        ModelDescriptor d = save("v2", SPEC, 8);
        announce(d, store.put(tmp.resolve("v2"), "vanilla", "v2").toString(), "0".repeat(64));
        await().atMost(Duration.ofSeconds(30)).until(() -> refused("sha256") == 1);
    }

    private void refusedTruncatedWeights() throws Exception {
        ModelDescriptor d = save("v3", SPEC, 9);
        Path params = tmp.resolve("v3").resolve(ModelArtifacts.PARAMS_FILE);
        try (RandomAccessFile f = new RandomAccessFile(params.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        String sha = rewriteSha(tmp.resolve("v3"), d.weightsSha256());
        announce(d, store.put(tmp.resolve("v3"), "vanilla", "v3").toString(), sha);
        await().atMost(Duration.ofSeconds(30)).until(() -> refused("load") == 1);
    }

    private void refusedWrongClassCount() throws Exception {
        ModelDescriptor d = save("v4", new UNetSpec(UNetVariant.VANILLA, 2, 4, 5), 10);
        announce(d, store.put(tmp.resolve("v4"), "vanilla", "v4").toString(), d.weightsSha256());
        await().atMost(Duration.ofSeconds(30)).until(() -> refused("classes") == 1);
    }

    private void refusedNaNWeight() throws Exception {
        ModelDescriptor d = save("v5", SPEC, 11);
        try (Model model = ModelArtifacts.newModel(SPEC, ai.djl.Device.cpu())) {
            Parameter p = model.getBlock().getParameters().valueAt(0);
            float[] v = p.getArray().toFloatArray();
            v[0] = Float.NaN;
            p.getArray().set(v);
            model.setProperty("Epoch", "0");
            model.save(tmp.resolve("v5"), ModelArtifacts.PARAMS_PREFIX);
        }
        String sha = rewriteSha(tmp.resolve("v5"), d.weightsSha256());
        announce(d, store.put(tmp.resolve("v5"), "vanilla", "v5").toString(), sha);
        await().atMost(Duration.ofSeconds(30)).until(() -> refused("nonfinite") == 1);
    }

    private void refusedOutsideStore() throws Exception {
        ModelDescriptor d = save("v6", SPEC, 12);
        announce(d, tmp.resolve("v6").toUri().toString(), d.weightsSha256());
        await().atMost(Duration.ofSeconds(30)).until(() -> refused("uri") == 1);
        String traversal = "file:" + store.root() + "/../v6";
        announce(new ModelDescriptor(d.format(), d.variant(), "v7", d.depth(), d.filters(), d.classes(),
                d.ignoreIndex(), d.mean(), d.std(), d.inputSizePolicy(), d.trainingData(), d.metrics(),
                d.weightsSha256(), d.createdAt()), traversal, d.weightsSha256());
        await().atMost(Duration.ofSeconds(30)).until(() -> refused("uri") == 2);
    }

    /** Saves a seeded model of {@code spec} as artifact {@code tmp/version}. */
    private ModelDescriptor save(String version, UNetSpec spec, int seed) {
        PyTorch.seed(seed);
        try (Model model = ModelArtifacts.newModel(spec, ai.djl.Device.cpu())) {
            return ModelArtifacts.save(tmp.resolve(version), model, ModelArtifacts.descriptor(spec, version,
                    ModelArtifacts.DEFAULT_MEAN, ModelArtifacts.DEFAULT_STD, "test", Map.of("heldout_miou", 0.1)));
        }
    }

    /** Points the descriptor at the parameter file as it is now (a writer that bypassed the checks). */
    private static String rewriteSha(Path dir, String old) throws Exception {
        String sha = ModelArtifacts.sha256(dir.resolve(ModelArtifacts.PARAMS_FILE));
        Path json = dir.resolve(ModelArtifacts.DESCRIPTOR_FILE);
        Files.writeString(json, Files.readString(json).replace(old, sha));
        return sha;
    }

    private void announce(ModelDescriptor d, String uri, String sha) throws Exception {
        announceRaw(d.variant(), new ModelAnnouncement(d.variant(), d.version(), uri, sha, null, d.metrics(), List.of(),
                Instant.now().toString()).toBytes());
    }

    private void announceRaw(String key, byte[] value) throws Exception {
        Map<String, Object> p = new HashMap<>(KAFKA.clientProperties());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.models().name(), key, value)).get();
        }
    }

    private List<ProducerRecord<String, byte[]>> frames(int from, int n) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            RecordHeaders headers = new RecordHeaders();
            FrameHeaders.put(headers, FrameHeaders.FRAME_ID, "f-" + i);
            out.add(new ProducerRecord<>(topics.frames().name(), null, "cam" + (i % 4),
                    SegmenterPipelineContract.noisePng(32, 24, i), headers));
        }
        return out;
    }

    private List<ConsumerRecord<String, byte[]>> masks(PipelineClient client, int expected) {
        return client.collect(topics.masks().name(), out -> out.size() >= expected, Duration.ofSeconds(60));
    }

    private double counter(String name) {
        return registry.get(name).functionCounter().count();
    }

    private double refused(String reason) {
        return registry.get("segstream.segmenter.model.refused").tag("reason", reason).functionCounter().count();
    }
}

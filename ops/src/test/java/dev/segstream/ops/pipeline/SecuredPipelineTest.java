package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.segstream.core.topic.Topics;
import dev.segstream.ops.acl.ServiceAcls;
import dev.segstream.ops.testing.SecuredKafka;
import dev.segstream.ops.verify.EosVerdict;
import dev.segstream.ops.verify.EosVerifier;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a secured cluster: SASL_SSL with SCRAM-SHA-512 over TLS (certificates made
 * here), an authorizer that denies what no ACL allows, and each service logged in as its own
 * principal holding only {@link ServiceAcls}' grants, configured through nothing but its ordinary
 * Kafka client settings. Frames flow to masks exactly once, the trainer publishes a version the
 * segmenter swaps to, live quality is written; and the cluster refuses what it should: a client
 * without credentials, a wrong password, the segmenter writing {@code models}, the producer
 * reading {@code masks}.
 */
class SecuredPipelineTest {

    private static final String PRODUCER = "producer";
    private static final String SEGMENTER = "segmenter";
    private static final String TRAINER = "trainer";

    @TempDir
    Path tmp;

    @Test
    void shouldRunThePipelineWithLeastPrivilegeAndRefuseOthersWhenClusterIsSecured() throws Exception {
        try (SecuredKafka kafka = SecuredKafka.start(tmp.resolve("tls"))) {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            String appId = "segmenter-secure-" + suffix;
            String qualityGroup = "quality-secure-" + suffix;
            String trainerGroup = "trainer-secure-" + suffix;
            Map<String, Object> common = LoopSettings.common(kafka.bootstrapServers(), suffix, tmp);
            Topics topics = new SegmenterConfig(common).topics();
            kafka.createTopics(topics);
            for (String user : List.of(PRODUCER, SEGMENTER, TRAINER)) {
                kafka.addUser(user, password(user));
            }
            kafka.grant(ServiceAcls.producer("User:" + PRODUCER, topics));
            kafka.grant(ServiceAcls.segmenter("User:" + SEGMENTER, topics, appId, qualityGroup));
            kafka.grant(ServiceAcls.trainer("User:" + TRAINER, topics, trainerGroup));

            // live quality starts at the end of frames.labelled; start its group at the beginning
            // instead, so that its labelled frames do not depend on when its consumer joins
            try (Admin root = Admin.create(kafka.adminSettings())) {
                Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
                for (int p = 0; p < topics.labelled().partitions(); p++) {
                    start.put(new TopicPartition(topics.labelled().name(), p), new OffsetAndMetadata(0));
                }
                root.alterConsumerGroupOffsets(qualityGroup, start).all().get(30, TimeUnit.SECONDS);
            }

            Map<String, Object> seg = as(kafka, SEGMENTER, common);
            seg.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
            seg.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("state").toString());
            seg.put(SegmenterConfig.MODEL_FILTERS, "4");
            seg.put(SegmenterConfig.MODEL_DEPTH, "2");
            seg.put(SegmenterConfig.MODEL_SERVE, "latest");
            seg.put(SegmenterConfig.MAX_BATCH_DELAY_MS, "5");
            seg.put(SegmenterConfig.QUALITY_ENABLED, "true");
            seg.put(SegmenterConfig.QUALITY_WINDOW_FRAMES, "4");
            seg.put(SegmenterConfig.QUALITY_MAX_FPS, "100");
            seg.put(SegmenterConfig.QUALITY_GROUP_ID, qualityGroup);
            Map<String, Object> tr = LoopSettings.trainer(as(kafka, TRAINER, common), trainerGroup, 20, 1);
            Map<String, Object> prod = as(kafka, PRODUCER, common);
            prod.put(ProducerConfig.FPS, "20");
            prod.put(ProducerConfig.SYNTHETIC_CAMERAS, "2");
            prod.put(ProducerConfig.FRAMES_MAX, "60");
            prod.put(ProducerConfig.SYNTHETIC_WIDTH, "64");
            prod.put(ProducerConfig.SYNTHETIC_HEIGHT, "48");

            SimpleMeterRegistry segRegistry = new SimpleMeterRegistry();
            PipelineClient admin = new PipelineClient(kafka.adminSettings(), topics);
            try (SegmenterService segmenter = new SegmenterService(new SegmenterConfig(seg), segRegistry)) {
                segmenter.start();
                TrainerService trainer = new TrainerService(new TrainerServiceConfig(tr), new SimpleMeterRegistry());
                Thread trainerThread = new Thread(trainer, "trainer-service");
                trainerThread.start();
                long sent;
                try (FrameProducer producer = new FrameProducer(new ProducerConfig(prod), new SimpleMeterRegistry())) {
                    producer.run();
                    sent = producer.framesSent();
                    assertThat(producer.sendErrors()).isZero();
                } finally {
                    await("a published version the segmenter swaps to").atMost(Duration.ofSeconds(90)).until(() ->
                            segRegistry.get("segstream.segmenter.model.swaps").functionCounter().count() >= 1
                                    || trainer.failure().isPresent());
                    trainer.close();
                    trainerThread.join(60_000);
                }
                assertThat(trainer.failure()).isEmpty();
                assertThat(trainer.published()).isGreaterThanOrEqualTo(1);
                assertThat(sent).isEqualTo(60);

                assertThat(admin.collect(topics.masks().name(), out -> out.size() >= sent, Duration.ofSeconds(90)))
                        .as("a mask for every frame, written by the segmenter's own principal").hasSize((int) sent);
                EosVerdict verdict = new EosVerifier(kafka.adminSettings(), topics).verify(Duration.ofSeconds(60));
                System.out.println("secured pipeline: " + verdict);
                assertThat(verdict.passed()).as(verdict.toString()).isTrue();
                assertThat(admin.collect(topics.quality().name(), out -> !out.isEmpty(), Duration.ofSeconds(30)))
                        .as("live quality written by the segmenter's own principal").isNotEmpty();
            }

            assertThatThrownBy(() -> send(as(kafka, SEGMENTER, Map.of()), topics.models().name()))
                    .as("the segmenter cannot announce models").hasRootCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> read(as(kafka, PRODUCER, Map.of()), topics.masks().name()))
                    .as("the producer cannot read masks").isInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> describeCluster(kafka.clientSettings(TRAINER, "not-the-password")))
                    .as("a wrong password is refused").hasRootCauseInstanceOf(SaslAuthenticationException.class);
            assertThatThrownBy(() -> describeCluster(kafka.clientSettings("nobody", "nobody-secret")))
                    .as("an unknown user is refused").hasRootCauseInstanceOf(SaslAuthenticationException.class);
            // Without TLS and SASL the broker drops the connection at the TLS handshake: no
            // answer ever comes back, so the call can only run out of time.
            assertThatThrownBy(() -> describeCluster(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))).as("a client without credentials gets nothing")
                    .hasRootCauseInstanceOf(TimeoutException.class);
        }
    }

    private static String password(String user) {
        return user + "-secret";
    }

    /** {@code base} plus the client settings of {@code user}: what an operator passes to that service. */
    private static Map<String, Object> as(SecuredKafka kafka, String user, Map<String, Object> base) {
        Map<String, Object> out = new HashMap<>(base);
        out.putAll(kafka.clientSettings(user, password(user)));
        return out;
    }

    private static void send(Map<String, Object> client, String topic) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(client, new StringSerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, "vanilla", new byte[] {1})).get(30, TimeUnit.SECONDS);
        }
    }

    private static void read(Map<String, Object> client, String topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(client, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.assign(List.of(new TopicPartition(topic, 0)));
            c.seekToBeginning(c.assignment());
            c.poll(Duration.ofSeconds(10));
        }
    }

    private static void describeCluster(Map<String, Object> client) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        Map<String, Object> c = new HashMap<>(client);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000);
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(c)) {
            admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
        }
    }
}

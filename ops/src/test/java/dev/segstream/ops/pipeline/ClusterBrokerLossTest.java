package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.segstream.core.config.TopicsConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.ops.testing.KafkaCluster;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop on a three-node KRaft cluster (every topic three replicas, min ISR 2): producer
 * (acks=all, idempotent), segmenter (exactly-once v2) and trainer service run here while the node
 * that leads the controller quorum is SIGKILLed mid-stream (its own JVM) and later restarted.
 * Nobody intervenes; at the end every frame has exactly one output (EosVerifier) and the trainer
 * published versions before the kill, while the node was down and after it came back.
 */
@Tag("faults")
class ClusterBrokerLossTest {

    @TempDir
    Path tmp;

    @Test
    void shouldKeepExactlyOnceAndTrainingWhenOneOfThreeBrokersIsKilledMidStreamAndRestarted() throws Exception {
        long t0 = System.currentTimeMillis();
        List<String> timeline = new ArrayList<>();
        try (KafkaCluster cluster = new KafkaCluster(tmp.resolve("cluster")).start()) {
            timeline.add(String.format("%6d ms cluster of 3 up at %s", since(t0), cluster.bootstrapServers()));
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            Map<String, Object> common = LoopSettings.common(cluster.bootstrapServers(), suffix, tmp);
            common.put(TopicsConfig.REPLICATION_FACTOR, "3");
            Map<String, Object> tr = LoopSettings.trainer(common, "trainer-cluster-" + suffix, 20, 1.5);
            TrainerServiceConfig trainerConfig = new TrainerServiceConfig(tr);
            Topics topics = trainerConfig.topics();
            cluster.createTopics(topics);
            assertThat(replicas(cluster, topics.frames().name())).isEqualTo(3);

            SimpleMeterRegistry segRegistry = new SimpleMeterRegistry();
            Map<String, Object> prod = new HashMap<>(common);
            prod.put(ProducerConfig.FPS, "4");
            prod.put(ProducerConfig.SYNTHETIC_CAMERAS, "2");
            prod.put(ProducerConfig.FRAMES_MAX, "0");
            prod.put(ProducerConfig.SYNTHETIC_WIDTH, "64");
            prod.put(ProducerConfig.SYNTHETIC_HEIGHT, "48");
            AtomicReference<Throwable> producerFailure = new AtomicReference<>();
            try (SegmenterService segmenter = new SegmenterService(segmenterConfig(common, suffix), segRegistry);
                 FrameProducer producer = new FrameProducer(new ProducerConfig(prod), new SimpleMeterRegistry())) {
                TrainerService trainer = new TrainerService(trainerConfig, new SimpleMeterRegistry());
                Thread trainerThread = new Thread(trainer, "trainer-service");
                Thread producerThread = new Thread(() -> {
                    try {
                        producer.run();
                    } catch (Throwable e) {
                        producerFailure.set(e);
                    }
                }, "frame-producer");
                segmenter.start();
                trainerThread.start();
                producerThread.start();
                try {
                    await("masks and a first version").atMost(Duration.ofSeconds(240))
                            .until(() -> processed(segRegistry) >= 60 && trainer.published() >= 1);
                    int victim = cluster.activeController();
                    long publishedAtKill = trainer.published();
                    long roundsAtKill = trainer.rounds();
                    double processedAtKill = processed(segRegistry);
                    long led = leaderships(cluster, topics, victim);
                    cluster.kill(victim);
                    timeline.add(String.format("%6d ms SIGKILL node %d (active controller, leader of %d of our "
                                    + "partitions); sent %d, processed %.0f, versions %d, rounds %d", since(t0), victim,
                            led, producer.framesSent(), processedAtKill, publishedAtKill, roundsAtKill));

                    await("the loop carries on with a node down").atMost(Duration.ofSeconds(240))
                            .until(() -> processed(segRegistry) >= processedAtKill + 60 && trainer.rounds() > roundsAtKill + 1);
                    long publishedWhileDown = trainer.published() - publishedAtKill;
                    timeline.add(String.format("%6d ms node %d still down; sent %d, processed %.0f, versions %d "
                                    + "(+%d while down), rounds %d, new controller %d", since(t0), victim,
                            producer.framesSent(), processed(segRegistry), trainer.published(), publishedWhileDown,
                            trainer.rounds(), cluster.activeController()));

                    cluster.restart(victim);
                    long publishedAtRestart = trainer.published();
                    double processedAtRestart = processed(segRegistry);
                    timeline.add(String.format("%6d ms node %d restarted", since(t0), victim));
                    await("node " + victim + " back in every ISR").atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofSeconds(1)).until(() -> underReplicated(cluster, topics) == 0);
                    timeline.add(String.format("%6d ms every partition has 3 in-sync replicas again", since(t0)));
                    await("the loop carries on after the restart").atMost(Duration.ofSeconds(240))
                            .until(() -> processed(segRegistry) >= processedAtRestart + 60
                                    && trainer.published() > publishedAtRestart);
                    assertThat(trainer.published()).as("versions published after the kill")
                            .isGreaterThan(publishedAtKill);
                } finally {
                    producer.stop();
                    producerThread.join(60_000);
                    trainer.close();
                    trainerThread.join(60_000);
                }
                assertThat(producerFailure.get()).isNull();
                assertThat(producer.sendErrors()).as("frames the producer could not write").isZero();
                assertThat(trainer.failure()).isEmpty();
                timeline.add(String.format("%6d ms producer stopped: sent %d frames (+%d labelled), versions %d, rounds %d",
                        since(t0), producer.framesSent(), producer.labelledSent(), trainer.published(), trainer.rounds()));

                EosVerifier verifier = new EosVerifier(cluster.clientProperties(), topics);
                AtomicReference<EosVerdict> verdict = new AtomicReference<>();
                await("every frame has its output").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> {
                            verdict.set(verifier.verify(Duration.ofSeconds(60)));
                            return verdict.get().lost() == 0 || verdict.get().duplicated() > 0;
                        });
                timeline.add(String.format("%6d ms EosVerifier: %s", since(t0), verdict.get()));
                assertThat(verdict.get().sent()).isEqualTo(producer.framesSent());
                assertThat(verdict.get().passed()).as(verdict.get().toString()).isTrue();
            }
        } finally {
            System.out.println("cluster broker-loss timeline:\n  " + String.join("\n  ", timeline));
        }
    }

    private SegmenterConfig segmenterConfig(Map<String, Object> common, String suffix) {
        Map<String, Object> s = new HashMap<>(common);
        s.put(StreamsConfig.APPLICATION_ID_CONFIG, "segmenter-cluster-" + suffix);
        s.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve("segmenter-state").toString());
        s.put(SegmenterConfig.MODEL_FILTERS, "4");
        s.put(SegmenterConfig.MODEL_DEPTH, "2");
        s.put(SegmenterConfig.MODEL_SERVE, "latest");
        s.put(SegmenterConfig.MAX_BATCH_DELAY_MS, "20");
        return new SegmenterConfig(s);
    }

    /** Frames the segmenter has processed so far (a progress signal; the verdict at the end is the truth). */
    private static double processed(SimpleMeterRegistry registry) {
        var t = registry.find("segstream.segmenter.frame.processing").timer();
        return t == null ? 0 : t.count();
    }

    /** Partitions of the frames, masks, labelled and models topics that {@code node} leads. */
    private static long leaderships(KafkaCluster cluster, Topics topics, int node) throws Exception {
        return partitions(cluster, topics).stream().filter(p -> p.leader() != null && p.leader().id() == node).count();
    }

    /** Partitions of those topics with fewer than three in-sync replicas. */
    private static long underReplicated(KafkaCluster cluster, Topics topics) throws Exception {
        return partitions(cluster, topics).stream().filter(p -> p.isr().size() < 3).count();
    }

    private static List<TopicPartitionInfo> partitions(KafkaCluster cluster, Topics topics) throws Exception {
        List<String> names = List.of(topics.frames().name(), topics.masks().name(), topics.labelled().name(),
                topics.models().name());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                    .flatMap(d -> d.partitions().stream()).toList();
        }
    }

    private static int replicas(KafkaCluster cluster, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().get(0).replicas().size();
        }
    }

    private static long since(long t0) {
        return System.currentTimeMillis() - t0;
    }
}

package dev.segstream.ops.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segstream.core.topic.Topics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle of the in-process broker: ports, advertised address, restarts, data directories. */
class EmbeddedKafkaBrokerTest {

    @TempDir
    Path tmp;

    @Test
    void shouldAdvertiseLocalhostAndThatPortWhenStartedOnFixedPort() throws Exception {
        int port = freePort();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start(port, null)) {
            assertThat(broker.bootstrapServers()).isEqualTo("localhost:" + port);
            assertThat(broker.port()).isEqualTo(port);
            try (Admin admin = admin(broker)) {
                Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
                assertThat(nodes).singleElement().satisfies(n -> {
                    assertThat(n.host()).isEqualTo("localhost");
                    assertThat(n.port()).isEqualTo(port);
                });
            }
            System.out.printf("EmbeddedKafkaBroker started on fixed port %d in %d ms%n", port,
                    broker.startupTime().toMillis());
        }
    }

    @Test
    void shouldPickFreePortWhenStartedOnPortZero() {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start(0, null)) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.bootstrapServers()).isEqualTo("localhost:" + broker.port());
            System.out.printf("EmbeddedKafkaBroker started on port 0 -> %d in %d ms%n", broker.port(),
                    broker.startupTime().toMillis());
        }
    }

    @Test
    void shouldApplySingleNodeAndLargeMessageSettingsWhenStarted() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start(); Admin admin = admin(broker)) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            var config = admin.describeConfigs(List.of(node)).all().get(30, TimeUnit.SECONDS).get(node);
            assertThat(config.get("message.max.bytes").value()).isEqualTo(String.valueOf(64 * 1024 * 1024));
            assertThat(config.get("replica.fetch.max.bytes").value()).isEqualTo(String.valueOf(64 * 1024 * 1024));
            assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
            assertThat(config.get("offsets.topic.replication.factor").value()).isEqualTo("1");
            assertThat(config.get("transaction.state.log.replication.factor").value()).isEqualTo("1");
            assertThat(config.get("transaction.state.log.min.isr").value()).isEqualTo("1");
            assertThat(config.get("group.initial.rebalance.delay.ms").value()).isEqualTo("0");
        }
    }

    @Test
    void shouldRestartOnSamePortWhenClosedAndStartedAgain() throws Exception {
        int port = freePort();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker();
        try {
            broker.start(port, null);
            broker.createTopics(Topics.defaults());
            produce(broker, "frames", "before");
            broker.close();
            assertThat(broker.isRunning()).isFalse();

            broker.start(port, null);
            assertThat(broker.bootstrapServers()).isEqualTo("localhost:" + port);
            assertThat(broker.createTopics(Topics.defaults())).contains("frames");
            produce(broker, "frames", "after");
            assertThat(consumeAll(broker, "frames", 1)).containsExactly("after");
        } finally {
            broker.close();
        }
    }

    @Test
    void shouldKeepRecordsWhenRestartedOnSameDataDir() throws Exception {
        Path dataDir = tmp.resolve("kafka");
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start(0, dataDir)) {
            assertThat(broker.createTopics(Topics.defaults())).hasSize(6);
            produce(broker, "frames", "kept");
        }
        assertThat(dataDir).isDirectory();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start(0, dataDir)) {
            assertThat(broker.createTopics(Topics.defaults())).isEmpty();
            assertThat(consumeAll(broker, "frames", 1)).containsExactly("kept");
        }
    }

    @Test
    void shouldDeleteTempDataDirWhenClosed() {
        Path dataDir;
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start()) {
            dataDir = broker.dataDir();
            assertThat(dataDir).isDirectory();
        }
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void shouldKeepCallerDataDirWhenClosed() {
        Path dataDir = tmp.resolve("given");
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start(0, dataDir)) {
            assertThat(broker.dataDir()).isEqualTo(dataDir.toAbsolutePath());
        }
        assertThat(dataDir.resolve("server.properties")).isRegularFile();
    }

    @Test
    void shouldFailClearlyWhenFixedPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("localhost"), 0));
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker();
            assertThatThrownBy(() -> broker.start(taken.getLocalPort(), null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort());
            assertThat(broker.isRunning()).isFalse();
        }
    }

    @Test
    void shouldRejectSecondStartWhenAlreadyRunning() {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start()) {
            assertThatThrownBy(() -> broker.start(0, null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already running");
        }
    }

    @Test
    void shouldApplyServerOverridesWhenGiven() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Map.of("log.retention.ms", "123456")).start();
             Admin admin = admin(broker)) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            var config = admin.describeConfigs(List.of(node)).all().get(30, TimeUnit.SECONDS).get(node);
            assertThat(config.get("log.retention.ms").value()).isEqualTo("123456");
        }
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static void produce(EmbeddedKafkaBroker broker, String topic, String value) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(topic, "k", value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consumeAll(EmbeddedKafkaBroker broker, String topic, int expected) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            // Nothing beyond what is expected: poll once more briefly.
            c.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
        }
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("localhost"), 0));
            return s.getLocalPort();
        }
    }
}

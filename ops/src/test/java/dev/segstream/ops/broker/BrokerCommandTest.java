package dev.segstream.ops.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ops broker}: starts, creates the registry's topics, announces itself, stops on request. */
class BrokerCommandTest {

    private static final Pattern READY = Pattern.compile(
            "broker ready bootstrap\\.servers=(localhost:\\d+) topics=(\\S+) data\\.dir=\\S+ startup\\.ms=\\d+");

    @Test
    void shouldCreateConfiguredTopicsAndPrintReadyLineWhenStarted() throws Exception {
        BrokerCommand command = new BrokerCommand();
        command.env = Map.of();
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(
                "--port", "0", "--partitions", "2",
                "--kafka", "topic.frames=cam.frames",
                "--kafka", "log.retention.ms=600000"));

        Matcher ready = awaitReadyLine(out, exit);
        String bootstrap = ready.group(1);
        assertThat(ready.group(2)).isEqualTo("cam.frames,masks,frames.labelled,frames.dlq,models,quality");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                    List.of("cam.frames", "masks", "frames.labelled", "frames.dlq"))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(2));
            // the models topic: one partition (one order for every reader), compacted (latest per variant)
            assertThat(admin.describeTopics(List.of("models")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("models").partitions()).hasSize(1);
            ConfigResource models = new ConfigResource(ConfigResource.Type.TOPIC, "models");
            assertThat(admin.describeConfigs(List.of(models)).all().get(30, TimeUnit.SECONDS).get(models)
                    .get("cleanup.policy").value()).isEqualTo("compact");
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            assertThat(admin.describeConfigs(List.of(node)).all().get(30, TimeUnit.SECONDS).get(node)
                    .get("log.retention.ms").value()).isEqualTo("600000");
        }

        command.stop();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(command.runningBroker()).isNull();
        int port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
        assertThat(canConnect(port)).as("broker port closed after stop").isFalse();
    }

    @Test
    void shouldDefaultToPort9092WhenNoPortGiven() {
        BrokerCommand command = new BrokerCommand();
        new CommandLine(command).parseArgs();
        assertThat(command.port).isEqualTo(9092);
        assertThat(command.dataDir).isNull();
    }

    private static Matcher awaitReadyLine(StringWriter out, CompletableFuture<Integer> exit) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .failFast(() -> assertThat(exit).as("command ended before ready; output: %s", out).isNotDone())
                .untilAsserted(() -> assertThat(out.toString()).as("ready line").containsPattern(READY));
        Matcher m = READY.matcher(out.toString());
        assertThat(m.find()).isTrue();
        return m;
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}

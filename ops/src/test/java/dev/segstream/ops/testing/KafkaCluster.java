package dev.segstream.ops.testing;

import dev.segstream.core.topic.Topics;
import dev.segstream.ops.broker.EmbeddedKafkaBroker;
import dev.segstream.ops.broker.TopicProvisioner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;

/**
 * A three-node Kafka 4.3.1 KRaft cluster for fault tests: every node is both broker and controller
 * ({@code controller.quorum.voters} lists all three), runs in its own JVM ({@link ClusterNodeMain},
 * an {@link EmbeddedKafkaBroker} with per-node settings) so that {@link #kill} is a real SIGKILL,
 * and keeps its ports and storage so that {@link #restart} brings the same node back. Storage is
 * formatted here, once, with one cluster id for all three. Topics and internal topics get three
 * replicas and {@code min.insync.replicas=2}, so one node may be lost without losing a write.
 */
public final class KafkaCluster implements KafkaBrokerFixture, AutoCloseable {

    /** Nodes in the cluster. */
    public static final int NODES = 3;

    private final Path root;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int[] clientPorts = new int[NODES + 1];
    private final int[] controllerPorts = new int[NODES + 1];
    private final ChildJvm[] nodes = new ChildJvm[NODES + 1];
    private final int[] starts = new int[NODES + 1];

    /** A cluster whose nodes keep their data and logs under {@code root}. Call {@link #start()}. */
    public KafkaCluster(Path root) {
        this.root = root;
        for (int id = 1; id <= NODES; id++) {
            clientPorts[id] = freePort();
            controllerPorts[id] = freePort();
        }
    }

    /** Formats the storage of all nodes, starts them together (a quorum needs two) and waits until all accept clients. */
    public KafkaCluster start() throws IOException {
        for (int id = 1; id <= NODES; id++) {
            format(id);
        }
        for (int id = 1; id <= NODES; id++) {
            launch(id);
        }
        for (int id = 1; id <= NODES; id++) {
            awaitReady(id);
        }
        return this;
    }

    /** SIGKILLs node {@code id}: no controlled shutdown, no flush, nothing. */
    public void kill(int id) throws InterruptedException {
        nodes[id].kill();
    }

    /** Starts node {@code id} again on its ports and storage and waits until it accepts clients. */
    public void restart(int id) throws IOException {
        launch(id);
        awaitReady(id);
    }

    /** The node that leads the controller quorum now. */
    public int activeController() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        }
    }

    /** Server settings of node {@code id}: its listeners, the quorum, replication for three nodes. */
    Map<String, String> settings(int id) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("node.id", Integer.toString(id));
        p.put("listeners", "PLAINTEXT://localhost:" + clientPorts[id] + ",CONTROLLER://localhost:" + controllerPorts[id]);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + clientPorts[id]);
        p.put("controller.quorum.voters", IntStream.rangeClosed(1, NODES)
                .mapToObj(n -> n + "@localhost:" + controllerPorts[n]).collect(Collectors.joining(",")));
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("offsets.topic.replication.factor", "3");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("unclean.leader.election.enable", "false");
        return p;
    }

    private Path dataDir(int id) {
        return root.resolve("node-" + id);
    }

    /** {@code kafka-storage.sh format} with the cluster's id, on the log dir {@link EmbeddedKafkaBroker} uses. */
    private void format(int id) throws IOException {
        Map<String, String> props = new LinkedHashMap<>(EmbeddedKafkaBroker.defaultServerProperties());
        props.putAll(settings(id));
        props.put("log.dirs", dataDir(id).resolve("kraft-combined-logs").toString());
        Files.createDirectories(dataDir(id));
        Path config = dataDir(id).resolve("format.properties");
        Properties p = new Properties();
        p.putAll(props);
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "KafkaCluster format");
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {"format", "--config", config.toString(), "--cluster-id", clusterId}, ps);
        } catch (Exception e) {
            throw new IllegalStateException("format node " + id + ": " + e + " " + buf, e);
        }
        if (rc != 0) {
            throw new IllegalStateException("format node " + id + " failed: " + buf);
        }
    }

    private void launch(int id) throws IOException {
        List<String> args = new ArrayList<>(List.of(dataDir(id).toString(), Integer.toString(clientPorts[id])));
        settings(id).forEach((k, v) -> args.add(k + "=" + v));
        nodes[id] = ChildJvm.start(ClusterNodeMain.class.getName(), args, 384,
                root.resolve("node-" + id + "-" + ++starts[id] + ".log"));
    }

    private void awaitReady(int id) {
        Path log = root.resolve("node-" + id + "-" + starts[id] + ".log");
        Awaitility.await("node " + id + " ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!nodes[id].isAlive()) {
                        throw new IllegalStateException("node " + id + " died:\n" + nodes[id].logTail(40));
                    }
                    return Files.readString(log).contains(ClusterNodeMain.READY);
                });
    }

    @Override
    public String bootstrapServers() {
        return IntStream.rangeClosed(1, NODES).mapToObj(n -> "localhost:" + clientPorts[n])
                .collect(Collectors.joining(","));
    }

    @Override
    public void createTopics(Topics topics) {
        TopicProvisioner.createTopics(bootstrapServers(), topics);
    }

    @Override
    public String description() {
        return "3-node KRaft cluster in child JVMs";
    }

    @Override
    public void close() throws InterruptedException {
        for (int id = 1; id <= NODES; id++) {
            if (nodes[id] != null) {
                nodes[id].close();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("localhost"), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

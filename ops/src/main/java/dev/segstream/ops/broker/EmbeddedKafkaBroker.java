package dev.segstream.ops.broker;

import dev.segstream.core.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka broker running inside this JVM in KRaft mode (one process that
 * is both broker and controller), built from Kafka's own server classes: the same
 * {@link KafkaRaftServer} that {@code kafka-server-start.sh} runs, on storage formatted by the
 * same {@link StorageTool} that {@code kafka-storage.sh format} runs. No Docker, nothing mocked.
 *
 * <p>Clients connect on a PLAINTEXT listener advertised as {@code localhost:<port>}, so a fixed
 * port such as 9092 is reachable by any Kafka client on the machine ({@code kcat -b
 * localhost:9092 -L}). The controller listens on a free port of its own. The server settings make
 * exactly-once Kafka Streams work on one node (internal topics with replication factor 1, no
 * initial rebalance delay) and accept records of up to {@value #MAX_MESSAGE_BYTES} bytes, so that
 * an oversized frame can still be written whole to the dead-letter topic. Topics are never
 * auto-created: create them with {@link #createTopics(Topics)}.
 *
 * <p>Storage: with a caller-given data directory the broker keeps its data there and a later
 * start on the same directory finds it again (the directory is formatted only once). Without
 * one it uses a temporary directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start(0, null)) {
 *     broker.createTopics(Topics.defaults());
 *     Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers());
 *     ...
 * }
 * }</pre>
 *
 * <p>A fatal error inside the broker (for example a corrupt metadata log) halts the JVM, exactly
 * as it does for a stand-alone Kafka server. Instances are not meant to be shared between
 * threads while starting or closing; {@link #bootstrapServers()} may be read from any thread.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The port Kafka clients expect by default. */
    public static final int DEFAULT_PORT = 9092;
    /** {@code message.max.bytes} and {@code replica.fetch.max.bytes} of the broker: 64 MiB. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    /** Name of the client listener. */
    public static final String CLIENT_LISTENER = "PLAINTEXT";
    /** Name of the KRaft controller listener. */
    public static final String CONTROLLER_LISTENER = "CONTROLLER";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String LOG_DIR_NAME = "kraft-combined-logs";
    private static final String CONFIG_FILE_NAME = "server.properties";
    private static final int START_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> overrides;
    private final Map<String, Object> clientSettings;
    private final List<String> scramCredentials;

    private KafkaRaftServer server;
    private Path dataDir;
    private boolean tempDataDir;
    private volatile String bootstrapServers;
    private int port;
    private Duration startupTime = Duration.ZERO;

    /** A broker with the default settings (see the class comment). */
    public EmbeddedKafkaBroker() {
        this(Map.of());
    }

    /**
     * A broker whose server settings are the defaults overlaid with {@code serverOverrides}, for
     * example {@code log.retention.ms}. Overriding the listener or quorum settings is possible but
     * then {@link #bootstrapServers()} is the caller's responsibility to keep true.
     *
     * @param serverOverrides Kafka server properties, applied last
     */
    public EmbeddedKafkaBroker(Map<String, String> serverOverrides) {
        this(serverOverrides, Map.of(), List.of());
    }

    /**
     * A broker whose client listener is secured by {@code serverOverrides} (for example
     * {@code listener.security.protocol.map=PLAINTEXT:SASL_SSL,...} and an authorizer). The broker
     * talks to itself with {@code clientSettings} when it waits to be ready and creates topics,
     * and {@link #clientProperties()} hands them out; SCRAM users in KRaft live in the metadata
     * log, so the first one (the administrator who then creates the others) is written when the
     * storage is formatted.
     *
     * @param serverOverrides  Kafka server properties, applied last
     * @param clientSettings   Kafka client settings an administrator of this broker needs
     *                         ({@code security.protocol}, {@code sasl.jaas.config}, trust store...)
     * @param scramCredentials {@code kafka-storage.sh format --add-scram} arguments such as
     *                         {@code SCRAM-SHA-512=[name=admin,password=secret]}; used on first format only
     */
    public EmbeddedKafkaBroker(Map<String, String> serverOverrides, Map<String, Object> clientSettings,
                               List<String> scramCredentials) {
        this.overrides = Map.copyOf(Objects.requireNonNull(serverOverrides, "serverOverrides"));
        this.clientSettings = Map.copyOf(Objects.requireNonNull(clientSettings, "clientSettings"));
        this.scramCredentials = List.copyOf(Objects.requireNonNull(scramCredentials, "scramCredentials"));
    }

    /**
     * The server properties this broker runs with, before {@link #start} fills in ports and
     * directories. Useful to show what the broker is configured with.
     */
    public static Map<String, String> defaultServerProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        // One node: every internal topic has exactly one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Groups (and Kafka Streams) start at once instead of waiting 3 s for more members.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Large frames must be accepted so that they can be dead-lettered whole.
        p.put("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
        p.put("auto.create.topics.enable", "false");
        // A small machine: the log cleaner's default 128 MiB dedupe buffer is wasted here.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        // Frequent heartbeats: the broker is unfenced (ready) sooner after start.
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("broker.session.timeout.ms", "9000");
        return p;
    }

    /** Starts on any free port with a temporary data directory. */
    public EmbeddedKafkaBroker start() {
        return start(0, null);
    }

    /**
     * Formats storage if needed and starts the broker; returns once it accepts clients.
     *
     * @param port    client port; 0 picks a free one. The broker advertises {@code localhost:port}.
     * @param dataDir where the broker keeps its data, created if absent and kept by {@link #close()};
     *                {@code null} for a temporary directory that {@link #close()} deletes
     * @return this broker, started
     * @throws IllegalStateException when already running, when a fixed port is taken, or when the
     *                               broker does not start
     */
    public synchronized EmbeddedKafkaBroker start(int port, Path dataDir) {
        if (server != null) {
            throw new IllegalStateException("broker already running at " + bootstrapServers);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 but was " + port);
        }
        if (port != 0 && !isFree(port)) {
            throw new IllegalStateException("cannot start Kafka broker: port " + port
                    + " on localhost is already in use (another broker running?)");
        }
        long t0 = System.nanoTime();
        prepareDataDir(dataDir);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            // Ports picked here are free a moment ago; another process may take one before the
            // broker binds it. That shows as a BindException, and then a fresh pick is tried.
            int clientPort = port != 0 ? port : freePort();
            int controllerPort = freePort();
            try {
                startServer(clientPort, controllerPort);
                this.port = clientPort;
                this.bootstrapServers = "localhost:" + clientPort;
                awaitReady();
                startupTime = Duration.ofNanos(System.nanoTime() - t0);
                LOG.info("Kafka {} broker started in {} ms at {} (data in {})", kafkaVersion(),
                        startupTime.toMillis(), bootstrapServers, this.dataDir);
                return this;
            } catch (Exception e) { // Scala code may throw undeclared checked exceptions
                stopServerQuietly();
                bootstrapServers = null;
                last = e instanceof RuntimeException re ? re : new IllegalStateException(e.toString(), e);
                if (!causedByBind(e) || attempt == START_ATTEMPTS) {
                    break;
                }
                LOG.warn("Kafka broker could not bind its ports (attempt {}), retrying: {}", attempt, e.toString());
            }
        }
        deleteTempDataDir();
        throw new IllegalStateException("Kafka broker did not start: " + last.getMessage(), last);
    }

    /** {@code localhost:<port>}, what clients use as {@code bootstrap.servers}. */
    public String bootstrapServers() {
        String b = bootstrapServers;
        if (b == null) {
            throw new IllegalStateException("broker is not running");
        }
        return b;
    }

    /** The client port the broker listens on and advertises. */
    public synchronized int port() {
        requireRunning();
        return port;
    }

    /** The data directory in use (temporary or the caller's). */
    public synchronized Path dataDir() {
        requireRunning();
        return dataDir;
    }

    /** Whether the broker has been started and not closed. */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Wall time the last {@link #start} took, from formatting storage to accepting clients. */
    public synchronized Duration startupTime() {
        return startupTime;
    }

    /**
     * Client settings that reach this broker: {@code bootstrap.servers} and the client settings it
     * was constructed with (none by default). Add your own to a copy.
     */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>(clientSettings);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Map.copyOf(props);
    }

    /**
     * Creates every topic of the registry with its partitions, replication and configs. Topics
     * that already exist are left as they are.
     *
     * @return names of the topics that were newly created
     */
    public List<String> createTopics(Topics topics) {
        try (Admin admin = Admin.create(clientProperties())) {
            return TopicProvisioner.createTopics(admin, topics);
        }
    }

    /** Stops the broker, waits for it to finish, and deletes its data directory if temporary. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        long t0 = System.nanoTime();
        stopServerQuietly();
        bootstrapServers = null;
        deleteTempDataDir();
        LOG.info("Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private void startServer(int clientPort, int controllerPort) {
        Map<String, String> props = defaultServerProperties();
        props.put("listeners", CLIENT_LISTENER + "://localhost:" + clientPort + ","
                + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
        props.put("advertised.listeners", CLIENT_LISTENER + "://localhost:" + clientPort);
        props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        props.put("log.dirs", dataDir.resolve(LOG_DIR_NAME).toString());
        props.putAll(overrides);
        format(props);
        KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server = s;
        s.startup();
    }

    /** {@code kafka-storage.sh format --ignore-formatted}: a no-op on already formatted storage. */
    private void format(Map<String, String> props) {
        Path configFile = dataDir.resolve(CONFIG_FILE_NAME);
        Properties p = new Properties();
        p.putAll(props);
        try (OutputStream out = Files.newOutputStream(configFile)) {
            p.store(out, "written by segstream EmbeddedKafkaBroker; rewritten on every start");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("format", "--config", configFile.toString(),
                "--cluster-id", clusterId(props), "--ignore-formatted"));
        for (String credential : scramCredentials) {
            args.addAll(List.of("--add-scram", credential));
        }
        int rc;
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(args.toArray(String[]::new), ps);
        } catch (Exception e) {
            throw new IllegalStateException("formatting Kafka storage in " + dataDir + " failed: "
                    + e.getMessage() + " " + buf.toString(StandardCharsets.UTF_8).trim(), e);
        }
        String output = buf.toString(StandardCharsets.UTF_8).trim();
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + dataDir + " failed (exit " + rc
                    + "): " + output);
        }
        LOG.debug("storage: {}", output);
    }

    /** The cluster id the storage was formatted with, or a new one for unformatted storage. */
    private static String clusterId(Map<String, String> props) {
        for (String dir : props.get("log.dirs").split(",")) {
            Path meta = Path.of(dir.trim(), "meta.properties");
            if (Files.isRegularFile(meta)) {
                Properties p = new Properties();
                try (var in = Files.newInputStream(meta)) {
                    p.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + meta, e);
                }
                String id = p.getProperty("cluster.id");
                if (id != null && !id.isBlank()) {
                    return id.trim();
                }
            }
        }
        return Uuid.randomUuid().toString();
    }

    /** Waits until the broker answers a metadata request on its advertised address. */
    private void awaitReady() {
        Map<String, Object> props = new HashMap<>(clientSettings);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    var nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    if (nodes.stream().map(Node::id).anyMatch(id -> id == NODE_ID)) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker did not become ready within " + READY_TIMEOUT, e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("broker did not register within " + READY_TIMEOUT);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    private void prepareDataDir(Path requested) {
        try {
            if (requested == null) {
                dataDir = Files.createTempDirectory("segstream-kafka-");
                tempDataDir = true;
            } else {
                dataDir = Files.createDirectories(requested.toAbsolutePath());
                tempDataDir = false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory " + requested, e);
        }
    }

    private void stopServerQuietly() {
        KafkaRaftServer s = server;
        server = null;
        if (s == null) {
            return;
        }
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("error while stopping the Kafka broker", e);
        }
    }

    private void deleteTempDataDir() {
        if (tempDataDir && dataDir != null) {
            try {
                Utils.delete(dataDir.toFile());
            } catch (IOException e) {
                LOG.warn("could not delete Kafka data directory {}: {}", dataDir, e.toString());
            }
        }
    }

    private void requireRunning() {
        if (server == null) {
            throw new IllegalStateException("broker is not running");
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("localhost"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A TCP port on localhost that was free a moment ago. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("localhost"), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on localhost", e);
        }
    }

    private static String kafkaVersion() {
        return org.apache.kafka.common.utils.AppInfoParser.getVersion();
    }
}

package dev.segstream.ops.broker;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.ConfigSources;
import dev.segstream.core.config.TopicsConfig;
import dev.segstream.core.topic.TopicSpec;
import dev.segstream.core.topic.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ops broker}: runs a real single-node Kafka broker (KRaft, in this JVM, see
 * {@link EmbeddedKafkaBroker}), creates segstream's topics from the registry, prints
 * {@code broker ready bootstrap.servers=localhost:9092 topics=frames,masks,frames.labelled,frames.dlq ...}
 * and serves until SIGINT or SIGTERM, when it shuts the broker down cleanly.
 *
 * <p>Settings: {@code --kafka KEY=VALUE} pairs whose key is a segstream key (the topic registry's
 * {@code topic.*} keys, {@code bootstrap.servers}, {@code metrics.port}) configure the topics; any
 * other key is a Kafka <em>server</em> property of the broker ({@code --kafka log.retention.ms=600000}).
 * The topic keys can also come from {@code --config FILE} and {@code SEGSTREAM_*} environment
 * variables, as for every segstream command.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run a single-node Apache Kafka broker (KRaft mode, in-process) on localhost and create "
                + "segstream's topics; serves until interrupted (Ctrl-C / SIGTERM).",
            "--kafka keys of the topic registry (topic.frames, topic.partitions, ...) shape the topics; "
                + "any other --kafka key is passed to the broker as a server property."})
public class BrokerCommand implements Callable<Integer> {

    private static final ConfigDef SEGSTREAM_KEYS = CommonConfig.define(-1);

    @Option(names = "--port", defaultValue = "9092",
            description = "Client port on localhost, advertised as localhost:PORT; 0 picks a free port "
                    + "(default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the broker's data here, across restarts (default: a temporary directory "
                    + "deleted on exit).")
    Path dataDir;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the created topics (" + TopicsConfig.PARTITIONS + ", default 4).")
    Integer partitions;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "A topic-registry setting (topic.*) or a Kafka server property; repeatable.")
    List<String> kafka = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of segstream settings.")
    Path configFile;

    @Spec
    CommandSpec spec;

    /** Environment read for {@code SEGSTREAM_*} settings; replaceable in tests. */
    Map<String, String> env = System.getenv();

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile EmbeddedKafkaBroker running;

    /** For picocli and {@code OpsMain}. */
    public BrokerCommand() {
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> segstreamSettings = new TreeMap<>();
        Map<String, String> serverProps = new TreeMap<>();
        ConfigSources.parsePairs(kafka).forEach((k, v) -> {
            if (SEGSTREAM_KEYS.names().contains(k)) {
                segstreamSettings.put(k, v);
            } else {
                serverProps.put(k, v);
            }
        });
        if (partitions != null) {
            segstreamSettings.put(TopicsConfig.PARTITIONS, String.valueOf(partitions));
        }
        Topics topics = Topics.from(new AbstractConfig(SEGSTREAM_KEYS,
                ConfigSources.resolve(configFile, env, segstreamSettings)));

        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(serverProps);
        Thread hook = new Thread(() -> {
            broker.close();
            stopRequested.countDown();
        }, "segstream-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            broker.start(port, dataDir);
            running = broker;
            broker.createTopics(topics);
            PrintWriter out = spec.commandLine().getOut();
            out.println("broker ready bootstrap.servers=" + broker.bootstrapServers()
                    + " topics=" + topics.all().stream().map(TopicSpec::name).collect(Collectors.joining(","))
                    + " data.dir=" + broker.dataDir()
                    + " startup.ms=" + broker.startupTime().toMillis());
            out.flush();
            stopRequested.await();
            return 0;
        } finally {
            running = null;
            broker.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or has run: it closes the broker itself.
            }
        }
    }

    /** The broker while the command serves, else {@code null}. */
    EmbeddedKafkaBroker runningBroker() {
        return running;
    }

    /** Makes {@link #call()} stop the broker and return 0, as a signal would. */
    void stop() {
        stopRequested.countDown();
    }
}

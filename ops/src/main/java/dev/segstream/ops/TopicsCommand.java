package dev.segstream.ops;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.ConfigSources;
import dev.segstream.core.topic.TopicSpec;
import dev.segstream.core.topic.Topics;
import dev.segstream.ops.broker.TopicProvisioner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ops topics}: creates segstream's topics from the registry on any cluster (idempotent). */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create the frames, masks, frames.labelled and frames.dlq topics on a cluster.")
public final class TopicsCommand implements Callable<Integer> {

    private static final ConfigDef CONFIG = CommonConfig.define(-1);

    @Option(names = "--bootstrap-servers", description = "Kafka cluster (default: localhost:9092).")
    String bootstrapServers;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE", description = "Any client or topic-registry setting; repeatable.")
    List<String> kafka = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of settings.")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new TreeMap<>(ConfigSources.parsePairs(kafka));
        if (bootstrapServers != null) {
            overrides.put(CommonConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        AbstractConfig config = new AbstractConfig(CONFIG, ConfigSources.resolve(configFile, System.getenv(), overrides));
        Topics topics = Topics.from(config);
        try (Admin admin = Admin.create(CommonConfig.kafkaClientProps(config, CONFIG))) {
            List<String> created = TopicProvisioner.createTopics(admin, topics);
            for (TopicSpec<?, ?> spec : topics.all()) {
                System.out.println((created.contains(spec.name()) ? "created " : "exists  ") + spec.name()
                        + " partitions=" + spec.partitions() + " replication=" + spec.replicationFactor());
            }
        }
        return 0;
    }
}

package dev.segstream.ops;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.SettingsOptions;
import dev.segstream.core.topic.TopicSpec;
import dev.segstream.core.topic.Topics;
import dev.segstream.ops.broker.TopicProvisioner;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ops topics}: creates segstream's topics from the registry on any cluster (idempotent). */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create the frames, masks, frames.labelled, frames.dlq, models and quality topics on a cluster.")
public final class TopicsCommand implements Callable<Integer> {

    private static final ConfigDef CONFIG = CommonConfig.define(-1);

    @Mixin
    SettingsOptions settings = new SettingsOptions();

    @Override
    public Integer call() throws Exception {
        AbstractConfig config = new AbstractConfig(CONFIG, settings.resolve(System.getenv(), Map.of()));
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

package dev.segstream.core.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Settings every segstream service shares: where the cluster is, where metrics are served, and
 * the topic registry's keys. Each service's {@code ...Config} starts from {@link #define(int)}.
 */
public final class CommonConfig {

    /** Kafka bootstrap servers; the same key the Kafka clients use. */
    public static final String BOOTSTRAP_SERVERS = CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG;
    private static final String BOOTSTRAP_SERVERS_DOC = "Kafka cluster to connect to (host:port,...).";
    public static final String BOOTSTRAP_SERVERS_DEFAULT = "localhost:9092";

    /** TCP port of the Prometheus scrape endpoint; 0 picks a free port, -1 disables it. */
    public static final String METRICS_PORT = "metrics.port";
    private static final String METRICS_PORT_DOC =
            "Port serving Prometheus metrics at /metrics; 0 picks a free port, -1 disables the endpoint.";

    private CommonConfig() {
    }

    /** A new definition holding the shared keys and the topic registry's keys. */
    public static ConfigDef define(int defaultMetricsPort) {
        ConfigDef def = new ConfigDef()
                .define(BOOTSTRAP_SERVERS, Type.STRING, BOOTSTRAP_SERVERS_DEFAULT,
                        new ConfigDef.NonEmptyString(), Importance.HIGH, BOOTSTRAP_SERVERS_DOC);
        return TopicsConfig.define(defineMetricsPort(def, defaultMetricsPort));
    }

    /** Adds {@value #METRICS_PORT} alone, for tools that talk to no cluster (the offline trainer). */
    public static ConfigDef defineMetricsPort(ConfigDef def, int defaultMetricsPort) {
        return def.define(METRICS_PORT, Type.INT, defaultMetricsPort, Range.between(-1, 65535), Importance.MEDIUM,
                METRICS_PORT_DOC);
    }

    /**
     * The Kafka client settings in a parsed config: every original key that the segstream
     * definition does not declare, plus {@code bootstrap.servers}.
     */
    public static Map<String, Object> kafkaClientProps(AbstractConfig config, ConfigDef ownDefinition) {
        Map<String, Object> out = new HashMap<>();
        config.originals().forEach((k, v) -> {
            if (!ownDefinition.names().contains(k)) {
                out.put(k, v);
            }
        });
        out.put(BOOTSTRAP_SERVERS, config.getString(BOOTSTRAP_SERVERS));
        return out;
    }
}

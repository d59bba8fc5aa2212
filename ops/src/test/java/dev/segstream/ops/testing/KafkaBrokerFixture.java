package dev.segstream.ops.testing;

import dev.segstream.core.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A running Kafka cluster that a test talks to, whatever runs it: the in-process broker
 * ({@link InProcessKafka}) or a Docker container ({@link ContainerKafka}). Write a test body once
 * against this interface and run it against both (see {@code BrokerRoundTripContract}).
 */
public interface KafkaBrokerFixture {

    /** {@code host:port} list for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** Creates the registry's topics; topics that already exist are fine. */
    void createTopics(Topics topics);

    /** Short name of what runs the broker, for messages: {@code in-process}, {@code container ...}. */
    String description();

    /** A new mutable map holding {@code bootstrap.servers}, to add client settings to. */
    default Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }
}

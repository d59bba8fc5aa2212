package dev.segstream.core.topic;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the registry: its name, how it is created, and the serdes of its keys and values.
 *
 * @param name              topic name
 * @param partitions        partitions when segstream creates it
 * @param replicationFactor replication when segstream creates it
 * @param configs           topic-level configs when segstream creates it
 * @param keySerde          serde of keys
 * @param valueSerde        serde of values
 * @param <K>               key type
 * @param <V>               value type
 */
public record TopicSpec<K, V>(String name, int partitions, short replicationFactor, Map<String, String> configs,
                              Serde<K> keySerde, Serde<V> valueSerde) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        configs = Map.copyOf(configs);
    }

    /** The admin-client request that creates this topic. */
    public NewTopic newTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }
}

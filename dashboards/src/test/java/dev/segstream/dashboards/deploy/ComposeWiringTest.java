package dev.segstream.dashboards.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.dashboards.deploy.ComposeService.Mount;
import dev.segstream.model.store.ModelStoreConfig;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.server.config.AbstractKafkaConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The services find each other by name: the broker runs the clients' Kafka version with settings
 * that broker knows, every bootstrap address is one the broker advertises, and the trainer and the
 * segmenter share one model store volume at the path each is configured with.
 */
class ComposeWiringTest {

    /** Variables the apache/kafka image reads itself instead of turning them into broker settings. */
    private static final Set<String> KAFKA_IMAGE_VARIABLES = Set.of("KAFKA_VERSION", "KAFKA_HEAP_OPTS",
            "KAFKA_LOG4J_OPTS", "KAFKA_OPTS", "KAFKA_JMX_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS",
            "KAFKA_LOG4J_ROOT_LOGLEVEL", "KAFKA_LOG4J_LOGGERS", "KAFKA_TOOLS_LOG4J_LOGLEVEL");

    private static ComposeFile compose;
    private static List<SegstreamService> services;

    @BeforeAll
    static void load() throws IOException {
        compose = ComposeFile.read();
        services = SegstreamService.all(compose);
    }

    @Test
    void shouldRunClientsKafkaVersionWhenBrokerImageIsPinned() {
        String image = compose.service("kafka").image().orElseThrow();

        assertThat(image).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        System.out.println("kafka image " + image + " matches kafka-clients " + AppInfoParser.getVersion());
    }

    @Test
    void shouldNameBrokerSettingWhenKafkaVariableIsSet() {
        Map<String, String> env = compose.service("kafka").environment();
        Map<String, String> keys = new TreeMap<>();
        env.keySet().stream().filter(k -> k.startsWith("KAFKA_") && !KAFKA_IMAGE_VARIABLES.contains(k))
                // the image's rule: drop KAFKA_, lower-case, ___ -> '-', __ -> '_', _ -> '.'
                .forEach(k -> keys.put(k, k.substring(6).toLowerCase(Locale.ROOT).replace("___", "-")
                        .replace("__", "\u0000").replace('_', '.').replace('\u0000', '_')));

        keys.forEach((var, key) -> assertThat(AbstractKafkaConfig.CONFIG_DEF.names().contains(key))
                .as("%s is the Kafka %s broker setting %s", var, AppInfoParser.getVersion(), key).isTrue());
        assertThatCode(() -> Uuid.fromString(env.get("CLUSTER_ID"))).as("CLUSTER_ID is a base64 UUID")
                .doesNotThrowAnyException();
        System.out.println("kafka: " + keys.size() + " KAFKA_ variables are broker settings of Kafka "
                + AppInfoParser.getVersion());
    }

    @Test
    void shouldAdvertiseAddressWhenServiceBootstrapsFromIt() {
        String advertised = compose.service("kafka").environment().get("KAFKA_ADVERTISED_LISTENERS");
        for (SegstreamService s : services) {
            for (String server : s.config().getString(CommonConfig.BOOTSTRAP_SERVERS).split(",")) {
                String host = server.substring(0, server.lastIndexOf(':'));
                assertThat(compose.serviceNames()).as("%s bootstraps from a compose service", s.service().name())
                        .contains(host);
                assertThat(advertised).as("%s advertises %s", host, server).contains("://" + server);
                assertThat(dependencies(s.service().name())).as("%s starts after %s", s.service().name(), host)
                        .contains(host);
            }
        }
    }

    @Test
    void shouldShareOneVolumeWhenTrainerWritesModelStoreAndSegmenterReadsIt() {
        Map<String, Mount> stores = new TreeMap<>();
        for (SegstreamService s : services) {
            if (!SegstreamService.definition(s.command()).names().contains(ModelStoreConfig.MODEL_STORE)) {
                continue;
            }
            String path = s.config().getString(ModelStoreConfig.MODEL_STORE);
            Mount mount = s.service().mounts().stream().filter(m -> m.target().equals(path)).findFirst()
                    .orElseThrow(() -> new AssertionError(s.service().name() + ": nothing mounted at model.store "
                            + path));
            assertThat(mount.bind()).as("%s: the model store is a named volume", s.service().name()).isFalse();
            stores.put(s.service().name(), mount);
        }

        assertThat(stores).containsOnlyKeys("segmenter", "trainer");
        assertThat(stores.get("trainer").source()).isEqualTo(stores.get("segmenter").source());
        assertThat(stores.get("trainer").readOnly()).as("the trainer writes versions").isFalse();
        assertThat(stores.get("segmenter").readOnly()).as("the segmenter only reads").isTrue();
        System.out.println("model store: volume " + stores.get("trainer").source() + " at "
                + stores.get("trainer").target() + " (trainer rw, segmenter ro)");
    }

    /** Every service {@code name} waits for, directly or through others. */
    private static Set<String> dependencies(String name) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(name));
        while (!todo.isEmpty()) {
            compose.service(todo.pop()).dependsOn().keySet().forEach(d -> {
                if (seen.add(d)) {
                    todo.push(d);
                }
            });
        }
        return seen;
    }
}

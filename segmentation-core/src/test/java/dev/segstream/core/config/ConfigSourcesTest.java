package dev.segstream.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segstream.core.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

    @Test
    void shouldApplyFileThenEnvThenOverridesWhenKeysCollide(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.properties");
        Files.writeString(file, "bootstrap.servers=file:1\nsecurity.protocol=SSL\ntopic.frames=f-file\n");
        Map<String, Object> merged = ConfigSources.resolve(file,
                Map.of("SEGSTREAM_BOOTSTRAP_SERVERS", "env:2", "SEGSTREAM_TOPIC_FRAMES", "f-env", "PATH", "/bin"),
                Map.of("topic.frames", "f-cli"));
        assertThat(merged).containsEntry("bootstrap.servers", "env:2").containsEntry("security.protocol", "SSL")
                .containsEntry("topic.frames", "f-cli").doesNotContainKey("path");
    }

    @Test
    void shouldPassUnknownKeysToKafkaWhenNotDeclared() {
        ConfigDef def = CommonConfig.define(1);
        AbstractConfig cfg = new AbstractConfig(def, Map.of("sasl.mechanism", "PLAIN", "topic.masks", "m2"), false);
        Map<String, Object> kafka = CommonConfig.kafkaClientProps(cfg, def);
        assertThat(kafka).containsEntry("sasl.mechanism", "PLAIN").containsEntry("bootstrap.servers", "localhost:9092")
                .doesNotContainKey("topic.masks");
        assertThat(Topics.from(cfg).masks().name()).isEqualTo("m2");
    }

    @Test
    void shouldRejectPairWhenNoEqualsSign() {
        assertThatThrownBy(() -> ConfigSources.parsePairs(List.of("acks")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks");
        assertThat(ConfigSources.parsePairs(List.of("a=b=c"))).containsEntry("a", "b=c");
    }
}

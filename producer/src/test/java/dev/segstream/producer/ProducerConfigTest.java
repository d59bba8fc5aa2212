package dev.segstream.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerConfigTest {

    @Test
    void shouldUseDocumentedDefaultsWhenNothingIsSet() {
        ProducerConfig c = new ProducerConfig(Map.of());
        assertThat(c.sourceDir()).isEmpty();
        assertThat(c.fps()).isEqualTo(5.0);
        assertThat(c.framesMax()).isZero();
        assertThat(c.syntheticCameras()).isEqualTo(4);
        assertThat(c.syntheticWidth()).isEqualTo(128);
        assertThat(c.syntheticHeight()).isEqualTo(96);
        assertThat(c.loop()).isTrue();
        assertThat(c.metricsPort()).isEqualTo(9401);
        assertThat(c.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.topics().frames().name()).isEqualTo("frames");
        assertThat(c.topics().labelled().name()).isEqualTo("frames.labelled");
        assertThat(c.newSource()).isInstanceOf(SyntheticSource.class);
        assertThat(c.newSource().cameras()).hasSize(4);
    }

    @Test
    void shouldDeclareEveryProducerKeyWithDocWhenDefined() {
        var def = ProducerConfig.configDef();
        for (String key : new String[] {ProducerConfig.SOURCE_DIR, ProducerConfig.FPS, ProducerConfig.FRAMES_MAX,
            ProducerConfig.SYNTHETIC_CAMERAS, ProducerConfig.SYNTHETIC_WIDTH, ProducerConfig.SYNTHETIC_HEIGHT,
            ProducerConfig.SYNTHETIC_SEED, ProducerConfig.LOOP, "bootstrap.servers", "metrics.port", "topic.frames"}) {
            assertThat(def.configKeys()).containsKey(key);
            assertThat(def.configKeys().get(key).documentation).as(key).isNotBlank();
        }
    }

    @Test
    void shouldRejectInvalidValuesWhenValidating(@TempDir Path dir) {
        assertThatThrownBy(() -> new ProducerConfig(Map.of(ProducerConfig.FPS, "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fps");
        assertThatThrownBy(() -> new ProducerConfig(Map.of(ProducerConfig.FPS, "NaN")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fps");
        assertThatThrownBy(() -> new ProducerConfig(Map.of(ProducerConfig.FPS, "fast")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new ProducerConfig(Map.of(ProducerConfig.SYNTHETIC_CAMERAS, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("synthetic.cameras");
        assertThatThrownBy(() -> new ProducerConfig(Map.of(ProducerConfig.FRAMES_MAX, "-3")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new ProducerConfig(Map.of(ProducerConfig.SOURCE_DIR, dir.resolve("missing").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("source.dir");
    }

    @Test
    void shouldPassUndeclaredKeysToKafkaWhenSplittingSettings() {
        ProducerConfig c = new ProducerConfig(Map.of("sasl.mechanism", "PLAIN", ProducerConfig.FPS, "2",
                "bootstrap.servers", "b:1"));
        assertThat(c.kafkaClientProps()).containsEntry("sasl.mechanism", "PLAIN").containsEntry("bootstrap.servers", "b:1")
                .doesNotContainKey(ProducerConfig.FPS);
    }

    @Test
    void shouldSelectCamVidSourceWhenSourceDirIsSet(@TempDir Path dir) throws Exception {
        CamVidFolderSourceTest.writeFolder(dir, "train", java.util.List.of("cam_1"), true);
        ProducerConfig c = new ProducerConfig(Map.of(ProducerConfig.SOURCE_DIR, dir.toString()));
        assertThat(c.sourceDir()).contains(dir);
        assertThat(c.newSource()).isInstanceOf(CamVidFolderSource.class);
        assertThat(c.newSource().cameras()).containsExactly("cam");
    }
}

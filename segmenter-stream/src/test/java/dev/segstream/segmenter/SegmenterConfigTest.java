package dev.segstream.segmenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segstream.model.TestTimeAugmentation;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class SegmenterConfigTest {

    @Test
    void shouldLeaveOneCoreToKafkaWhenModelThreadsIsZero() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(new SegmenterConfig(Map.of()).modelThreads()).isEqualTo(Math.max(1, cores - 1));
        assertThat(new SegmenterConfig(Map.of(SegmenterConfig.MODEL_THREADS, "3")).modelThreads()).isEqualTo(3);
    }

    @Test
    void shouldRejectInFlightLimitBelowBatchSizeWhenConfigured() {
        assertThatThrownBy(() -> new SegmenterConfig(Map.of(SegmenterConfig.MAX_BATCH_SIZE, "16",
                SegmenterConfig.MAX_IN_FLIGHT_FRAMES, "8")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(SegmenterConfig.MAX_IN_FLIGHT_FRAMES);
        assertThatThrownBy(() -> new SegmenterConfig(Map.of(SegmenterConfig.MAX_BATCH_DELAY_MS, "-1")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldDefaultToMeasuredBatchLimitsAndExactlyOnceWhenNothingIsSet() {
        SegmenterConfig config = new SegmenterConfig(Map.of());
        assertThat(config.batchLimits()).isEqualTo(new DynamicBatcher.Limits(8, 20, 64, 1));
        assertThat(config.streamsProperties()).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(new SegmenterConfig(Map.of(StreamsConfig.POLL_MS_CONFIG, "50")).streamsProperties())
                .containsEntry(StreamsConfig.POLL_MS_CONFIG, "50");
    }

    @Test
    void shouldServeWithoutTestTimeAugmentationUnlessFlipIsAsked() {
        assertThat(new SegmenterConfig(Map.of()).testTimeAugmentation()).isEqualTo(TestTimeAugmentation.NONE);
        assertThat(new SegmenterConfig(Map.of(SegmenterConfig.MODEL_TTA, "flip")).testTimeAugmentation())
                .isEqualTo(TestTimeAugmentation.FLIP);
        assertThatThrownBy(() -> new SegmenterConfig(Map.of(SegmenterConfig.MODEL_TTA, "rotate")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(SegmenterConfig.MODEL_TTA);
    }

    @Test
    void shouldParseWarmupSizeOrRejectItWhenMalformed() {
        assertThat(new SegmenterConfig(Map.of()).warmupSize()).hasValueSatisfying(wh -> assertThat(wh).containsExactly(128, 96));
        assertThat(new SegmenterConfig(Map.of(SegmenterConfig.MODEL_WARMUP, "")).warmupSize()).isEmpty();
        for (String bad : new String[] {"128", "0x96", "axb", "128x96x3"}) {
            assertThatThrownBy(() -> new SegmenterConfig(Map.of(SegmenterConfig.MODEL_WARMUP, bad)))
                    .as(bad).isInstanceOf(org.apache.kafka.common.config.ConfigException.class);
        }
    }
}

package dev.segstream.segmenter;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class SegmenterStatsTest {

    @Test
    void shouldCountFramesPerCameraAndBoundTheTagsWhenKeysAreManyOrOdd() {
        SegmenterStats stats = new SegmenterStats();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        stats.recording().exportTo(registry);
        stats.frameIn("cam-1");
        stats.frameIn("cam-1");
        stats.frameIn(null);
        stats.frameIn("x".repeat(500));
        for (int i = 0; i < SegmenterStats.MAX_CAMERA_TAGS + 50; i++) {
            stats.frameIn("fleet-" + i);
        }
        assertThat(registry.get("segstream.segmenter.camera.frames").tag("camera", "cam-1").counter().count()).isEqualTo(2);
        assertThat(registry.get("segstream.segmenter.camera.frames").tag("camera", "none").counter().count()).isEqualTo(1);
        assertThat(registry.find("segstream.segmenter.camera.frames").counters()).hasSizeLessThanOrEqualTo(SegmenterStats.MAX_CAMERA_TAGS + 1);
        double total = registry.find("segstream.segmenter.camera.frames").counters().stream().mapToDouble(c -> c.count()).sum();
        assertThat(total).isEqualTo(stats.framesIn());
        assertThat(registry.get("segstream.segmenter.camera.frames").tag("camera", "other").counter().count()).isPositive();
    }
}

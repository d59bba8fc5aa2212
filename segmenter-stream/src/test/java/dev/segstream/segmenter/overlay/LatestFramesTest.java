package dev.segstream.segmenter.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.wire.ClassMask;
import org.junit.jupiter.api.Test;

class LatestFramesTest {

    private static final ClassMask MASK = new ClassMask(2, 1, new byte[] {3, 8});

    private static void record(LatestFrames view, String camera, int frame, long atMs) {
        view.record(camera, camera + "-" + frame, new byte[] {1}, MASK, "vanilla", "v1", 40, atMs);
    }

    @Test
    void shouldDropTheCameraUpdatedLongestAgoWhenMoreCamerasThanTheCapPublish() {
        LatestFrames view = new LatestFrames(2);
        record(view, "a", 0, 1_000);
        record(view, "b", 0, 1_010);
        record(view, "a", 1, 1_020);
        record(view, "c", 0, 1_030);

        assertThat(view.latest(1_030)).extracting(e -> e.frame().frameId()).containsExactly("a-1", "c-0");
    }

    @Test
    void shouldKeepOnlyTheLastFewFramesOfACameraWhenItKeepsPublishing() {
        LatestFrames view = new LatestFrames(4);
        for (int i = 0; i < LatestFrames.HISTORY + 3; i++) {
            record(view, "a", i, 1_000 + i);
        }

        long last = view.lastSeq();
        assertThat(view.find(last).orElseThrow().frameId()).isEqualTo("a-" + (LatestFrames.HISTORY + 2));
        assertThat(view.find(last - LatestFrames.HISTORY + 1)).isPresent();
        assertThat(view.find(last - LatestFrames.HISTORY)).isEmpty();
    }

    @Test
    void shouldReportTheMaskRateOfTheLastSecondsWhenFramesArriveEvenly() {
        LatestFrames view = new LatestFrames(4);
        for (int i = 0; i <= 10; i++) {
            record(view, "a", i, 10_000 + 200L * i);
        }

        assertThat(view.latest(12_000).get(0).fps()).isEqualTo(5.0);
        assertThat(view.latest(60_000).get(0).fps()).as("a camera that stopped").isZero();
    }
}

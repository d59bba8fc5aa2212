package dev.segstream.segmenter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.MaskPredictor;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.SegmentationModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Hot swap semantics of the engine, with stand-in models whose predictor can be held mid-batch. */
class SegmentationEngineSwapTest {

    /** A model whose predictions wait for {@code gate} and name their version in the mask's first pixel. */
    private static final class HeldModel implements SegmentationModel {
        final ModelDescriptor descriptor;
        final CountDownLatch gate;
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicBoolean closed = new AtomicBoolean();

        HeldModel(String version, CountDownLatch gate) {
            this.descriptor = new ModelDescriptor(1, "vanilla", version, 2, 4, 11, 11, List.of(0.4f, 0.4f, 0.4f),
                    List.of(0.3f, 0.3f, 0.3f), "pad-to-multiple", "test", Map.of(), "0".repeat(64), "now");
            this.gate = gate;
        }

        @Override
        public ModelDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public String device() {
            return "cpu()";
        }

        @Override
        public MaskPredictor newPredictor() {
            return new MaskPredictor() {
                @Override
                public List<ClassMask> predict(List<RgbImage> frames) {
                    started.countDown();
                    try {
                        gate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    List<ClassMask> out = new ArrayList<>();
                    for (RgbImage f : frames) {
                        out.add(new ClassMask(f.width(), f.height(), new byte[f.width() * f.height()]));
                    }
                    return out;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static final List<RgbImage> FRAME = List.of(new RgbImage(4, 4, new byte[48]));

    @Test
    void shouldFinishRunningBatchOnOldModelAndServeNextBatchFromNewWhenSwappedMidBatch() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        HeldModel v1 = new HeldModel("v1", hold);
        HeldModel v2 = new HeldModel("v2", new CountDownLatch(0));
        try (SegmentationEngine engine = new SegmentationEngine(v1)) {
            CompletableFuture<SegmentationEngine.Segmented> running = CompletableFuture.supplyAsync(
                    () -> engine.segment(FRAME));
            assertThat(v1.started.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(engine.swap(v2).version()).isEqualTo("v1");
            assertThat(engine.descriptor().version()).isEqualTo("v2");
            assertThat(v1.closed).as("v1 still has a batch running").isFalse();
            assertThat(engine.segment(FRAME).model().version()).isEqualTo("v2");

            hold.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS).model().version()).isEqualTo("v1");
            assertThat(v1.closed).as("v1 freed after its last batch").isTrue();
            assertThat(v2.closed).isFalse();
        }
        assertThat(v2.closed).isTrue();
    }
}

package dev.segstream.segmenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The batcher on its own: sharing across threads, slots, shutdown. */
class DynamicBatcherTest {

    private static SegmentationEngine engine;

    @BeforeAll
    static void loadModel() {
        engine = new SegmentationEngine(ModelArtifacts.untrained(
                new UNetSpec(UNetVariant.VANILLA, 2, 4, 11), 7L, "test-v1", "cpu"));
    }

    @AfterAll
    static void closeModel() {
        engine.close();
    }

    private static RgbImage image(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }

    private SimpleMeterRegistry registry(SegmenterStats stats, DynamicBatcher batcher) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SegmenterMetrics(stats, batcher, null).bindTo(registry);
        return registry;
    }

    @Test
    void shouldPutFramesOfManyThreadsIntoOneBatchWhenTheyArriveWithinDelay() throws Exception {
        SegmenterStats stats = new SegmenterStats();
        try (DynamicBatcher batcher = new DynamicBatcher(engine, new DynamicBatcher.Limits(4, 60_000, 8, 1), stats)) {
            SimpleMeterRegistry registry = registry(stats, batcher);
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<SegmentedFrame>> results = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int seed = i;
                CompletableFuture<SegmentedFrame> result = new CompletableFuture<>();
                results.add(result);
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        assertThat(batcher.slots().reserve(1000)).isTrue();
                        batcher.submit(image(40, 30, seed)).whenComplete((m, e) -> result.complete(m));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "stream-thread-" + i);
                threads.add(t);
                t.start();
            }
            go.countDown();
            for (CompletableFuture<SegmentedFrame> r : results) {
                ClassMask mask = r.get(30, TimeUnit.SECONDS).mask();
                assertThat(mask.width()).isEqualTo(40);
                assertThat(mask.height()).isEqualTo(30);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(registry.get("segstream.segmenter.batch.size").summary().count()).isEqualTo(1);
            assertThat(registry.get("segstream.segmenter.batch.size").summary().max()).isEqualTo(4.0);
            assertThat(registry.get("segstream.segmenter.batch.compute").timer().count()).isEqualTo(1);
            assertThat(registry.get("segstream.segmenter.batch.queue.wait").timer().count()).isEqualTo(1);
            assertThat(registry.get("segstream.segmenter.batch.queued").gauge().value()).isZero();
            assertThat(batcher.slots().taken()).isEqualTo(4);
        }
    }

    @Test
    void shouldRefuseSlotWhenAllAreTakenAndGrantItAfterRelease() {
        SegmenterStats stats = new SegmenterStats();
        try (DynamicBatcher batcher = new DynamicBatcher(engine, new DynamicBatcher.Limits(2, 10, 2, 1), stats)) {
            SimpleMeterRegistry registry = registry(stats, batcher);
            assertThat(batcher.slots().reserve(0)).isTrue();
            assertThat(batcher.slots().reserve(0)).isTrue();
            long start = System.nanoTime();
            assertThat(batcher.slots().reserve(50)).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
            batcher.slots().reserveOverLimit();
            assertThat(batcher.slots().taken()).isEqualTo(3);
            batcher.slots().release();
            batcher.slots().release();
            assertThat(batcher.slots().reserve(0)).isTrue();
        }
    }

    @Test
    void shouldCancelQueuedFramesAndRefuseWorkWhenClosed() {
        SegmenterStats stats = new SegmenterStats();
        DynamicBatcher batcher = new DynamicBatcher(engine, new DynamicBatcher.Limits(8, 60_000, 8, 2), stats);
        SimpleMeterRegistry registry = registry(stats, batcher);
        assertThat(batcher.slots().reserve(0)).isTrue();
        CompletableFuture<SegmentedFrame> waiting = batcher.submit(image(16, 16, 1));
        assertThat(registry.get("segstream.segmenter.batch.queued").gauge().value()).isEqualTo(1.0);
        batcher.close();
        assertThat(waiting).isCancelled();
        assertThat(registry.get("segstream.segmenter.batch.queued").gauge().value()).isZero();
        assertThatThrownBy(() -> batcher.slots().reserve(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldNotCountCancelledFramesTowardsBatchSizeWhenTaskClosed() throws Exception {
        SegmenterStats stats = new SegmenterStats();
        try (DynamicBatcher batcher = new DynamicBatcher(engine, new DynamicBatcher.Limits(3, 60_000, 8, 1), stats)) {
            SimpleMeterRegistry registry = registry(stats, batcher);
            CompletableFuture<SegmentedFrame> abandoned = batcher.submit(image(20, 20, 1));
            CompletableFuture<SegmentedFrame> kept = batcher.submit(image(20, 20, 2));
            abandoned.cancel(false);
            CompletableFuture<SegmentedFrame> third = batcher.submit(image(20, 20, 3));
            await("two live frames of three").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                    .until(() -> !third.isDone());
            assertThat(third).as("two live frames of three").isNotDone();
            CompletableFuture<SegmentedFrame> fourth = batcher.submit(image(20, 20, 4));
            assertThat(fourth.get(30, TimeUnit.SECONDS).mask().width()).isEqualTo(20);
            assertThat(kept.get(30, TimeUnit.SECONDS).mask().width()).isEqualTo(20);
            assertThat(abandoned).isCancelled();
            assertThat(registry.get("segstream.segmenter.batch.size").summary().max()).isEqualTo(3.0);
            assertThat(registry.get("segstream.segmenter.batch.queued").gauge().value()).isZero();
        }
    }

    @Test
    void shouldRunOpenBatchesWithoutWaitingForTheirDelayWhenDrained() throws Exception {
        SegmenterStats stats = new SegmenterStats();
        try (DynamicBatcher batcher = new DynamicBatcher(engine, new DynamicBatcher.Limits(8, 600_000, 8, 1), stats)) {
            CompletableFuture<SegmentedFrame> small = batcher.submit(image(20, 20, 1));
            CompletableFuture<SegmentedFrame> wide = batcher.submit(image(36, 20, 2));
            await("batches wait for more frames").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                    .until(() -> !small.isDone() && !wide.isDone());

            batcher.drain();

            assertThat(small.get(30, TimeUnit.SECONDS).mask().width()).isEqualTo(20);
            assertThat(wide.get(30, TimeUnit.SECONDS).mask().width()).isEqualTo(36);
            // and a frame submitted after the drain does not wait either
            assertThat(batcher.submit(image(20, 20, 3)).get(30, TimeUnit.SECONDS).mask().width()).isEqualTo(20);
            assertThat(batcher.queuedFrames()).isZero();
        }
    }
}

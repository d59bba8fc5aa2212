package dev.segstream.segmenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dynamic batching inside the topology: when batches close, what shares one, order, retries. */
class BatchingTopologyTest {

    private static SegmentationEngine engine;
    private SegmenterHarness harness;

    @BeforeAll
    static void loadModel() {
        engine = new SegmentationEngine(new PoisonedModel(ModelArtifacts.untrained(
                new UNetSpec(UNetVariant.VANILLA, 2, 4, 11), 7L, "test-v1", "cpu")));
    }

    @AfterAll
    static void closeModel() {
        engine.close();
    }

    @AfterEach
    void closeDriver() {
        if (harness != null) {
            harness.close();
        }
    }

    private void start(int maxBatch, long delayMs) {
        harness = new SegmenterHarness(engine, Map.of(SegmenterConfig.MAX_BATCH_SIZE, Integer.toString(maxBatch),
                SegmenterConfig.MAX_BATCH_DELAY_MS, Long.toString(delayMs)));
    }

    private void send(String camera, String id, byte[] png) {
        RecordHeaders headers = new RecordHeaders();
        FrameHeaders.put(headers, FrameHeaders.FRAME_ID, id);
        harness.frames.pipeInput(new TestRecord<>(camera, png, headers));
    }

    private static List<String> ids(List<TestRecord<String, byte[]>> records) {
        return records.stream().map(r -> FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElseThrow()).toList();
    }

    private HistogramSnapshot batchSizes() {
        return harness.registry.get("segstream.segmenter.batch.size").summary().takeSnapshot();
    }

    @Test
    void shouldCloseBatchAtMaxSizeWhenFramesArriveFasterThanDelay() throws Exception {
        start(4, 60_000);
        for (int i = 0; i < 6; i++) {
            send("cam" + (i % 3), "f" + i, SegmenterHarness.png(32, 24, i));
        }
        harness.awaitBatches(1);
        assertThat(ids(harness.awaitMasks(4))).containsExactly("f0", "f1", "f2", "f3");
        await("the last 2 frames wait for the delay").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .until(() -> harness.batches() == 1);
        assertThat(harness.batches()).as("the last 2 frames wait for the delay").isEqualTo(1);
        assertThat(harness.batcher.slots().taken()).isEqualTo(2);

        harness.advance(Duration.ofSeconds(60));
        assertThat(ids(harness.awaitMasks(2))).containsExactly("f4", "f5");
        assertThat(batchSizes().count()).isEqualTo(2);
        assertThat(batchSizes().max()).isEqualTo(4.0);
        assertThat(batchSizes().total()).isEqualTo(6.0);
    }

    @Test
    void shouldCloseBatchAfterDelayFromFirstFrameWhenBatchIsNotFull() throws Exception {
        start(8, 50);
        for (int i = 0; i < 3; i++) {
            send("cam0", "f" + i, SegmenterHarness.png(32, 24, i));
        }
        harness.advance(Duration.ofMillis(49));
        await("49 ms after the first frame").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .until(() -> harness.batches() == 0);
        assertThat(harness.batches()).as("49 ms after the first frame").isZero();
        assertThat(harness.masks.isEmpty()).isTrue();

        harness.advance(Duration.ofMillis(1));
        harness.awaitBatches(1);
        assertThat(ids(harness.awaitMasks(3))).containsExactly("f0", "f1", "f2");
        assertThat(batchSizes().max()).isEqualTo(3.0);
        assertThat(harness.registry.get("segstream.segmenter.batch.queue.wait").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(50.0);
    }

    @Test
    void shouldNeverMixFrameSizesInOneBatchWhenSizesInterleave() throws Exception {
        start(2, 60_000);
        send("cam0", "a0", SegmenterHarness.png(32, 24, 1));
        send("cam1", "b0", SegmenterHarness.png(40, 30, 2));
        send("cam0", "a1", SegmenterHarness.png(32, 24, 3));
        send("cam1", "b1", SegmenterHarness.png(40, 30, 4));
        harness.awaitBatches(2);
        assertThat(ids(harness.awaitMasks(4))).containsExactly("a0", "b0", "a1", "b1");
        assertThat(batchSizes().count()).isEqualTo(2);
        assertThat(batchSizes().max()).isEqualTo(2.0);
        assertThat(harness.registry.get("segstream.segmenter.batch.retries").functionCounter().count()).isZero();
    }

    @Test
    void shouldKeepArrivalOrderPerCameraWhenLaterBatchFinishesFirst() throws Exception {
        start(2, 1_000);
        send("cam0", "c0-small", SegmenterHarness.png(40, 30, 1));
        send("cam0", "c0-big-1", SegmenterHarness.png(64, 48, 2));
        send("cam0", "c0-big-2", SegmenterHarness.png(64, 48, 3));
        harness.awaitBatches(1);
        harness.punctuate();
        assertThat(harness.masks.isEmpty()).as("the oldest frame has no mask yet").isTrue();

        harness.advance(Duration.ofSeconds(1));
        assertThat(ids(harness.awaitMasks(3))).containsExactly("c0-small", "c0-big-1", "c0-big-2");
    }

    @Test
    void shouldDeadLetterOnlyFailingFrameWhenModelFailsOnBatch() throws Exception {
        start(4, 60_000);
        send("cam0", "ok-0", SegmenterHarness.png(32, 24, 1));
        send("cam0", "poison", PoisonedModel.poisonPng(32, 24));
        send("cam0", "ok-2", SegmenterHarness.png(32, 24, 3));
        send("cam0", "ok-3", SegmenterHarness.png(32, 24, 4));

        assertThat(ids(harness.awaitMasks(3))).containsExactly("ok-0", "ok-2", "ok-3");
        List<TestRecord<String, byte[]>> dead = harness.dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(FrameHeaders.text(dead.get(0).headers(), FrameHeaders.DLQ_REASON)).contains("inference_failed");
        assertThat(FrameHeaders.text(dead.get(0).headers(), FrameHeaders.FRAME_ID)).contains("poison");
        assertThat(dead.get(0).value()).isEqualTo(PoisonedModel.poisonPng(32, 24));
        assertThat(harness.registry.get("segstream.segmenter.batch.retries").functionCounter().count()).isEqualTo(1.0);
        assertThat(harness.registry.get("segstream.segmenter.dead.letters").tag("reason", "inference_failed")
                .functionCounter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldHoldFramesInStoreUntilTheirMasksAreWrittenWhenBatchIsOpen() throws Exception {
        start(4, 60_000);
        send("cam0", "f0", SegmenterHarness.png(32, 24, 1));
        send("cam1", "f1", SegmenterHarness.png(32, 24, 2));
        KeyValueStore<Long, PendingFrame> store = harness.driver.getKeyValueStore(SegmentProcessor.STORE);
        assertThat(store.approximateNumEntries()).isEqualTo(2);
        assertThat(store.get(1L).key()).isEqualTo("cam1");
        assertThat(harness.registry.get("segstream.segmenter.in.flight").gauge().value()).isEqualTo(2.0);

        harness.advance(Duration.ofSeconds(60));
        harness.awaitMasks(2);
        assertThat(store.approximateNumEntries()).isZero();
        assertThat(harness.registry.get("segstream.segmenter.in.flight").gauge().value()).isZero();
        assertThat(harness.registry.get("segstream.segmenter.frame.processing").timer().count()).isEqualTo(2);
        assertThat(harness.batcher.slots().taken()).isZero();
    }

    @Test
    void shouldWaitForFreeSlotWhenInFlightLimitIsReached() throws Exception {
        harness = new SegmenterHarness(engine, Map.of(SegmenterConfig.MAX_BATCH_SIZE, "2",
                SegmenterConfig.MAX_BATCH_DELAY_MS, "60000", SegmenterConfig.MAX_IN_FLIGHT_FRAMES, "2"));
        int[] most = new int[1];
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                most[0] = Math.max(most[0], harness.batcher.slots().taken());
                Thread.onSpinWait();
            }
        });
        sampler.start();
        for (int i = 0; i < 10; i++) {
            send("cam0", "f" + i, SegmenterHarness.png(32, 24, i));
        }
        List<TestRecord<String, byte[]>> out = harness.awaitMasks(10);
        sampler.interrupt();
        sampler.join();
        assertThat(ids(out)).containsExactly("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9");
        assertThat(most[0]).isEqualTo(2);
    }
}

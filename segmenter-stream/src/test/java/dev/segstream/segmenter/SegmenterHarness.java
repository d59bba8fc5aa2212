package dev.segstream.segmenter;

import static org.awaitility.Awaitility.await;

import dev.segstream.core.config.TopicsConfig;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.RgbImage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The segmenter topology in a {@link TopologyTestDriver} with a batcher whose delays follow a
 * hand-driven clock: {@link #advance} moves that clock and the driver's wall clock together.
 * Model calls still run on the batcher's worker thread, so outputs are awaited in real time.
 */
final class SegmenterHarness implements AutoCloseable {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final DynamicBatcher batcher;
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> frames;
    final TestOutputTopic<String, byte[]> masks;
    final TestOutputTopic<String, byte[]> dlq;
    private final AtomicLong batchClock = new AtomicLong();

    SegmenterHarness(SegmentationEngine engine, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of(TopicsConfig.MASKS_TOPIC, "masks-t"));
        all.putAll(settings);
        SegmenterConfig config = new SegmenterConfig(all);
        SegmenterStats stats = new SegmenterStats();
        batcher = new DynamicBatcher(engine, config.batchLimits(), stats, batchClock::get);
        new SegmenterMetrics(stats, batcher, null).bindTo(registry);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(SegmenterTopology.buildTopology(config, batcher, stats), props);
        frames = driver.createInputTopic("frames", new StringSerializer(), new ByteArraySerializer());
        masks = driver.createOutputTopic("masks-t", new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic("frames.dlq", new StringDeserializer(), new ByteArrayDeserializer());
    }

    static byte[] png(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return ImageCodec.encodePng(new RgbImage(w, h, rgb));
    }

    /** Lets {@code d} pass for the batcher and for the driver's wall-clock punctuation. */
    void advance(Duration d) {
        batchClock.addAndGet(d.toNanos());
        batcher.wakeUp();
        driver.advanceWallClockTime(d);
    }

    /** Fires the forwarding punctuation without moving the batcher's clock. */
    void punctuate() {
        driver.advanceWallClockTime(Duration.ofMillis(5));
    }

    /** Model calls run so far. */
    long batches() {
        return registry.get("segstream.segmenter.batch.size").summary().count();
    }

    /** Waits (real time, at most 30 s) until {@code n} model calls ran; the batcher's clock stands still. */
    void awaitBatches(long n) {
        await(n + " model calls").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> batches() >= n);
    }

    /**
     * Punctuates (the batcher's clock standing still) until {@code n} masks were written, at most
     * 30 s; returns them. The driver is polled on the calling thread: it is not thread-safe.
     */
    List<TestRecord<String, byte[]>> awaitMasks(int n) {
        List<TestRecord<String, byte[]>> out = new ArrayList<>(masks.readRecordsToList());
        if (out.size() < n) {
            await(n + " masks").atMost(Duration.ofSeconds(30)).pollInSameThread()
                    .pollDelay(Duration.ofMillis(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> {
                        punctuate();
                        out.addAll(masks.readRecordsToList());
                        return out.size() >= n;
                    });
        }
        return out;
    }

    @Override
    public void close() {
        driver.close();
        batcher.close();
    }
}

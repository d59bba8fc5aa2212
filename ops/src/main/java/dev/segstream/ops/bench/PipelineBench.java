package dev.segstream.ops.bench;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.TopicsConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.core.wire.FrameHeaders;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.ops.broker.EmbeddedKafkaBroker;
import dev.segstream.ops.report.Percentiles;
import dev.segstream.producer.SyntheticRoadCamera;
import dev.segstream.segmenter.SegmentationEngine;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import dev.segstream.trainer.training.MemoryProbe;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The two phases of {@code ops bench pipeline}. Model phase: the segmenter's model, batches of
 * the segmenter's batch size on decoded synthetic road frames, one thread. Pipeline phase: a real
 * in-process broker, the segmenter service with the same model settings, a producer publishing
 * the same frames as PNG and a read-committed consumer timing each mask against its
 * {@code frame.ts}.
 */
final class PipelineBench {

    /** What one run measured. */
    record Result(String variant, String device, double modelFps, double pipelineFps, long p50Ms, long p99Ms,
                  MemoryProbe.Sample memoryStart, MemoryProbe.Sample memoryEnd) {
    }

    private MemoryProbe.Sample memoryStart;
    private MemoryProbe.Sample memoryEnd;

    private final Map<String, Object> settings;
    private final List<RgbImage> images = new ArrayList<>();
    private final int cameras;
    private final int warmup;

    PipelineBench(Map<String, Object> settings, int width, int height, int cameras, int warmup) {
        this.settings = settings;
        this.cameras = cameras;
        this.warmup = warmup;
        for (int c = 0; c < cameras; c++) {
            SyntheticRoadCamera camera = new SyntheticRoadCamera(100 + c, width, height);
            for (int i = 0; i < 16; i++) {
                images.add(camera.frame(i).image());
            }
        }
    }

    /**
     * Model phase, pipeline phase, model phase again: {@code model_fps} is the mean of the two
     * model phases, so that load from elsewhere on a shared machine drifts both figures alike.
     */
    Result run(int frames, int batch, double rate) throws Exception {
        SegmenterConfig config = new SegmenterConfig(settings);
        String[] model = new String[2];
        double before = modelFps(config, frames, batch, model);
        System.err.printf("model: %.1f frames/s (batch %d, %s on %s)%n", before, batch, model[0], model[1]);
        long[] latencies = new long[frames];
        double pipelineFps = pipelineFps(frames, rate, latencies);
        Arrays.sort(latencies);
        System.err.printf("pipeline: %.1f frames/s%n", pipelineFps);
        double after = modelFps(config, frames, batch, model);
        System.err.printf("model again: %.1f frames/s%n", after);
        return new Result(model[0], model[1], (before + after) / 2, pipelineFps,
                Percentiles.nearestRank(latencies, 0.50), Percentiles.nearestRank(latencies, 0.99), memoryStart,
                memoryEnd);
    }

    private double modelFps(SegmenterConfig config, int frames, int batch, String[] model) {
        try (SegmentationEngine engine = new SegmentationEngine(SegmenterService.loadModel(config))) {
            model[0] = engine.descriptor().variant();
            model[1] = engine.device();
            return modelFps(engine, frames, batch);
        }
    }

    private double modelFps(SegmentationEngine engine, int frames, int batch) {
        for (int i = 0; i < 3; i++) {
            engine.segment(batchAt(i * batch, batch));
        }
        MemoryProbe.Sample before = MemoryProbe.sample();
        long start = System.nanoTime();
        for (int done = 0; done < frames; done += batch) {
            engine.segment(batchAt(done, Math.min(batch, frames - done)));
        }
        double fps = frames / ((System.nanoTime() - start) / 1e9);
        MemoryProbe.Sample after = MemoryProbe.sample();
        System.err.printf("model phase RSS %d -> %d MiB over %d frames%n", before.rssMb(), after.rssMb(), frames);
        return fps;
    }

    private List<RgbImage> batchAt(int from, int n) {
        List<RgbImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(images.get((from + i) % images.size()));
        }
        return out;
    }

    private double pipelineFps(int frames, double rate, long[] latencies) throws Exception {
        List<byte[]> pngs = images.stream().map(ImageCodec::encodePng).toList();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start()) {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            Map<String, Object> s = new HashMap<>(settings);
            s.put(CommonConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            s.put(TopicsConfig.FRAMES_TOPIC, "bench-frames-" + suffix);
            s.put(TopicsConfig.MASKS_TOPIC, "bench-masks-" + suffix);
            s.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + suffix);
            SegmenterConfig config = new SegmenterConfig(s);
            Topics topics = config.topics();
            broker.createTopics(topics);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (SegmenterService segmenter = new SegmenterService(config, registry);
                 KafkaProducer<String, byte[]> producer = producer(broker);
                 KafkaConsumer<String, byte[]> consumer = consumer(broker, topics)) {
                segmenter.start();
                awaitRunning(segmenter);
                send(producer, topics, pngs, "warm-", warmup, 0);
                drain(consumer, "warm-", warmup, null, Duration.ofSeconds(120));
                System.err.printf("warmed up with %d frames; measuring %d%n", warmup, frames);
                memoryStart = MemoryProbe.sample();
                Timer compute = registry.get("segstream.segmenter.batch.compute").timer();
                Timer wait = registry.get("segstream.segmenter.batch.queue.wait").timer();
                long batches0 = compute.count();
                double compute0 = compute.totalTime(TimeUnit.MILLISECONDS);
                double wait0 = wait.totalTime(TimeUnit.MILLISECONDS);
                long start = System.nanoTime();
                // Publish on another thread so each mask is timed when it arrives, not after the last send.
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                    try {
                        send(producer, topics, pngs, "f-", frames, rate);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while publishing", e);
                    }
                });
                drain(consumer, "f-", frames, latencies, Duration.ofSeconds(60 + frames));
                sent.join();
                double seconds = (System.nanoTime() - start) / 1e9;
                memoryEnd = MemoryProbe.sample();
                System.err.printf("memory after warm-up: heap %d MiB, RSS %d MiB; after %d frames: heap %d MiB, "
                        + "RSS %d MiB%n", memoryStart.heapMb(), memoryStart.rssMb(), frames, memoryEnd.heapMb(),
                        memoryEnd.rssMb());
                long batches = compute.count() - batches0;
                System.err.printf("pipeline: %d batches, %.1f frames per batch, queue wait %.1f ms and compute "
                                + "%.1f ms per batch, model busy %.0f%% of the time%n", batches,
                        (double) frames / batches, (wait.totalTime(TimeUnit.MILLISECONDS) - wait0) / batches,
                        (compute.totalTime(TimeUnit.MILLISECONDS) - compute0) / batches,
                        (compute.totalTime(TimeUnit.MILLISECONDS) - compute0) / seconds / 10);
                return frames / seconds;
            }
        }
    }

    private void send(KafkaProducer<String, byte[]> producer, Topics topics, List<byte[]> pngs, String prefix,
                      int n, double rate) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (rate > 0) {
                long due = start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            RecordHeaders headers = new RecordHeaders();
            FrameHeaders.put(headers, FrameHeaders.FRAME_ID, prefix + i);
            FrameHeaders.put(headers, FrameHeaders.FRAME_TS, Long.toString(System.currentTimeMillis()));
            producer.send(new ProducerRecord<>(topics.frames().name(), null, "cam" + (i % cameras),
                    pngs.get(i % pngs.size()), headers));
        }
        producer.flush();
    }

    /** Reads masks until {@code n} with {@code prefix} arrived; records each one's latency from frame.ts. */
    private static void drain(KafkaConsumer<String, byte[]> consumer, String prefix, int n, long[] latencies,
                              Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (seen < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen + " of " + n + " masks within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                String id = FrameHeaders.text(r.headers(), FrameHeaders.FRAME_ID).orElse("");
                if (id.startsWith(prefix)) {
                    long ts = FrameHeaders.number(r.headers(), FrameHeaders.FRAME_TS).orElse(System.currentTimeMillis());
                    if (latencies != null) {
                        latencies[seen] = System.currentTimeMillis() - ts;
                    }
                    seen++;
                    if (latencies != null && n >= 1000 && seen % (n / 10) == 0) {
                        MemoryProbe.Sample m = MemoryProbe.sample();
                        System.err.printf("%d masks: heap %d MiB, RSS %d MiB%n", seen, m.heapMb(), m.rssMb());
                    }
                }
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafkaBroker broker) {
        Map<String, Object> p = new HashMap<>(broker.clientProperties());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(EmbeddedKafkaBroker broker, Topics topics) {
        Map<String, Object> c = new HashMap<>(broker.clientProperties());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.masks().name()));
        return consumer;
    }

    private static void awaitRunning(SegmenterService segmenter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (segmenter.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("segmenter not running after 60 s: " + segmenter.state());
            }
            Thread.sleep(50);
        }
    }
}

package dev.segstream.segmenter;

import ai.djl.pytorch.jni.JniUtils;
import dev.segstream.core.config.FrameLimitsConfig;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.EngineThreads;
import dev.segstream.model.GpuMeters;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.ModelSpecConfig;
import dev.segstream.model.SegmentationModel;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.store.ModelStoreConfig;
import dev.segstream.segmenter.overlay.LatestFrames;
import dev.segstream.segmenter.overlay.OverlayConfig;
import dev.segstream.segmenter.overlay.OverlayServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segmenter as an embeddable service: loads the model once, starts its one dynamic batcher,
 * builds the topology, runs Kafka Streams, and binds its meters. {@code SegmenterMain} and the ops demo both use it.
 */
public final class SegmenterService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmenterService.class);

    private final SegmentationEngine engine;
    private final DynamicBatcher batcher;
    private final KafkaStreams streams;
    private static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(10);

    private final KafkaStreamsMetrics streamsMetrics;
    private final java.util.Optional<int[]> warmup;
    private final int warmupBatch;
    private final ModelFollower follower;
    private Thread followerThread;
    private final LiveQuality quality;
    private Thread qualityThread;
    private final SegmenterConfig config;
    private final LatestFrames overlayView;
    private OverlayServer overlay;

    /** Loads the model and builds (but does not start) the stream. */
    public SegmenterService(SegmenterConfig config, MeterRegistry registry) {
        this.config = config;
        this.engine = new SegmentationEngine(loadModel(config), config.testTimeAugmentation());
        this.warmup = config.warmupSize();
        this.warmupBatch = config.getInt(SegmenterConfig.MAX_BATCH_SIZE);
        SegmenterStats stats = new SegmenterStats();
        stats.modelServed(engine.descriptor(), engine.device());
        this.batcher = new DynamicBatcher(engine, config.batchLimits(), stats);
        ServePolicy policy = config.servePolicy();
        this.follower = policy.kind() == ServePolicy.Kind.STATIC ? null : new ModelFollower(config, policy, engine,
                ModelStoreConfig.open(config), stats);
        this.quality = config.getBoolean(SegmenterConfig.QUALITY_ENABLED)
                ? new LiveQuality(config, engine, FrameLimitsConfig.decoder(config), stats.recording(), follower) : null;
        new SegmenterMetrics(stats, batcher, follower).bindTo(registry);
        new GpuMeters(engine.device()).bindTo(registry);
        Properties props = new Properties();
        props.putAll(config.streamsProperties());
        this.overlayView = OverlayConfig.enabled(config) ? OverlayConfig.view(config) : null;
        this.streams = new KafkaStreams(SegmenterTopology.buildTopology(config, batcher, stats, overlayView), props);
        // A stream thread that dies on an unexpected error is replaced, never left dead: input
        // errors are already dead-lettered, so this is for broker or infrastructure faults.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        // Kafka creates per-partition metrics (records-lag per topic and partition) only once a
        // partition is fetched; Micrometer looks for new ones every 60 s by default, which would
        // leave the lag panel empty for the first minute of a run.
        this.streamsMetrics = new KafkaStreamsMetrics(streams, Tags.empty(),
                Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "kafka-metrics-refresh");
                    t.setDaemon(true);
                    return t;
                }), KAFKA_METRICS_REFRESH);
        streamsMetrics.bindTo(registry);
        LOG.info("segmenter serving {} {} on {} ({} intra-op threads, test-time augmentation {}), {}",
                engine.descriptor().variant(), engine.descriptor().version(), engine.device(),
                JniUtils.getNumThreads(), engine.testTimeAugmentation().id(), config.batchLimits());
    }

    /**
     * Loads {@code model.dir}, or builds the seeded untrained default when it is empty, and sets
     * the engine's intra-op threads to {@link SegmenterConfig#modelThreads()}.
     */
    public static SegmentationModel loadModel(SegmenterConfig config) {
        SegmentationModel model = loadParameters(config);
        // process-wide: applies to every thread's ops
        EngineThreads.apply(config.getInt(SegmenterConfig.MODEL_THREADS));
        return model;
    }

    private static SegmentationModel loadParameters(SegmenterConfig config) {
        String device = config.getString(SegmenterConfig.DEVICE);
        String dir = config.getString(SegmenterConfig.MODEL_DIR);
        if (!dir.isBlank()) {
            return ModelArtifacts.load(Path.of(dir), device);
        }
        UNetSpec spec = ModelSpecConfig.spec(config, SegmenterConfig.MODEL_PREFIX, CamVidClasses.COUNT);
        long seed = config.getLong(SegmenterConfig.MODEL_SEED);
        return ModelArtifacts.untrained(spec, seed, "untrained-seed" + seed, device);
    }

    /** Warms the model up (see {@value SegmenterConfig#MODEL_WARMUP}), then starts processing. */
    public void start() {
        warmup.ifPresent(wh -> {
            long t0 = System.nanoTime();
            RgbImage blank = new RgbImage(wh[0], wh[1], new byte[wh[0] * wh[1] * 3]);
            engine.segment(java.util.Collections.nCopies(warmupBatch, blank));
            engine.releaseCurrentThread();
            LOG.info("model warmed up with {} frame(s) of {}x{} in {} ms", warmupBatch, wh[0], wh[1],
                    (System.nanoTime() - t0) / 1_000_000);
        });
        if (overlayView != null) {
            overlay = OverlayConfig.start(config, overlayView, () -> liveMiouFirstAndLast()[1]);
        }
        streams.start();
        if (follower != null) {
            followerThread = new Thread(follower, "segmenter-model-follower");
            followerThread.setDaemon(true);
            followerThread.start();
        }
        if (quality != null) {
            qualityThread = new Thread(quality, "segmenter-live-quality");
            qualityThread.setDaemon(true);
            qualityThread.start();
        }
    }

    /** Current Kafka Streams state. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The JVM-wide batcher all stream threads of this service share. */
    public DynamicBatcher batcher() {
        return batcher;
    }

    private static void join(Thread t) {
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Live mIoU of the serving model in the first and the latest full live-quality window (NaN
     * before one, or when {@code quality.enabled} is off).
     */
    public double[] liveMiouFirstAndLast() {
        return quality == null ? new double[] {Double.NaN, Double.NaN} : quality.firstAndLastMiou();
    }

    /** When each hot swap took effect (epoch ms), oldest first; empty when the segmenter follows nothing. */
    public java.util.List<Long> swapTimesMs() {
        return follower == null ? java.util.List.of() : follower.swapTimesMs();
    }

    /** Address of the overlay page once {@link #start()} has served it; empty when {@code overlay.enabled} is off. */
    public java.util.Optional<java.net.URI> overlayUrl() {
        return java.util.Optional.ofNullable(overlay).map(OverlayServer::url);
    }

    /** The engine (model and predictors). */
    public SegmentationEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        if (overlay != null) {
            overlay.close();
        }
        if (quality != null) {
            quality.close();
            join(qualityThread);
        }
        if (follower != null) {
            follower.close();
            if (followerThread != null) {
                try {
                    followerThread.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        // stream threads may be waiting on a batch (for a slot, or to forward in order): run the
        // open batches now rather than after batch.max.delay, which can outlast the close timeout
        batcher.drain();
        streams.close(Duration.ofSeconds(30));
        streamsMetrics.close();
        batcher.close();
        engine.close();
    }
}

package dev.segstream.segmenter;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.FrameLimitsConfig;
import dev.segstream.core.config.NamedValues;
import dev.segstream.core.topic.Topics;
import dev.segstream.model.ModelSpecConfig;
import dev.segstream.model.TestTimeAugmentation;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.store.ModelStoreConfig;
import dev.segstream.segmenter.overlay.OverlayConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the segmenter, each declared once. Keys not declared here are Kafka Streams or
 * Kafka client settings and pass through to {@link #streamsProperties()}.
 */
public final class SegmenterConfig extends AbstractConfig {

    public static final String MODEL_DIR = "model.dir";
    private static final String MODEL_DIR_DOC = "Model artifact directory written by the trainer (model.json + "
            + "parameters). Empty: an untrained, seeded U-Net of model.variant (for smoke tests and demos).";

    /** Prefix of the model settings ({@link ModelSpecConfig}) of the untrained default model. */
    public static final String MODEL_PREFIX = "model.";
    /** Variant of the untrained default model (ignored when {@value #MODEL_DIR} is set). */
    public static final String MODEL_VARIANT = MODEL_PREFIX + ModelSpecConfig.VARIANT;
    public static final String MODEL_DEPTH = MODEL_PREFIX + ModelSpecConfig.DEPTH;
    public static final String MODEL_FILTERS = MODEL_PREFIX + ModelSpecConfig.FILTERS;
    public static final String MODEL_SEED = MODEL_PREFIX + ModelSpecConfig.SEED;
    public static final String MODEL_THREADS = MODEL_PREFIX + ModelSpecConfig.THREADS;
    public static final String DEVICE = ModelSpecConfig.DEVICE;

    public static final String MODEL_SERVE = "model.serve";
    private static final String MODEL_SERVE_DOC = "Which announced model version serves, following the models topic "
            + "and hot-swapping between batches: static (the start-up model, follow nothing), latest (the newest "
            + "announcement of model.variant), best (the highest held-out mIoU among each variant's newest), pinned "
            + "(model.serve.version).";
    public static final String MODEL_SERVE_VERSION = "model.serve.version";
    public static final String MODEL_TTA = "model.tta";
    private static final String MODEL_TTA_DOC = "Test-time augmentation of every served batch: none, or flip (each frame "
            + "and its horizontal mirror in one pass of twice the batch, logits averaged; about half the frames a "
            + "second).";
    public static final String MODEL_STORE = ModelStoreConfig.MODEL_STORE;

    public static final String QUALITY_ENABLED = "quality.enabled";
    public static final String QUALITY_WINDOW_FRAMES = "quality.window.frames";
    public static final String QUALITY_MAX_FPS = "quality.max.fps";
    public static final String QUALITY_GROUP_ID = "quality.group.id";
    public static final String QUALITY_SHADOW_VARIANTS = "quality.shadow.variants";

    public static final String MODEL_WARMUP = "model.warmup";
    private static final String MODEL_WARMUP_DOC = "Frame size WxH of one full batch of blank frames run through the "
            + "model before the stream starts, so the first real frames do not pay for first-call allocation "
            + "and JIT compilation; empty disables.";

    public static final String FRAME_MAX_BYTES = FrameLimitsConfig.FRAME_MAX_BYTES;
    public static final String FRAME_MAX_WIDTH = FrameLimitsConfig.FRAME_MAX_WIDTH;
    public static final String FRAME_MAX_HEIGHT = FrameLimitsConfig.FRAME_MAX_HEIGHT;

    public static final String OVERLAY_ENABLED = OverlayConfig.OVERLAY_ENABLED;
    public static final String OVERLAY_HOST = OverlayConfig.OVERLAY_HOST;
    public static final String OVERLAY_PORT = OverlayConfig.OVERLAY_PORT;
    public static final String OVERLAY_MAX_CAMERAS = OverlayConfig.OVERLAY_MAX_CAMERAS;

    public static final String MAX_BATCH_SIZE = "max.batch.size";
    private static final String MAX_BATCH_SIZE_DOC = "A batch is sent to the model as soon as it holds this many "
            + "frames (frames of different sizes never share a batch).";

    public static final String MAX_BATCH_DELAY_MS = "max.batch.delay.ms";
    private static final String MAX_BATCH_DELAY_MS_DOC = "A batch that is not full is sent to the model this many "
            + "milliseconds after its first frame arrived. 0: every frame is sent at once.";

    public static final String MAX_IN_FLIGHT_FRAMES = "max.in.flight.frames";
    private static final String MAX_IN_FLIGHT_FRAMES_DOC = "Frames read but not yet written as a mask or dead "
            + "letter, across all stream threads of the instance. When reached, stream threads wait (consumer lag "
            + "grows, memory does not). At least max.batch.size.";

    public static final String BATCH_WORKERS = "batch.workers";
    private static final String BATCH_WORKERS_DOC = "Threads that run batches on the model, each with its own "
            + "predictor. 1 suits a CPU (the engine already uses every core) and one GPU.";

    public static final String FORWARD_INTERVAL_MS = "mask.forward.interval.ms";
    private static final String FORWARD_INTERVAL_MS_DOC = "How often a stream thread with no new input looks for "
            + "finished masks to write (wall-clock punctuation).";

    /** Kafka Streams application id used when none is given. */
    public static final String DEFAULT_APPLICATION_ID = "segstream-segmenter";

    /** The definition: common keys, the model settings and the segmenter's own. */
    private static final ConfigDef CONFIG = ModelSpecConfig.define(ModelSpecConfig.define(OverlayConfig.define(
                    ModelStoreConfig.define(FrameLimitsConfig.define(CommonConfig.define(9402)))),
                    MODEL_PREFIX, UNetVariant.VANILLA.id(), ModelSpecConfig.Key.VARIANT, ModelSpecConfig.Key.DEPTH,
                    ModelSpecConfig.Key.FILTERS, ModelSpecConfig.Key.SEED, ModelSpecConfig.Key.THREADS),
                    "", null, ModelSpecConfig.Key.DEVICE)
            .define(MODEL_DIR, Type.STRING, "", Importance.HIGH, MODEL_DIR_DOC)
            .define(QUALITY_ENABLED, Type.BOOLEAN, false, Importance.MEDIUM, "Score the serving model live on "
                    + "frames.labelled (late labels): windowed mIoU and per-class IoU as gauges and quality records.")
            .define(QUALITY_WINDOW_FRAMES, Type.INT, 50, Range.atLeast(1), Importance.MEDIUM,
                    "Labelled frames per live-quality window (per model version).")
            .define(QUALITY_MAX_FPS, Type.DOUBLE, 5.0, Range.between(0.01, 10_000.0), Importance.MEDIUM,
                    "At most this many labelled frames a second are scored, so serving keeps the CPU.")
            .define(QUALITY_SHADOW_VARIANTS, Type.LIST, "", NamedValues.described(
                    "variants among " + UNetVariant.validNames() + ", or empty", (name, value) -> {
                        for (Object v : (List<?>) value) {
                            NamedValues.of(UNetVariant.validNames(), UNetVariant::parse).ensureValid(name, v);
                        }
                    }), Importance.MEDIUM, "Variants scored live as shadows beside the serving model, on the same "
                    + "labelled frames: each variant's newest announced version (needs model.serve to follow the "
                    + "models topic).")
            .define(QUALITY_GROUP_ID, Type.STRING, "segstream-segmenter-quality", new ConfigDef.NonEmptyString(),
                    Importance.LOW, "Consumer group of the live-quality reader.")
            .define(MODEL_SERVE, Type.STRING, ServePolicy.Kind.STATIC.id(),
                    NamedValues.of("static, latest, best, pinned", ServePolicy.Kind::parse), Importance.HIGH,
                    MODEL_SERVE_DOC)
            .define(MODEL_SERVE_VERSION, Type.STRING, "", Importance.MEDIUM,
                    "The version served when model.serve is pinned.")
            .define(MODEL_TTA, Type.STRING, TestTimeAugmentation.NONE.id(),
                    NamedValues.of(TestTimeAugmentation.validNames(), TestTimeAugmentation::parse), Importance.LOW,
                    MODEL_TTA_DOC)
            .define(MODEL_WARMUP, Type.STRING, "128x96", NamedValues.of("WIDTHxHEIGHT, or empty", v -> {
                if (v != null && !v.isBlank()) {
                    warmupSize(v);
                }
            }), Importance.LOW, MODEL_WARMUP_DOC)
            .define(MAX_BATCH_SIZE, Type.INT, 8, Range.between(1, 1024), Importance.HIGH, MAX_BATCH_SIZE_DOC)
            .define(MAX_BATCH_DELAY_MS, Type.LONG, 20L, Range.between(0, 60_000), Importance.HIGH,
                    MAX_BATCH_DELAY_MS_DOC)
            .define(MAX_IN_FLIGHT_FRAMES, Type.INT, 64, Range.between(1, 65_536), Importance.MEDIUM,
                    MAX_IN_FLIGHT_FRAMES_DOC)
            .define(BATCH_WORKERS, Type.INT, 1, Range.between(1, 64), Importance.LOW, BATCH_WORKERS_DOC)
            .define(FORWARD_INTERVAL_MS, Type.LONG, 5L, Range.between(1, 10_000), Importance.LOW,
                    FORWARD_INTERVAL_MS_DOC);

    /** {@value #MODEL_WARMUP} as {@code {width, height}}, or empty when disabled. */
    public java.util.Optional<int[]> warmupSize() {
        String v = getString(MODEL_WARMUP);
        return v.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(warmupSize(v));
    }

    private static int[] warmupSize(String v) {
        String[] wh = v.trim().split("x");
        try {
            int w = Integer.parseInt(wh[0]);
            int h = Integer.parseInt(wh[1]);
            if (wh.length == 2 && w > 0 && h > 0) {
                return new int[] {w, h};
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // reported below
        }
        throw new ConfigException(MODEL_WARMUP, v, "expected WIDTHxHEIGHT, e.g. 128x96, or empty");
    }

    /**
     * Parses and validates {@code originals}.
     *
     * @throws ConfigException when a value is invalid, or {@value #MAX_IN_FLIGHT_FRAMES} is below
     *                         {@value #MAX_BATCH_SIZE} (a full batch could never form)
     */
    public SegmenterConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
        if (getInt(MAX_IN_FLIGHT_FRAMES) < getInt(MAX_BATCH_SIZE)) {
            throw new ConfigException(MAX_IN_FLIGHT_FRAMES, getInt(MAX_IN_FLIGHT_FRAMES),
                    "must be at least " + MAX_BATCH_SIZE + " (" + getInt(MAX_BATCH_SIZE) + ")");
        }
    }

    /** A copy of the definition (for documentation and help texts). */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** {@value #MODEL_THREADS} resolved: the configured count, or processors - 1 (at least 1) for 0. */
    public int modelThreads() {
        return ModelSpecConfig.threads(this, MODEL_PREFIX);
    }

    /** What {@value #MODEL_SERVE} asks for. */
    public ServePolicy servePolicy() {
        ServePolicy.Kind kind = ServePolicy.Kind.parse(getString(MODEL_SERVE));
        if (kind == ServePolicy.Kind.PINNED && getString(MODEL_SERVE_VERSION).isBlank()) {
            throw new ConfigException(MODEL_SERVE_VERSION, "", "model.serve=pinned needs a version");
        }
        return new ServePolicy(kind, getString(MODEL_VARIANT), getString(MODEL_SERVE_VERSION));
    }

    /** What {@value #MODEL_TTA} asks for. */
    public TestTimeAugmentation testTimeAugmentation() {
        return TestTimeAugmentation.parse(getString(MODEL_TTA));
    }

    /** The batcher's limits. */
    public DynamicBatcher.Limits batchLimits() {
        return new DynamicBatcher.Limits(getInt(MAX_BATCH_SIZE), getLong(MAX_BATCH_DELAY_MS),
                getInt(MAX_IN_FLIGHT_FRAMES), getInt(BATCH_WORKERS));
    }

    /** The topic registry. */
    public Topics topics() {
        return Topics.from(this);
    }

    /**
     * The settings of {@link #streamsProperties()} that a plain Kafka client with {@code names}
     * knows (bootstrap servers and security included; Streams-only and prefixed keys left out, so
     * the client does not warn about them), for the segmenter's side readers and writers.
     */
    public Map<String, Object> clientProps(java.util.Set<String> names) {
        Map<String, Object> out = new HashMap<>(streamsProperties());
        out.keySet().retainAll(names);
        return out;
    }

    /**
     * Kafka Streams properties: segstream's defaults (exactly-once v2, an application id, sizes
     * that let an oversized frame be dead-lettered whole), overridden by anything the user set.
     */
    public Map<String, Object> streamsProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        int maxMessage = getInt(dev.segstream.core.config.TopicsConfig.MAX_MESSAGE_BYTES);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxMessage);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), 2L * maxMessage);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 64);
        // An idle stream thread blocks in poll this long before its punctuation writes finished masks.
        props.put(StreamsConfig.POLL_MS_CONFIG, 10L);
        // Kafka 5.0's default already: the topology has no global state, so nothing changes but
        // Kafka Streams' warning on every start that it is still off
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.putAll(CommonConfig.kafkaClientProps(this, CONFIG));
        return props;
    }
}

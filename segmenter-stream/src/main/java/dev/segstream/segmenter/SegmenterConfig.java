package dev.segstream.segmenter;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.model.UNetSpec;
import dev.segstream.core.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
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

    public static final String MODEL_VARIANT = "model.variant";
    private static final String MODEL_VARIANT_DOC = "U-Net variant of the untrained default model "
            + "(vanilla, noskip, residual, attention); ignored when model.dir is set.";

    public static final String MODEL_DEPTH = "model.depth";
    public static final String MODEL_FILTERS = "model.filters";
    public static final String MODEL_SEED = "model.seed";

    public static final String DEVICE = "device";
    private static final String DEVICE_DOC = "Where the model lives: auto (a GPU when DJL sees one, else CPU), "
            + "cpu, gpu or gpu:N.";

    public static final String MODEL_THREADS = "model.threads";
    private static final String MODEL_THREADS_DOC = "PyTorch intra-op threads (JVM-wide). 0: one less than the "
            + "available processors, at least 1, leaving a core to the stream threads and Kafka clients. PyTorch's "
            + "own default (one per core) collapses to a fraction of its speed as soon as anything else needs the CPU.";

    public static final String MODEL_WARMUP = "model.warmup";
    private static final String MODEL_WARMUP_DOC = "Frame size WxH of one full batch of blank frames run through the "
            + "model before the stream starts, so the first real frames do not pay for first-call allocation "
            + "and JIT compilation; empty disables.";

    public static final String FRAME_MAX_BYTES = "frame.max.bytes";
    public static final String FRAME_MAX_WIDTH = "frame.max.width";
    public static final String FRAME_MAX_HEIGHT = "frame.max.height";

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

    /** The definition: common keys plus the segmenter's own. */
    public static final ConfigDef CONFIG = CommonConfig.define(9402)
            .define(MODEL_DIR, Type.STRING, "", Importance.HIGH, MODEL_DIR_DOC)
            .define(MODEL_VARIANT, Type.STRING, "vanilla",
                    ValidString.in("vanilla", "noskip", "residual", "attention"), Importance.MEDIUM, MODEL_VARIANT_DOC)
            .define(MODEL_DEPTH, Type.INT, UNetSpec.DEFAULT_DEPTH, Range.between(1, UNetSpec.MAX_DEPTH),
                    Importance.LOW, "Depth of the untrained default model.")
            .define(MODEL_FILTERS, Type.INT, UNetSpec.DEFAULT_FILTERS, Range.between(1, UNetSpec.MAX_FILTERS),
                    Importance.LOW, "Base filters of the untrained default model.")
            .define(MODEL_SEED, Type.LONG, 42L, Importance.LOW, "Initialisation seed of the untrained default model.")
            .define(DEVICE, Type.STRING, "auto", Importance.MEDIUM, DEVICE_DOC)
            .define(MODEL_THREADS, Type.INT, 0, Range.between(0, 1024), Importance.MEDIUM, MODEL_THREADS_DOC)
            .define(MODEL_WARMUP, Type.STRING, "128x96", (name, value) -> {
                if (!String.valueOf(value).isBlank()) {
                    warmupSize(String.valueOf(value));
                }
            }, Importance.LOW, MODEL_WARMUP_DOC)
            .define(FRAME_MAX_BYTES, Type.INT, 16 * 1024 * 1024, Range.atLeast(1), Importance.MEDIUM,
                    "Frames larger than this many bytes are dead-lettered as oversized.")
            .define(FRAME_MAX_WIDTH, Type.INT, 8192, Range.atLeast(1), Importance.LOW,
                    "Frames wider than this are dead-lettered as bad_dimensions (checked before decoding pixels).")
            .define(FRAME_MAX_HEIGHT, Type.INT, 8192, Range.atLeast(1), Importance.LOW,
                    "Frames taller than this are dead-lettered as bad_dimensions (checked before decoding pixels).")
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

    /** {@value #MODEL_THREADS} resolved: the configured count, or processors - 1 (at least 1) for 0. */
    public int modelThreads() {
        int n = getInt(MODEL_THREADS);
        return n > 0 ? n : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
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
        props.putAll(CommonConfig.kafkaClientProps(this, CONFIG));
        return props;
    }
}

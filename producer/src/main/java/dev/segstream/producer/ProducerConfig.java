package dev.segstream.producer;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.NamedValues;
import dev.segstream.core.topic.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the producer service: the shared keys of {@link CommonConfig} (bootstrap servers,
 * metrics port, topic registry) plus where frames come from and how fast they are sent. Every key
 * not declared here is a Kafka client setting ({@link #kafkaClientProps()}).
 */
public final class ProducerConfig extends AbstractConfig {

    /** Default port of the metrics endpoint. */
    public static final int DEFAULT_METRICS_PORT = 9401;

    public static final String SOURCE_DIR = "source.dir";
    private static final String SOURCE_DIR_DOC = "CamVid-layout folder to stream (train/val/test lists, one camera "
            + "per file-name prefix); empty streams synthetic road scenes.";

    public static final String FPS = "fps";
    private static final String FPS_DOC = "Frames per second per camera (cameras interleaved round-robin); "
            + "0 sends as fast as possible.";

    public static final String FRAMES_MAX = "frames.max";
    private static final String FRAMES_MAX_DOC = "Stop after this many frames on the frames topic (labelled copies "
            + "not counted), then flush and exit; 0 = unlimited.";

    public static final String SYNTHETIC_CAMERAS = "synthetic.cameras";
    private static final String SYNTHETIC_CAMERAS_DOC = "Number of synthetic cameras (ids synth-0, synth-1, ...).";

    public static final String SYNTHETIC_WIDTH = "synthetic.width";
    private static final String SYNTHETIC_WIDTH_DOC = "Width of synthetic frames in pixels.";

    public static final String SYNTHETIC_HEIGHT = "synthetic.height";
    private static final String SYNTHETIC_HEIGHT_DOC = "Height of synthetic frames in pixels.";

    public static final String SYNTHETIC_SEED = "synthetic.seed";
    private static final String SYNTHETIC_SEED_DOC = "Seed of synthetic camera 0; camera i uses seed + i.";

    public static final String LOOP = "loop";
    private static final String LOOP_DOC = "Start a camera over when its frames are exhausted; false ends it.";

    private static final ConfigDef DEFINITION = CommonConfig.define(DEFAULT_METRICS_PORT)
            .define(SOURCE_DIR, Type.STRING, "", NamedValues.described("an existing folder, or empty",
                    ProducerConfig::validateSourceDir), Importance.HIGH, SOURCE_DIR_DOC)
            .define(FPS, Type.DOUBLE, 5.0, ConfigDef.CompositeValidator.of(NamedValues.described("finite",
                    ProducerConfig::validateFinite), Range.between(0.0, 10_000.0)), Importance.HIGH, FPS_DOC)
            .define(FRAMES_MAX, Type.LONG, 0L, Range.atLeast(0L), Importance.MEDIUM, FRAMES_MAX_DOC)
            .define(SYNTHETIC_CAMERAS, Type.INT, 4, Range.between(1, 256), Importance.MEDIUM, SYNTHETIC_CAMERAS_DOC)
            .define(SYNTHETIC_WIDTH, Type.INT, SyntheticRoadCamera.DEFAULT_WIDTH, Range.between(1, 8192),
                    Importance.LOW, SYNTHETIC_WIDTH_DOC)
            .define(SYNTHETIC_HEIGHT, Type.INT, SyntheticRoadCamera.DEFAULT_HEIGHT, Range.between(1, 8192),
                    Importance.LOW, SYNTHETIC_HEIGHT_DOC)
            .define(SYNTHETIC_SEED, Type.LONG, 42L, Importance.LOW, SYNTHETIC_SEED_DOC)
            .define(LOOP, Type.BOOLEAN, true, Importance.LOW, LOOP_DOC);

    /**
     * Parses and validates {@code originals} (values may be strings or typed).
     *
     * @throws ConfigException naming the key when a value is missing, mistyped or invalid
     */
    public ProducerConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    /** A copy of the definition, e.g. for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(DEFINITION);
    }

    /** The CamVid folder to stream, or empty for synthetic frames. */
    public Optional<Path> sourceDir() {
        String dir = getString(SOURCE_DIR).trim();
        return dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir));
    }

    public double fps() {
        return getDouble(FPS);
    }

    public long framesMax() {
        return getLong(FRAMES_MAX);
    }

    public int syntheticCameras() {
        return getInt(SYNTHETIC_CAMERAS);
    }

    public int syntheticWidth() {
        return getInt(SYNTHETIC_WIDTH);
    }

    public int syntheticHeight() {
        return getInt(SYNTHETIC_HEIGHT);
    }

    public long syntheticSeed() {
        return getLong(SYNTHETIC_SEED);
    }

    public boolean loop() {
        return getBoolean(LOOP);
    }

    public int metricsPort() {
        return getInt(CommonConfig.METRICS_PORT);
    }

    public String bootstrapServers() {
        return getString(CommonConfig.BOOTSTRAP_SERVERS);
    }

    /** The topic registry. */
    public Topics topics() {
        return Topics.from(this);
    }

    /** Kafka client settings: every key this definition does not declare, plus bootstrap servers. */
    public Map<String, Object> kafkaClientProps() {
        return CommonConfig.kafkaClientProps(this, DEFINITION);
    }

    /** The source this configuration names: the CamVid folder, else synthetic cameras (unbounded). */
    public FrameSource newSource() {
        return sourceDir().<FrameSource>map(dir -> new CamVidFolderSource(dir, loop()))
                .orElseGet(() -> new SyntheticSource(syntheticCameras(), syntheticWidth(), syntheticHeight(),
                        syntheticSeed()));
    }

    private static void validateFinite(String name, Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) {
            throw new ConfigException(name, value, "must be a finite number");
        }
    }

    private static void validateSourceDir(String name, Object value) {
        String dir = value == null ? "" : value.toString().trim();
        if (!dir.isEmpty() && !Files.isDirectory(Path.of(dir))) {
            throw new ConfigException(name, value, "data folder does not exist or is not a directory");
        }
    }
}

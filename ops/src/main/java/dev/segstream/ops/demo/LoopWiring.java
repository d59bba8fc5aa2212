package dev.segstream.ops.demo;

import dev.segstream.core.data.CamVidClasses;
import dev.segstream.model.numerics.MemoryFormat;
import dev.segstream.model.numerics.TrainingNumerics;
import dev.segstream.model.store.ModelStoreConfig;
import dev.segstream.producer.FrameProducer;
import dev.segstream.producer.ProducerConfig;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import dev.segstream.trainer.service.TrainerServiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;

/**
 * How the in-process learning loop is wired in one JVM: the producer's synthetic cameras, the
 * segmenter following what the trainer service publishes, and a trainer service sized so that
 * versions appear within a minute on two cores. Shared by {@code ops demo} and
 * {@code ops bench soak}, so that the soak measures the loop the demo shows.
 */
public final class LoopWiring {

    private LoopWiring() {
    }

    /**
     * The segmenter's settings: {@code common} plus a fixed model when {@code model} is given; with
     * a trainer and no fixed model it serves the newest version in {@code store} and hot-swaps.
     */
    public static Map<String, Object> segmenterSettings(Map<String, Object> common, Path model, boolean trainer,
                                                        Path store) {
        Map<String, Object> settings = new HashMap<>(common);
        if (model != null) {
            settings.put(SegmenterConfig.MODEL_DIR, model.toString());
        } else if (trainer) {
            settings.put(SegmenterConfig.MODEL_SERVE, "latest");
            settings.put(SegmenterConfig.QUALITY_ENABLED, "true");
            settings.put(SegmenterConfig.QUALITY_WINDOW_FRAMES, "25");
            settings.put(ModelStoreConfig.MODEL_STORE, store.toString());
        }
        return settings;
    }

    /**
     * The loop's trainer service: vanilla only, short rounds, {@code trainShare} of wall-clock time
     * in training steps, its own consumer group. Prepares the numerics (an ISA cap) here, since that
     * must happen before anything in the JVM loads libtorch.
     */
    public static TrainerServiceConfig trainerConfig(Map<String, Object> common, Path store, double trainShare) {
        Map<String, Object> settings = new HashMap<>(common);
        settings.put(ModelStoreConfig.MODEL_STORE, store.toString());
        settings.put(TrainerServiceConfig.VARIANTS, "vanilla");
        settings.put(TrainerServiceConfig.ROUND_SECONDS, "4");
        settings.put(TrainerServiceConfig.ROUND_MIN_NEW_FRAMES, "100");
        settings.put(TrainerServiceConfig.LR, "0.001");
        settings.put(TrainerServiceConfig.GROUP_ID, "segstream-demo-trainer-" + Long.toHexString(System.nanoTime()));
        settings.put(TrainerServiceConfig.TRAIN_SHARE, Double.toString(trainShare));
        TrainerServiceConfig config = new TrainerServiceConfig(settings);
        TrainingNumerics.ensure(config.numerics(), config.variants().stream()
                .map(v -> config.spec(v, CamVidClasses.COUNT)).toList(),
                MemoryFormat.parse(config.getString(TrainerServiceConfig.MEMORY_FORMAT)));
        return config;
    }

    /** The producer: {@code cameras} synthetic cameras at {@code fps} each, or a CamVid folder. */
    public static FrameProducer producer(Map<String, Object> common, double fps, int cameras, Path data,
                                         MeterRegistry registry) {
        Map<String, Object> settings = new HashMap<>(common);
        settings.put(ProducerConfig.FPS, Double.toString(fps));
        settings.put(ProducerConfig.SYNTHETIC_CAMERAS, Integer.toString(cameras));
        if (data != null) {
            settings.put(ProducerConfig.SOURCE_DIR, data.toString());
        }
        return new FrameProducer(new ProducerConfig(settings), registry);
    }

    /** Waits up to 60 s for the segmenter's stream to run; fails fast when it stopped instead. */
    public static void awaitRunning(SegmenterService segmenter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (segmenter.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            if (segmenter.state() == KafkaStreams.State.ERROR || segmenter.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("segmenter stopped while starting: " + segmenter.state());
            }
            Thread.sleep(100);
        }
    }

    /** Starts {@code body} on a daemon thread named {@code name}. */
    public static Thread startDaemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}

package dev.segstream.trainer.online;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.segstream.core.config.FrameLimitsConfig;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.metrics.ConfusionMatrix;
import dev.segstream.core.metrics.RecordingMeters;
import dev.segstream.core.wire.FrameDecodeException;
import dev.segstream.core.wire.FrameDecoder;
import dev.segstream.core.wire.LabelledFrame;
import dev.segstream.core.wire.TruthMaskDecoder;
import dev.segstream.model.Devices;
import dev.segstream.model.GradMode;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.PyTorch;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.numerics.MemoryFormat;
import dev.segstream.model.numerics.NumericsMetrics;
import dev.segstream.model.numerics.TrainingNumerics;
import dev.segstream.trainer.data.TrainingSample;
import dev.segstream.trainer.training.MaskedCrossEntropy;
import dev.segstream.trainer.training.StepRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns continuously from the labelled-frames topic: decodes each frame and its mask into a
 * replay buffer, takes an Adam step on a random batch at most every {@code online.step.interval.ms},
 * and publishes a new model version every {@code online.save.every.steps} steps. A labelled frame
 * that cannot be used (undecodable, mismatched sizes, not an SGLF record) is logged and counted as
 * rejected, never fatal. Run {@link #run()} on its own thread; {@link #close()} stops it and writes
 * a last version.
 */
public final class OnlineTrainer implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnlineTrainer.class);

    private final OnlineTrainerConfig config;
    private final KafkaConsumer<String, LabelledFrame> consumer;
    private final FrameDecoder decoder;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong versionsWritten = new AtomicLong();
    private final AtomicLong latestVersionStep = new AtomicLong();
    private final RecordingMeters recording = new RecordingMeters();
    private final Timer stepTime = Timer.builder("segstream.trainer.step.time")
            .description("Wall time of one training step").register(recording.registry());
    private volatile double lastLoss = Double.NaN;
    private volatile double lastBatchMiou = Double.NaN;
    private final ModelVersions versions;
    private final MeterRegistry registry;
    private volatile RuntimeException failure;

    public OnlineTrainer(OnlineTrainerConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.decoder = FrameLimitsConfig.decoder(config);
        Map<String, Object> props = new java.util.HashMap<>(config.consumerProps());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.getString(OnlineTrainerConfig.GROUP_ID));
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                config.topics().labelled().valueSerde().deserializer());
        this.versions = new ModelVersions(Path.of(config.getString(OnlineTrainerConfig.OUT_DIR)));
        new TrainerMetrics(this).bindTo(registry);
    }

    @Override
    public void run() {
        try {
            train();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("online trainer stopped", e);
            throw e;
        }
    }

    private void train() {
        String init = config.getString(OnlineTrainerConfig.INIT_MODEL);
        ModelDescriptor base = init.isBlank() ? null : ModelArtifacts.readDescriptor(Path.of(init));
        UNetSpec spec = base == null ? config.spec(CamVidClasses.COUNT) : UNetSpec.of(base);
        MemoryFormat format = MemoryFormat.parse(config.getString(OnlineTrainerConfig.MEMORY_FORMAT));
        TrainingNumerics.ensure(config.numerics(), List.of(spec), format);
        new NumericsMetrics().bindTo(registry);
        Device device = Devices.parse(config.getString(OnlineTrainerConfig.DEVICE));
        GradMode.disable();
        float[] mean = TrainingSample.floats(base == null ? ModelArtifacts.DEFAULT_MEAN : base.mean());
        float[] std = TrainingSample.floats(base == null ? ModelArtifacts.DEFAULT_STD : base.std());
        PyTorch.seed(config.getLong(OnlineTrainerConfig.SEED));
        ReplayBuffer buffer = new ReplayBuffer(config.getInt(OnlineTrainerConfig.BUFFER_SIZE),
                config.getLong(OnlineTrainerConfig.SEED));
        int batchSize = config.getInt(OnlineTrainerConfig.BATCH_SIZE);
        long interval = config.getLong(OnlineTrainerConfig.STEP_INTERVAL_MS);
        int saveEvery = config.getInt(OnlineTrainerConfig.SAVE_EVERY_STEPS);
        try (Model model = ModelArtifacts.newModel(spec, device);
             StepRunner runner = new StepRunner(model, new MaskedCrossEntropy(CamVidClasses.VOID, null),
                     config.getDouble(OnlineTrainerConfig.LR).floatValue(), 0f,
                     config.getInt(OnlineTrainerConfig.MAX_NONFINITE_STEPS),
                     format, device)) {
            if (base != null) {
                ModelArtifacts.loadParameters(model, Path.of(init), base);
            }
            consumer.subscribe(List.of(config.topics().labelled().name()));
            long lastStep = 0;
            while (running.get()) {
                poll(buffer, spec.depth(), mean, std);
                long now = System.currentTimeMillis();
                if (now - lastStep < interval) {
                    continue;
                }
                var batch = buffer.sample(batchSize);
                if (batch.isEmpty()) {
                    continue;
                }
                lastStep = now;
                long n = step(runner, batch.get());
                if (n > 0 && n % saveEvery == 0) {
                    publish(model, spec, n, mean, std, buffer.added());
                }
            }
            if (steps.get() > 0) {
                publish(model, spec, steps.get(), mean, std, buffer.added());
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void poll(ReplayBuffer buffer, int depth, float[] mean, float[] std) {
        Iterable<ConsumerRecord<String, LabelledFrame>> records;
        try {
            records = consumer.poll(Duration.ofMillis(200));
        } catch (RecordDeserializationException e) {
            reject("not a labelled frame at " + e.topicPartition() + "@" + e.offset() + ": " + e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return;
        }
        for (ConsumerRecord<String, LabelledFrame> r : records) {
            try {
                var image = decoder.decode(r.value().image());
                // Same size from the header, classes within [0, void]: an out-of-range label fails the step.
                var mask = TruthMaskDecoder.decode(r.value().mask(), image.width(), image.height(),
                        CamVidClasses.VOID);
                buffer.add(TrainingSample.of(image, mask, 1 << depth, mean, std, CamVidClasses.VOID));
                accepted.incrementAndGet();
            } catch (FrameDecodeException | RuntimeException e) {
                reject("labelled frame " + r.topic() + "-" + r.partition() + "@" + r.offset() + " unusable: "
                        + e.getMessage());
            }
        }
    }

    private long step(StepRunner runner, List<TrainingSample> batch) {
        long t0 = System.nanoTime();
        ConfusionMatrix confusion = new ConfusionMatrix(CamVidClasses.COUNT, CamVidClasses.VOID);
        StepRunner.Outcome outcome;
        try (NDManager m = runner.manager().newSubManager()) {
            NDArray[] xy = TrainingSample.stack(m, batch);
            outcome = runner.step(xy[0], xy[1], confusion);
        }
        if (outcome.skipped()) {
            skipped.incrementAndGet();
            return -1;
        }
        long n = steps.incrementAndGet();
        stepTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        lastLoss = outcome.loss();
        lastBatchMiou = confusion.meanIou();
        LOG.debug("step {} loss {} batch mIoU {}", n, outcome.loss(), confusion.meanIou());
        return n;
    }

    private void publish(Model model, UNetSpec spec, long step, float[] mean, float[] std, long added) {
        versions.publish(model, spec, step, mean, std, added);
        versionsWritten.incrementAndGet();
        latestVersionStep.set(step);
    }

    private void reject(String why) {
        rejected.incrementAndGet();
        LOG.warn(why);
    }

    /** Why the training loop stopped, if it failed. */
    public java.util.Optional<RuntimeException> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    /** Steps taken. */
    public long steps() {
        return steps.get();
    }

    /** Labelled frames accepted into the replay buffer. */
    public long accepted() {
        return accepted.get();
    }

    /** Labelled frames that could not be used. */
    public long rejected() {
        return rejected.get();
    }

    /** Steps skipped for a non-finite loss or gradient. */
    public long skippedSteps() {
        return skipped.get();
    }

    /** Model versions written. */
    public long versionsWritten() {
        return versionsWritten.get();
    }

    /** Step of the newest version written, 0 before the first. */
    public long latestVersionStep() {
        return latestVersionStep.get();
    }

    /** Loss of the latest applied step (NaN before the first). */
    public double lastLoss() {
        return lastLoss;
    }

    /** mIoU of the latest applied step's own predictions against its labels (NaN before the first). */
    public double lastBatchMiou() {
        return lastBatchMiou;
    }

    /** The recording meters (step time), exported by {@link TrainerMetrics}. */
    RecordingMeters recording() {
        return recording;
    }

    /** The newest version written, if any. */
    public java.util.Optional<Path> latestVersion() {
        return versions.latest();
    }

    /** Stops the loop; the running thread writes a last version and closes the consumer. */
    @Override
    public void close() {
        running.set(false);
    }
}

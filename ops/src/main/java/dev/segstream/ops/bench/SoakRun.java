package dev.segstream.ops.bench;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.ops.broker.EmbeddedKafkaBroker;
import dev.segstream.ops.demo.LoopWiring;
import dev.segstream.ops.verify.EosVerdict;
import dev.segstream.ops.verify.EosVerifier;
import dev.segstream.producer.FrameProducer;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import dev.segstream.trainer.service.TrainerService;
import dev.segstream.trainer.service.TrainerServiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One soak: an in-process broker, the segmenter, the trainer service and the producer wired as in
 * the demo ({@link LoopWiring}), sampled every interval while the producer publishes; then the
 * producer stops, the masks drain and {@link EosVerifier} judges the topics. No auditor runs
 * alongside: its per-frame bookkeeping would grow the very heap being watched, so progress comes
 * from the services' own counters.
 */
final class SoakRun {

    /** What the soak produced: its samples and the verifier's verdict. */
    record Outcome(List<SoakSample> samples, EosVerdict verdict) {
    }

    private final SoakCommand options;
    private final PrintStream out;
    private final Consumer<SoakSample> onSample;
    private final MeterRegistry segmenterMeters = new SimpleMeterRegistry();

    SoakRun(SoakCommand options, PrintStream out, Consumer<SoakSample> onSample) {
        this.options = options;
        this.out = out;
        this.onSample = onSample;
    }

    Outcome execute() throws Exception {
        Path store = Files.createTempDirectory("segstream-soak-store-");
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start(options.kafkaPort, null)) {
            Topics topics = Topics.defaults();
            broker.createTopics(topics);
            Map<String, Object> common = Map.of(CommonConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers(),
                    CommonConfig.METRICS_PORT, "-1");
            TrainerServiceConfig trainerConfig = options.trainer
                    ? LoopWiring.trainerConfig(common, store, options.trainShare) : null;
            out.printf("soak: %.2f min, %d cameras x %.1f fps, trainer %s, broker %s, a sample every %d s "
                            + "(heap after System.gc()), model store %s%n", options.minutes, options.cameras,
                    options.fps, options.trainer ? "on" : "off", broker.bootstrapServers(), options.sampleSeconds,
                    store);
            List<SoakSample> samples = new ArrayList<>();
            try (SegmenterService segmenter = new SegmenterService(new SegmenterConfig(
                    LoopWiring.segmenterSettings(common, null, trainerConfig != null, store)), segmenterMeters)) {
                segmenter.start();
                LoopWiring.awaitRunning(segmenter);
                TrainerService trainer = trainerConfig == null ? null
                        : new TrainerService(trainerConfig, new SimpleMeterRegistry());
                Thread trainerThread = trainer == null ? null : LoopWiring.startDaemon(trainer, "soak-trainer");
                FrameProducer producer = LoopWiring.producer(common, options.fps, options.cameras, null,
                        new SimpleMeterRegistry());
                Thread producerThread = LoopWiring.startDaemon(() -> {
                    try {
                        producer.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "soak-producer");
                sample(producer, trainer, samples);
                producer.stop();
                producerThread.join(10_000);
                producer.close();
                drain(producer.framesSent());
                if (trainer != null) {
                    trainer.close();
                    trainerThread.join(30_000);
                    trainer.failure().ifPresent(e -> out.println("trainer service FAILED: " + e));
                }
                EosVerdict verdict = verify(new EosVerifier(broker.clientProperties(), topics));
                return new Outcome(List.copyOf(samples), verdict);
            }
        } finally {
            deleteTree(store);
        }
    }

    /** Samples at every interval from the start of publishing until the run's end, the last one included. */
    private void sample(FrameProducer producer, TrainerService trainer, List<SoakSample> samples)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + (long) (options.minutes * 60e9);
        long interval = TimeUnit.SECONDS.toNanos(options.sampleSeconds);
        for (long due = start + interval; due <= end + interval / 2; due += interval) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            SoakSample s = SoakSample.take((System.nanoTime() - start) / 60e9, progress(producer, trainer));
            samples.add(s);
            onSample.accept(s);
        }
    }

    private SoakSample.Progress progress(FrameProducer producer, TrainerService trainer) {
        return new SoakSample.Progress(producer.framesSent(), (long) count("segstream.segmenter.masks.out"),
                (long) count("segstream.segmenter.dead.letters"), trainer == null ? 0 : trainer.rounds(),
                trainer == null ? 0 : trainer.published(), (long) count("segstream.segmenter.model.swaps"));
    }

    private double count(String name) {
        return segmenterMeters.find(name).functionCounters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** Waits until the segmenter has an output for every frame sent, or the drain timeout. */
    private void drain(long sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainTimeoutSeconds);
        while (count("segstream.segmenter.masks.out") + count("segstream.segmenter.dead.letters") < sent
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }

    /**
     * Verifies until it passes or the drain timeout: the last transaction may still be committing
     * when the segmenter's counters already include it.
     */
    private EosVerdict verify(EosVerifier verifier) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainTimeoutSeconds);
        EosVerdict verdict = verifier.verify(Duration.ofSeconds(60));
        while (!verdict.passed() && System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            verdict = verifier.verify(Duration.ofSeconds(60));
        }
        return verdict;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

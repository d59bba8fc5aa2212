package dev.segstream.ops.demo;

import dev.segstream.core.topic.Topics;
import dev.segstream.ops.report.JsonLine;
import dev.segstream.producer.FrameProducer;
import dev.segstream.segmenter.SegmenterConfig;
import dev.segstream.segmenter.SegmenterService;
import dev.segstream.trainer.service.TrainerService;
import dev.segstream.trainer.service.TrainerServiceConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo run against a started broker: segmenter (and trainer) up, auditor watching, producer
 * publishing for the duration, then drain and report. Kept apart from {@link DemoCommand} so the
 * command only wires options and the broker's lifecycle.
 */
final class DemoRun {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);

    private final DemoCommand options;
    private final String bootstrapServers;
    private final Topics topics;
    private final DemoMetrics metrics;
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final Map<String, Object> loop = new java.util.LinkedHashMap<>();

    DemoRun(DemoCommand options, String bootstrapServers, Topics topics, DemoMetrics metrics) {
        this.options = options;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.metrics = metrics;
    }

    AuditReport execute() throws Exception {
        Map<String, Object> common = options.commonSettings(bootstrapServers);
        TrainerServiceConfig trainerConfig = options.noTrainer ? null
                : LoopWiring.trainerConfig(common, options.trainerOut, options.trainShare);
        Map<String, Object> segmenterSettings = LoopWiring.segmenterSettings(common, options.model,
                trainerConfig != null, options.trainerOut);
        if (options.overlayPort >= 0) {
            segmenterSettings.put(SegmenterConfig.OVERLAY_ENABLED, "true");
            segmenterSettings.put(SegmenterConfig.OVERLAY_PORT, Integer.toString(options.overlayPort));
            segmenterSettings.put(SegmenterConfig.OVERLAY_HOST, options.bindHost);
        }
        Thread hook = new Thread(interrupted::countDown, "demo-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        long started = System.nanoTime();
        try (SegmenterService segmenter = new SegmenterService(new SegmenterConfig(segmenterSettings),
                metrics.segmenter);
             PipelineAuditor auditor = new PipelineAuditor(Map.of("bootstrap.servers", bootstrapServers), topics).start()) {
            segmenter.start();
            segmenter.overlayUrl().ifPresent(url -> options.console.println("overlay page " + url));
            awaitRunning(segmenter);
            TrainerService trainer = trainerConfig == null ? null : new TrainerService(trainerConfig, metrics.trainer);
            // with --trainer-delay, the first seconds serve alone: latency with and without training, one run
            long trainerStartMs = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(options.trainerDelaySeconds);
            Thread trainerThread = trainer == null || options.trainerDelaySeconds > 0 ? null
                    : startThread(trainer, "demo-trainer");
            FrameProducer producer = options.noProducer ? null : startProducer(common);
            Thread producerThread = producer == null ? null : startThread(() -> {
                try {
                    producer.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demo-producer");
            long produceUntil = options.durationSeconds == 0 ? Long.MAX_VALUE
                    : System.nanoTime() + TimeUnit.SECONDS.toNanos(options.durationSeconds);
            while (System.nanoTime() < produceUntil && !interrupted.await(1, TimeUnit.SECONDS)) {
                if (trainer != null && trainerThread == null && System.currentTimeMillis() >= trainerStartMs) {
                    trainerThread = startThread(trainer, "demo-trainer");
                }
                status(auditor, started);
            }
            if (producer != null) {
                producer.stop();
                producerThread.join(10_000);
                producer.close();
            }
            AuditReport report = drain(auditor, started);
            loop.put("versions_served", auditor.versionsServed().size());
            loop.put("swaps", (long) count("segstream.segmenter.model.swaps"));
            loop.put("refused_versions", (long) count("segstream.segmenter.model.refused"));
            long[] aroundSwaps = auditor.p99AroundSwaps(segmenter.swapTimesMs(), 500);
            loop.put("p99_ms_within_500ms_of_a_swap", aroundSwaps[0]);
            loop.put("p99_ms_elsewhere", aroundSwaps[1]);
            double[] live = segmenter.liveMiouFirstAndLast();
            loop.put("live_miou_start", miou(live[0]));
            loop.put("live_miou_end", miou(live[1]));
            if (trainer != null && options.trainerDelaySeconds > 0) {
                long[] alone = auditor.latencyPercentiles(Long.MIN_VALUE, trainerStartMs);
                long[] with = auditor.latencyPercentiles(trainerStartMs, Long.MAX_VALUE);
                loop.put("serving_only_p50_ms", alone[0]);
                loop.put("serving_only_p99_ms", alone[1]);
                loop.put("with_trainer_p50_ms", with[0]);
                loop.put("with_trainer_p99_ms", with[1]);
            }
            if (trainer != null) {
                trainer.close();
                if (trainerThread != null) {
                    trainerThread.join(30_000);
                }
                loop.put("heldout_miou_start", miou(trainer.firstParentHeldOutMiou()));
                loop.put("heldout_miou_end", miou(trainer.lastPublishedHeldOutMiou()));
                options.console.println("trainer service: " + trainer.rounds() + " rounds, " + trainer.published()
                        + " versions published" + trainer.failure().map(e -> ", FAILED: " + e).orElse(""));
            }
            return report;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook has run
            }
        }
    }

    /**
     * What the learning loop did, for the summary line: model versions seen on masks, swaps and
     * refused versions in the segmenter, and held-out mIoU of the start model and of the newest
     * published version (the trainer's held-out frames; NaN when nothing was published).
     */
    Map<String, Object> loopSummary() {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(loop));
    }

    /** An mIoU for the summary: 4 decimals, {@code null} when there is none. */
    private static Number miou(double v) {
        return Double.isNaN(v) ? null : JsonLine.rounded(v, 4);
    }

    private double count(String name) {
        return metrics.segmenter.find(name).functionCounters().stream().mapToDouble(c -> c.count()).sum();
    }

    private FrameProducer startProducer(Map<String, Object> common) {
        return LoopWiring.producer(common, options.fps, options.cameras, options.data, metrics.producer);
    }

    private static Thread startThread(Runnable body, String name) {
        return LoopWiring.startDaemon(body, name);
    }

    private static void awaitRunning(SegmenterService segmenter) throws InterruptedException {
        LoopWiring.awaitRunning(segmenter);
        LOG.info("segmenter {}", segmenter.state());
    }

    /** Waits until every frame seen has an output and the count stops moving, or the timeout. */
    private AuditReport drain(PipelineAuditor auditor, long started) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainTimeoutSeconds);
        AuditReport last = auditor.report();
        int stable = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            AuditReport now = auditor.report();
            stable = now.missing() == 0 && now.framesSent() == last.framesSent()
                    && now.masksReceived() + now.deadLetters() == last.masksReceived() + last.deadLetters() ? stable + 1 : 0;
            last = now;
            if (stable >= 4) {
                break;
            }
            status(auditor, started);
        }
        return auditor.report();
    }

    private void status(PipelineAuditor auditor, long started) {
        options.console.status(auditor.report().statusLine(Duration.ofNanos(System.nanoTime() - started).toSeconds()));
    }
}

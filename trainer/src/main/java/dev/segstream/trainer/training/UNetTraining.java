package dev.segstream.trainer.training;

import ai.djl.Device;
import ai.djl.Model;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.metrics.MetricsServer;
import dev.segstream.model.Devices;
import dev.segstream.model.EngineThreads;
import dev.segstream.model.FiniteParameters;
import dev.segstream.model.GradMode;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.PyTorch;
import dev.segstream.model.numerics.ConvShape;
import dev.segstream.model.numerics.MemoryFormat;
import dev.segstream.model.numerics.NumericsMetrics;
import dev.segstream.model.numerics.TrainingNumerics;
import dev.segstream.trainer.data.CamVidData;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Trains a U-Net on a CamVid-layout folder with DJL's PyTorch engine: masked softmax
 * cross-entropy (void ignored), Adam or AdamW with a learning-rate schedule, seeded shuffling and
 * augmentation, per-epoch
 * validation (and test, when the folder has a test split), metrics files with memory use, a
 * checkpoint per epoch and the best-mIoU model as the artifact. Steps go through
 * {@link StepRunner}, the same step the online trainer takes.
 */
public final class UNetTraining {

    /** What a run achieved. */
    public record Summary(int epochs, double bestMiou, int bestEpoch, double imagesPerSecond,
                          List<Double> trainLosses, Path artifact) {
    }

    private final TrainOptions o;
    private final PrintStream log;
    private volatile EpochMetrics latest;
    private volatile StepRunner runner;

    public UNetTraining(TrainOptions options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    /** Trains until the epoch count or the time budget is reached, resuming from a checkpoint when there is one. */
    public Summary run() {
        long t0 = System.nanoTime();
        Checkpoint checkpoint = Checkpoint.open(o.out(), o.spec());
        try {
            Files.createDirectories(o.out());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + o.out(), e);
        }
        TrainingNumerics.ensure(o.numerics(), List.of(o.spec()), o.memoryFormat());
        EngineThreads.apply(o.threads());
        Device device = Devices.parse(o.device());
        PyTorch.seed(o.seed());
        GradMode.disable();
        try (Model model = ModelArtifacts.newModel(o.spec(), device)) {
            // the net is made before the data loads, so an unsafe channels-last request is refused first
            MemoryFormat format = o.memoryFormat().resolve(device, ConvShape.of(model.getBlock()));
            TrainingData data = TrainingData.load(o, checkpoint.descriptor(), log);
            return train(model, format, data, checkpoint, device, t0);
        }
    }

    private Summary train(Model model, MemoryFormat format, TrainingData data, Checkpoint checkpoint, Device device,
                          long t0) {
        MetricsServer metrics = o.metricsPort() >= 0 ? startMetrics() : null;
        try {
            Checkpoint.Start start = checkpoint.resume(model);
            if (start.epoch() > 1) {
                log.printf(Locale.ROOT, "resuming after epoch %d from %s (best val mIoU %.4f at epoch %d)%n",
                        start.epoch() - 1, checkpoint.dir(), start.bestMiou(), start.bestEpoch());
            }
            if (o.epochs() > 0 && start.epoch() > o.epochs()) {
                log.printf("already trained %d epochs in %s; nothing to do%n", start.epoch() - 1, o.out());
                return new Summary(0, start.bestMiou(), start.bestEpoch(), 0, List.of(), o.out());
            }
            MaskedCrossEntropy loss = new MaskedCrossEntropy(CamVidClasses.VOID, data.weights(), o.hardPixels());
            try (StepRunner runner = new StepRunner(model, loss, o.lr(), o.weightDecay(), o.maxNonFiniteSteps(),
                    format, device);
                 WeightAverage average = o.emaDecay() > 0 ? new WeightAverage(model, o.emaDecay()) : null) {
                this.runner = runner;
                return epochs(model, runner, average, data, checkpoint, start, t0);
            } finally {
                this.runner = null;
            }
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    private Summary epochs(Model model, StepRunner runner, WeightAverage average, TrainingData data,
                           Checkpoint checkpoint, Checkpoint.Start start, long t0) {
        LrSchedule.Progress progress = new LrSchedule.Progress(o.epochs(), o.maxMinutes() * 60, start.elapsedBefore(),
                t0);
        EpochTrainer trainer = new EpochTrainer(runner, data, o.batchSize(), o.spec().sizeMultiple(), o.seed(),
                log, o.schedule(), progress, o.augment(), o.copyPaste(), ProgressBar.forConsole(log), average);
        log.printf(Locale.ROOT, "training: lr %.1e, schedule %s%s, augment %s%s%s%s%s, batches %s%n", o.lr(),
                o.lrSchedule().id(), o.warmupSteps() > 0 ? " after " + o.warmupSteps() + " warm-up steps" : "",
                o.augment().id(),
                o.copyPaste() > 0 ? String.format(Locale.ROOT, " + thin-class copy-paste onto %.0f %% of frames",
                        100 * o.copyPaste()) : "",
                o.weightDecay() > 0 ? String.format(Locale.ROOT, ", AdamW weight decay %.1e", o.weightDecay()) : "",
                average == null ? "" : String.format(Locale.ROOT, ", evaluating a weight average (decay %s)%s",
                        o.emaDecay(), start.epoch() > 1 ? " restarted from the checkpoint's weights" : ""),
                o.hardPixels() < 1 ? String.format(Locale.ROOT, ", loss over the hardest %.0f %% of pixels",
                        100 * o.hardPixels()) : "",
                runner.memoryFormat().id());
        MetricsLog metricsLog = new MetricsLog(o.out());
        long deadline = o.maxMinutes() > 0 ? t0 + (long) (o.maxMinutes() * 60e9) : Long.MAX_VALUE;
        List<Double> trainLosses = new ArrayList<>();
        double best = start.bestMiou();
        int bestEpoch = start.bestEpoch();
        long loopStart = System.nanoTime(); // the pace for the ETA leaves out loading data and the model
        for (int epoch = start.epoch(); o.epochs() <= 0 || epoch <= o.epochs(); epoch++) {
            EpochTrainer.Result r = trainer.train(epoch, deadline);
            trainLosses.add(r.loss());
            long e0 = System.nanoTime();
            Evaluation.Result[] scored = averaged(average, () -> new Evaluation.Result[] {
                evaluate(model, data.valX(), data.val()),
                data.test() == null ? null : evaluate(model, data.testX(), data.test())});
            Evaluation.Result val = scored[0];
            Evaluation.Result test = scored[1];
            trainer.evaluationTook((System.nanoTime() - e0) / 1e9);
            MemoryProbe.Sample mem = MemoryProbe.sample();
            double elapsed = start.elapsedBefore() + (System.nanoTime() - t0) / 1e9;
            EpochMetrics m = new EpochMetrics(epoch, r.loss(), val.loss(), val.confusion().meanIou(),
                    val.confusion().pixelAccuracy(), r.lr(), r.imagesPerSecond(), elapsed,
                    test == null ? Double.NaN : test.loss(), test == null ? Double.NaN : test.confusion().meanIou(),
                    mem.rssMb(), mem.heapMb(), r.skippedSteps());
            metricsLog.append(m);
            latest = m;
            List<String> nonFinite = FiniteParameters.nonFinite(model.getBlock());
            if (!nonFinite.isEmpty()) {
                throw new NonFiniteTrainingException(String.format(Locale.ROOT, "epoch %d: the model has non-finite "
                        + "parameters (%s); nothing saved for this epoch, the last checkpoint is epoch %d", epoch,
                        FiniteParameters.describe(nonFinite), epoch - 1));
            }
            boolean improved = Double.isFinite(m.valLoss()) && m.valMiou() > best;
            if (improved) {
                best = m.valMiou();
                bestEpoch = epoch;
            }
            save(model, average, data, checkpoint, m, improved, best, bestEpoch);
            logEpoch(m, r.outOfTime(), trainer.evaluationSeconds(), improved,
                    etaSeconds(epoch, epoch - start.epoch() + 1, loopStart, deadline));
            if (r.outOfTime() || System.nanoTime() + (long) (trainer.evaluationSeconds() * 1e9) >= deadline) {
                break;
            }
        }
        return new Summary(trainLosses.size(), best, bestEpoch, trainer.imagesPerSecond(), trainLosses, o.out());
    }

    /** {@code action} on the weight average when there is one, else on the trained weights. */
    private static <T> T averaged(WeightAverage average, Supplier<T> action) {
        return average == null ? action.get() : average.evaluate(action);
    }

    private Evaluation.Result evaluate(Model model, float[] x, CamVidData split) {
        return Evaluation.run(model, x, split, o.spec().classes(), CamVidClasses.VOID, o.batchSize());
    }

    /** Writes the checkpoint, and the artifact when this epoch is the best so far. */
    private void save(Model model, WeightAverage average, TrainingData data, Checkpoint checkpoint, EpochMetrics m,
                      boolean improved, double best, int bestEpoch) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("val_miou", m.valMiou());
        values.put("val_loss", m.valLoss());
        values.put("val_pixel_accuracy", m.valAccuracy());
        values.put("train_loss", m.trainLoss());
        if (m.hasTest()) {
            values.put("test_miou", m.testMiou());
            values.put("test_loss", m.testLoss());
        }
        values.put("epoch", (double) m.epoch());
        ModelDescriptor d = ModelArtifacts.descriptor(o.spec(), version(m.epoch()), TrainingData.toList(data.mean()),
                TrainingData.toList(data.std()), data.train().fingerprint(), values);
        if (improved) {
            averaged(average, () -> {
                ModelArtifacts.save(o.out(), model, d);
                return null;
            });
        }
        checkpoint.save(model, d, new TrainerState(m.epoch(), best, bestEpoch, m.elapsedSeconds(),
                o.spec().variant().id(), o.spec().depth(), o.spec().filters(), o.seed()));
    }

    /**
     * Seconds left after epoch {@code epoch}: the epochs still to run at this run's mean pace
     * (evaluation included), capped by the time budget; {@code NaN} when neither bounds the run.
     */
    private double etaSeconds(int epoch, int epochsThisRun, long loopStart, long deadline) {
        long now = System.nanoTime();
        double byEpochs = o.epochs() > 0 ? (o.epochs() - epoch) * ((now - loopStart) / 1e9 / epochsThisRun) : Double.NaN;
        double byTime = deadline == Long.MAX_VALUE ? Double.NaN : Math.max(0, (deadline - now) / 1e9);
        return Double.isNaN(byEpochs) ? byTime : Double.isNaN(byTime) ? byEpochs : Math.min(byEpochs, byTime);
    }

    private void logEpoch(EpochMetrics m, boolean partial, double evalSeconds, boolean improved, double eta) {
        String test = m.hasTest() ? String.format(Locale.ROOT, ", test loss %.4f, test mIoU %.4f", m.testLoss(),
                m.testMiou()) : "";
        // "epoch 3/20 ... eta 4:10": a person watching a long run sees how far it is and how long is left
        log.printf(Locale.ROOT, "epoch %d%s%s: train loss %.4f, val loss %.4f, val mIoU %.4f, pixel acc %.4f%s, "
                        + "lr %.2e, %.1f images/s, eval %.1f s, elapsed %.0f s, eta %s, rss %d MB, heap %d MB%s%s%n",
                m.epoch(), o.epochs() > 0 ? "/" + o.epochs() : "", partial ? " (partial)" : "", m.trainLoss(),
                m.valLoss(), m.valMiou(), m.valAccuracy(), test, m.lr(), m.imagesPerSecond(), evalSeconds,
                m.elapsedSeconds(), partial ? ProgressBar.duration(0) : ProgressBar.duration(eta), m.rssMb(), m.heapMb(),
                m.skippedSteps() > 0 ? ", skipped " + m.skippedSteps() + " non-finite steps" : "",
                improved ? " * best, saved" : "");
    }

    private MetricsServer startMetrics() {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry("trainer");
        new TrainingRunMetrics(this).bindTo(registry);
        new NumericsMetrics().bindTo(registry);
        MetricsServer server = MetricsServer.start(registry, o.metricsPort());
        log.println("metrics at http://localhost:" + server.port() + "/metrics");
        return server;
    }

    /** The latest epoch's row, or {@code null} before the first epoch ends. */
    EpochMetrics latest() {
        return latest;
    }

    /** Steps skipped for a non-finite loss or gradient in the run in progress (0 when none runs). */
    long skippedSteps() {
        StepRunner r = runner;
        return r == null ? 0 : r.skippedSteps();
    }

    private String version(int epoch) {
        return o.spec().variant().id() + "-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .format(ZonedDateTime.now(ZoneOffset.UTC)) + "-e" + epoch;
    }
}

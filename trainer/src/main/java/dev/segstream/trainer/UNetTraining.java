package dev.segstream.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.metrics.MetricsServer;
import dev.segstream.core.model.Devices;
import dev.segstream.core.model.GradMode;
import dev.segstream.core.model.ModelArtifacts;
import dev.segstream.core.model.ModelDescriptor;
import dev.segstream.core.model.UNetSpec;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains a U-Net on a CamVid-layout folder with DJL's PyTorch engine: masked softmax
 * cross-entropy (void ignored), Adam, seeded shuffling and horizontal flips, per-epoch
 * validation, metrics files, a checkpoint per epoch and the best-mIoU model as the artifact.
 */
public final class UNetTraining {

    static final String CHECKPOINT_DIR = "checkpoint";
    static final String STATE_FILE = "trainer-state.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run achieved. */
    public record Summary(int epochs, double bestMiou, int bestEpoch, double imagesPerSecond,
                          List<Double> trainLosses, Path artifact) {
    }

    private final TrainOptions o;
    private final PrintStream log;
    private final double[] gauges = new double[4];

    public UNetTraining(TrainOptions options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    public Summary run() {
        long t0 = System.nanoTime();
        int classes = o.spec().classes();
        int ignore = CamVidClasses.VOID;
        try {
            Files.createDirectories(o.out());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + o.out(), e);
        }
        CamVidData train = CamVidData.read(o.data(), "train", o.limit());
        CamVidData val = CamVidData.read(o.data(), "val", o.limit());
        Path ckpt = o.out().resolve(CHECKPOINT_DIR);
        TrainerState state = readState(ckpt);
        float[] mean;
        float[] std;
        ModelDescriptor ckptDescriptor = null;
        if (state != null) {
            ckptDescriptor = ModelArtifacts.readDescriptor(ckpt);
            mean = toArray(ckptDescriptor.mean());
            std = toArray(ckptDescriptor.std());
        } else {
            float[][] stats = train.channelStats();
            mean = stats[0];
            std = stats[1];
        }
        float[] trainX = train.normalise(mean, std);
        float[] valX = val.normalise(mean, std);
        float[] weights = "median-frequency".equals(o.classWeights()) ? train.medianFrequencyWeights(classes, ignore) : null;
        log.printf(Locale.ROOT, "data: %d train + %d val frames of %dx%d loaded in %.1f s; mean %s std %s%s%n",
                train.count(), val.count(), train.width(), train.height(), (System.nanoTime() - t0) / 1e9,
                fmt(mean), fmt(std), weights == null ? "" : "; class weights " + fmt(weights));

        Device device = Devices.parse(o.device());
        Engine.getEngine(ModelArtifacts.ENGINE).setRandomSeed((int) o.seed());
        GradMode.disable();
        MetricsServer metrics = o.metricsPort() >= 0 ? startMetrics() : null;
        try (Model model = ModelArtifacts.newModel(o.spec(), device)) {
            int startEpoch = 1;
            double best = Double.NEGATIVE_INFINITY;
            int bestEpoch = 0;
            double elapsedBefore = 0;
            if (state != null) {
                checkCompatible(state);
                ModelArtifacts.loadParameters(model, ckpt, ckptDescriptor);
                startEpoch = state.epoch() + 1;
                best = state.bestMiou();
                bestEpoch = state.bestEpoch();
                elapsedBefore = state.elapsedSeconds();
                log.printf(Locale.ROOT, "resuming after epoch %d from %s (best val mIoU %.4f at epoch %d)%n",
                        state.epoch(), ckpt, best, bestEpoch);
            }
            if (o.epochs() > 0 && startEpoch > o.epochs()) {
                log.printf("already trained %d epochs in %s; nothing to do%n", startEpoch - 1, o.out());
                return new Summary(0, best, bestEpoch, 0, List.of(), o.out());
            }
            MaskedCrossEntropy loss = new MaskedCrossEntropy(ignore, weights);
            Tracker lrTracker = Tracker.fixed(o.lr());
            Optimizer adam = Optimizer.adam().optLearningRateTracker(lrTracker).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(adam)
                    .optDevices(new Device[] {device});
            MetricsLog metricsLog = new MetricsLog(o.out());
            List<Double> trainLosses = new ArrayList<>();
            BatchMaker trainBatches = new BatchMaker(trainX, train.labels(), train.width(), train.height(), o.batchSize());
            long deadline = o.maxMinutes() > 0 ? t0 + (long) (o.maxMinutes() * 60e9) : Long.MAX_VALUE;
            double valSeconds = -1;
            long trainNanos = 0;
            long imagesSeen = 0;
            int epochsRun = 0;
            int updates = 0;
            try (Trainer trainer = model.newTrainer(config)) {
                List<NDArray> trainable = new ArrayList<>();
                for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        trainable.add(p.getValue().getArray());
                    }
                }
                int n = train.count();
                int steps = (n + o.batchSize() - 1) / o.batchSize();
                for (int epoch = startEpoch; o.epochs() <= 0 || epoch <= o.epochs(); epoch++) {
                    Random rng = new Random(o.seed() * 1_000_003L + epoch);
                    int[] order = shuffled(n, rng);
                    boolean[] flip = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        flip[i] = rng.nextBoolean();
                    }
                    double lossSum = 0;
                    int lossFrames = 0;
                    long epochStart = System.nanoTime();
                    long lastPrint = epochStart;
                    boolean outOfTime = false;
                    for (int s = 0; s < steps; s++) {
                        long now = System.nanoTime();
                        double rate = trainNanos > 0 ? imagesSeen / (trainNanos / 1e9) : 0;
                        double reserve = valSeconds >= 0 ? valSeconds : rate > 0 ? val.count() / (2 * rate) : 0;
                        if (now + (long) (reserve * 1e9) > deadline && lossFrames > 0) {
                            outOfTime = true;
                            break;
                        }
                        int from = s * o.batchSize();
                        int to = Math.min(n, from + o.batchSize());
                        long stepStart = System.nanoTime();
                        float stepLoss;
                        try (NDManager bm = trainer.getManager().newSubManager()) {
                            NDArray[] xy = trainBatches.make(bm, order, from, to, flip);
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray logits = trainer.forward(new NDList(xy[0])).head();
                                NDArray l = loss.evaluate(new NDList(xy[1]), new NDList(logits));
                                gc.backward(l);
                                stepLoss = l.getFloat();
                            }
                            trainer.step();
                            zeroGradients(trainable);
                        }
                        updates++;
                        long stepEnd = System.nanoTime();
                        trainNanos += stepEnd - stepStart;
                        imagesSeen += to - from;
                        lossSum += stepLoss * (to - from);
                        lossFrames += to - from;
                        if (stepEnd - lastPrint > 10e9 || s == steps - 1) {
                            lastPrint = stepEnd;
                            log.printf(Locale.ROOT, "epoch %d step %d/%d loss %.4f avg %.4f %.1f images/s rss %d MB%n",
                                    epoch, s + 1, steps, stepLoss, lossSum / lossFrames,
                                    imagesSeen / (trainNanos / 1e9), rssMb());
                        }
                    }
                    double epochTrainSeconds = (System.nanoTime() - epochStart) / 1e9;
                    double trainLoss = lossSum / Math.max(1, lossFrames);
                    trainLosses.add(trainLoss);
                    long v0 = System.nanoTime();
                    Evaluation.Result r = Evaluation.run(model, valX, val, classes, ignore, o.batchSize());
                    valSeconds = (System.nanoTime() - v0) / 1e9;
                    double miou = r.confusion().meanIou();
                    double acc = r.confusion().pixelAccuracy();
                    double lr = lrTracker.getNewValue(updates);
                    double elapsed = elapsedBefore + (System.nanoTime() - t0) / 1e9;
                    double ips = lossFrames / epochTrainSeconds;
                    metricsLog.append(epoch, trainLoss, r.loss(), miou, acc, lr, ips, elapsed);
                    epochsRun++;
                    gauges[0] = epoch;
                    gauges[1] = trainLoss;
                    gauges[2] = miou;
                    gauges[3] = ips;
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("val_miou", miou);
                    m.put("val_loss", r.loss());
                    m.put("val_pixel_accuracy", acc);
                    m.put("train_loss", trainLoss);
                    m.put("epoch", (double) epoch);
                    ModelDescriptor d = ModelArtifacts.descriptor(o.spec(), version(epoch), toList(mean), toList(std),
                            train.fingerprint(), m);
                    boolean improved = miou > best;
                    if (improved) {
                        best = miou;
                        bestEpoch = epoch;
                        ModelArtifacts.save(o.out(), model, d);
                    }
                    ModelArtifacts.save(ckpt, model, d);
                    writeState(ckpt, new TrainerState(epoch, best, bestEpoch, elapsed, o.spec().variant().id(),
                            o.spec().depth(), o.spec().filters(), o.seed()));
                    log.printf(Locale.ROOT, "epoch %d%s: train loss %.4f, val loss %.4f, val mIoU %.4f, pixel acc %.4f, "
                                    + "%.1f images/s, val %.1f s, elapsed %.0f s%s%n", epoch, outOfTime ? " (partial)" : "",
                            trainLoss, r.loss(), miou, acc, ips, valSeconds, elapsed, improved ? " * best, saved" : "");
                    if (outOfTime || System.nanoTime() + (long) (valSeconds * 1e9) >= deadline) {
                        break;
                    }
                }
            }
            double ips = trainNanos == 0 ? 0 : imagesSeen / (trainNanos / 1e9);
            return new Summary(epochsRun, best, bestEpoch, ips, trainLosses, o.out());
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    /** Zeroes the accumulated gradients in place (PyTorch accumulates across backward passes). */
    private static void zeroGradients(List<NDArray> params) {
        for (NDArray a : params) {
            if (a instanceof PtNDArray pt) {
                JniUtils.zeroGrad(pt);
            } else if (a.hasGradient()) {
                try (NDArray g = a.getGradient()) {
                    g.subi(g);
                }
            }
        }
    }

    private MetricsServer startMetrics() {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry("trainer");
        Gauge.builder("segstream_trainer_epoch", gauges, g -> g[0]).register(registry);
        Gauge.builder("segstream_trainer_train_loss", gauges, g -> g[1]).register(registry);
        Gauge.builder("segstream_trainer_val_miou", gauges, g -> g[2]).register(registry);
        Gauge.builder("segstream_trainer_images_per_second", gauges, g -> g[3]).register(registry);
        MetricsServer server = MetricsServer.start(registry, o.metricsPort());
        log.println("metrics at http://localhost:" + server.port() + "/metrics");
        return server;
    }

    private void checkCompatible(TrainerState s) {
        UNetSpec spec = o.spec();
        if (!s.variant().equals(spec.variant().id()) || s.depth() != spec.depth() || s.filters() != spec.filters()) {
            throw new IllegalArgumentException("--out " + o.out() + " holds a checkpoint of a " + s.variant() + " U-Net (depth "
                    + s.depth() + ", filters " + s.filters() + "), not the requested " + spec.variant() + " (depth "
                    + spec.depth() + ", filters " + spec.filters() + "); choose another --out");
        }
    }

    private String version(int epoch) {
        return o.spec().variant().id() + "-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .format(ZonedDateTime.now(ZoneOffset.UTC)) + "-e" + epoch;
    }

    static TrainerState readState(Path ckpt) {
        Path f = ckpt.resolve(STATE_FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return JSON.readValue(f.toFile(), TrainerState.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read checkpoint state " + f + ": " + e.getMessage(), e);
        }
    }

    private static void writeState(Path ckpt, TrainerState s) {
        try {
            Path tmp = ckpt.resolve(STATE_FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), s);
            Files.move(tmp, ckpt.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] shuffled(int n, Random rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not on Linux
        }
        return -1;
    }

    private static float[] toArray(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    private static List<Float> toList(float[] a) {
        List<Float> l = new ArrayList<>();
        for (float v : a) {
            l.add(v);
        }
        return l;
    }

    private static String fmt(float[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", a[i]));
        }
        return sb.append(']').toString();
    }
}

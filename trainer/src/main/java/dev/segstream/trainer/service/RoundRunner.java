package dev.segstream.trainer.service;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.metrics.ConfusionMatrix;
import dev.segstream.core.wire.ModelAnnouncement;
import dev.segstream.model.Devices;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.PyTorch;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.numerics.MemoryFormat;
import dev.segstream.model.store.ModelStore;
import dev.segstream.trainer.data.TrainingSample;
import dev.segstream.trainer.training.MaskedCrossEntropy;
import dev.segstream.trainer.training.StepRunner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * One variant's part of a round: warm-start from its champion (or a seeded initialisation when it
 * has none), score that starting point on the held-out frames, train within the budget on the
 * window, score again on the same frames, and write the candidate to the model store when it beats
 * the champion by the gate's margin. Only what the store holds whole is returned for announcing.
 */
public final class RoundRunner {

    /**
     * What a variant's round did.
     *
     * @param variant     the variant
     * @param steps       optimizer steps applied
     * @param meanLoss    mean training loss over the round
     * @param lr          learning rate used
     * @param parentMiou  held-out mIoU of the starting point (champion or initialisation)
     * @param miou        held-out mIoU of the candidate
     * @param perClassIou the candidate's held-out IoU per class (NaN where a class never appears)
     * @param published   the announcement of the candidate, when it passed the gate and is in the store
     */
    public record Result(String variant, int steps, double meanLoss, float lr, double parentMiou, double miou,
                  double[] perClassIou, Optional<ModelAnnouncement> published) {
    }

    private final TrainerServiceConfig config;
    private final ModelStore store;
    private final Path scratch;
    private final Random rng;

    RoundRunner(TrainerServiceConfig config, ModelStore store, Path scratch) {
        this.config = config;
        this.store = store;
        this.scratch = scratch;
        this.rng = new Random(config.getLong(TrainerServiceConfig.SEED));
    }

    Result run(UNetSpec spec, ModelAnnouncement champion, LabelWindow window, int round, String labelledTopic) {
        Device device = Devices.parse(config.getString(TrainerServiceConfig.DEVICE));
        float lr = config.getDouble(TrainerServiceConfig.LR).floatValue();
        int batchSize = config.getInt(TrainerServiceConfig.BATCH_SIZE);
        List<TrainingSample> heldOut = window.heldOut();
        synchronized (RoundRunner.class) {
            PyTorch.seed(config.getLong(TrainerServiceConfig.SEED));
        }
        try (Model model = ModelArtifacts.newModel(spec, device)) {
            String parent = warmStart(model, spec, champion);
            double parentMiou = HeldOutScore.of(model, heldOut, batchSize).meanIou();
            double lossSum = 0;
            int steps = 0;
            try (StepRunner runner = new StepRunner(model, new MaskedCrossEntropy(CamVidClasses.VOID, null), lr, 0f,
                    config.getInt(TrainerServiceConfig.MAX_NONFINITE_STEPS),
                    MemoryFormat.parse(config.getString(TrainerServiceConfig.MEMORY_FORMAT)), device)) {
                long deadline = System.nanoTime() + (long) (config.getDouble(TrainerServiceConfig.ROUND_SECONDS) * 1e9);
                while (System.nanoTime() < deadline) {
                    Optional<List<TrainingSample>> batch = window.batch(rng, batchSize);
                    if (batch.isEmpty()) {
                        break;
                    }
                    long t0 = System.nanoTime();
                    StepRunner.Outcome o = step(runner, batch.get());
                    rest(System.nanoTime() - t0);
                    if (!o.skipped()) {
                        lossSum += o.loss();
                        steps++;
                    }
                }
            }
            ConfusionMatrix after = HeldOutScore.of(model, heldOut, batchSize);
            double miou = after.meanIou();
            double margin = config.getDouble(TrainerServiceConfig.GATE_MARGIN);
            Optional<ModelAnnouncement> published = Optional.empty();
            if (steps > 0 && miou > (Double.isNaN(parentMiou) ? 0 : parentMiou) + margin) {
                published = Optional.of(publish(model, spec, round, parent, parentMiou, miou,
                        steps == 0 ? Double.NaN : lossSum / steps, window, labelledTopic));
            }
            return new Result(spec.variant().id(), steps, steps == 0 ? Double.NaN : lossSum / steps, lr, parentMiou,
                    miou, after.perClassIou(), published);
        }
    }

    /** Rests after a step that took {@code stepNanos}, so steps use at most {@code serve.train.share} of the time. */
    private void rest(long stepNanos) {
        double share = config.getDouble(TrainerServiceConfig.TRAIN_SHARE);
        if (share >= 1.0) {
            return;
        }
        long pause = (long) (stepNanos * (1 - share) / share);
        try {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Loads the champion's parameters when it has this shape; returns its version, or {@code null}. */
    private String warmStart(Model model, UNetSpec spec, ModelAnnouncement champion) {
        if (champion == null) {
            return null;
        }
        Path dir = store.fetch(URI.create(champion.uri()));
        ModelDescriptor d = ModelArtifacts.readDescriptor(dir);
        if (!UNetSpec.of(d).equals(spec) || !d.weightsSha256().equalsIgnoreCase(champion.weightsSha256())) {
            return null;
        }
        ModelArtifacts.loadParameters(model, dir, d);
        return champion.version();
    }

    private static StepRunner.Outcome step(StepRunner runner, List<TrainingSample> batch) {
        try (NDManager m = runner.manager().newSubManager()) {
            NDArray[] xy = TrainingSample.stack(m, batch);
            return runner.step(xy[0], xy[1], null);
        }
    }

    private ModelAnnouncement publish(Model model, UNetSpec spec, int round, String parent, double parentMiou,
                                      double miou, double loss, LabelWindow window, String topic) {
        String version = spec.variant().id() + "-" + Instant.now().toString().replaceAll("[^0-9TZ]", "") + "-r" + round;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(ModelAnnouncement.HELDOUT_MIOU, miou);
        metrics.put("heldout_miou_parent", parentMiou);
        metrics.put("train_loss", loss);
        List<ModelAnnouncement.OffsetRange> lineage = window.lineage(topic);
        Path dir = scratch.resolve(version);
        try {
            ModelDescriptor d = ModelArtifacts.save(dir, model, ModelArtifacts.descriptor(spec, version,
                    ModelArtifacts.DEFAULT_MEAN, ModelArtifacts.DEFAULT_STD, "kafka:" + lineage, metrics));
            URI uri = store.put(dir, spec.variant().id(), version);
            return new ModelAnnouncement(spec.variant().id(), version, uri.toString(), d.weightsSha256(), parent,
                    metrics, lineage, Instant.now().toString());
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // scratch left behind is harmless
        }
    }
}

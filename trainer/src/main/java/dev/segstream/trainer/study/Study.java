package dev.segstream.trainer.study;

import ai.djl.Model;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.core.data.CamVidLayout;
import dev.segstream.model.DjlSegmentationModel;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.numerics.TrainingNumerics;
import dev.segstream.trainer.data.CamVidData;
import dev.segstream.trainer.data.SequenceSplit;
import dev.segstream.trainer.data.ValidationSplit;
import dev.segstream.trainer.training.Checkpoint;
import dev.segstream.trainer.training.EpochMetrics;
import dev.segstream.trainer.training.Evaluation;
import dev.segstream.trainer.training.MetricsLog;
import dev.segstream.trainer.training.TrainOptions;
import dev.segstream.trainer.training.TrainerState;
import dev.segstream.trainer.training.TrainingData;
import dev.segstream.trainer.training.UNetTraining;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variant study: trains each variant into {@code out/<variant>} (resuming or reusing what an
 * earlier run left there), evaluates each artifact on val and, when present, test, and writes
 * the comparison table, the curves and a prediction panel per variant.
 */
public final class Study {

    /** Written into a variant's folder once it has trained to its budget; a re-run then reuses it. */
    static final String DONE_FILE = "study-done.json";
    /** Frames per prediction panel. */
    static final int PANEL_FRAMES = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Done(@JsonProperty("epochs") int epochs, @JsonProperty("max_minutes") double maxMinutes) {
    }

    private final Path out;
    private final List<TrainOptions> runs;
    private final PrintStream log;

    /**
     * @param out  the study folder
     * @param runs one training run per variant, each with its own {@code out} folder
     */
    public Study(Path out, List<TrainOptions> runs, PrintStream log) {
        this.out = out;
        this.runs = List.copyOf(runs);
        this.log = log;
    }

    /** Trains, evaluates and reports; returns the table's rows. */
    public List<StudyRow> run() {
        // every variant's conv shapes at once, before the first run loads libtorch
        TrainingNumerics.ensure(runs.get(0).numerics(), runs.stream().map(TrainOptions::spec).toList(),
                runs.get(0).memoryFormat());
        for (TrainOptions o : runs) {
            train(o);
        }
        TrainOptions first = runs.get(0);
        CamVidLayout layout = new CamVidLayout(first.data());
        boolean hasTest = layout.splits().contains("test");
        // score on what selected the models: the held-out sequence when split by sequence, never
        // frames the variants trained on
        CamVidData val = first.valSplit().readSelection(first.data(), first.limit());
        CamVidData test = hasTest ? CamVidData.read(first.data(), "test", first.limit()) : null;
        String panelSplit = layout.lastSplit().orElseThrow();
        CamVidData panelData = hasTest ? test : "val".equals(panelSplit) ? val
                : CamVidData.read(first.data(), panelSplit, first.limit());
        List<StudyRow> rows = new ArrayList<>();
        Map<String, List<EpochMetrics>> curves = new LinkedHashMap<>();
        for (TrainOptions o : runs) {
            rows.add(evaluate(o, val, test, panelData));
            curves.put(o.spec().variant().id(), MetricsLog.read(o.out()));
        }
        StudyTable.write(out, rows, String.format(Locale.ROOT, "Data: %s (%d val%s frames%s%s); %s. Loss and mIoU are "
                        + "those of each variant's best-val-mIoU epoch; runtime includes per-epoch evaluation.",
                first.data(), val.count(), hasTest ? ", " + test.count() + " test" : "",
                hasTest ? "" : ", no test split", first.valSplit() == ValidationSplit.SEQUENCE
                        ? "; val = the held-out sequence " + SequenceSplit.describe(val) : "", budget(first)));
        List<Path> plots = StudyPlots.write(out, curves, hasTest);
        log.printf("study: wrote %s, %s, %d plots and %d panels in %s%n", StudyTable.MARKDOWN, StudyTable.CSV,
                plots.size(), rows.size(), out);
        return rows;
    }

    private static String budget(TrainOptions o) {
        String e = o.epochs() > 0 ? o.epochs() + " epochs" : "";
        String m = o.maxMinutes() > 0 ? o.maxMinutes() + " min" : "";
        return "budget per variant " + (e.isEmpty() ? m : m.isEmpty() ? e : e + " or " + m) + ", batch "
                + o.batchSize() + ", filters " + o.spec().filters() + ", depth " + o.spec().depth() + ", lr "
                + o.lr() + " " + o.lrSchedule().id() + (o.warmupSteps() > 0 ? " after " + o.warmupSteps()
                + " warm-up steps" : "") + ", augment " + o.augment().id() + ", class weights " + o.classWeights().id()
                + (o.weightDecay() > 0 ? ", weight decay " + o.weightDecay() : "")
                + (o.hardPixels() < 1 ? ", loss over the hardest " + Math.round(100 * o.hardPixels()) + " % of pixels"
                : "") + (o.emaDecay() > 0 ? ", weight average decay " + o.emaDecay() : "")
                + (o.multiScaleData() != null ? ", multi-scale from " + o.multiScaleData() : "")
                + (o.copyPaste() > 0 ? ", thin-class copy-paste onto " + Math.round(100 * o.copyPaste()) + " % of frames"
                : "");
    }

    /** Trains one variant unless it already reached this budget; only the unused budget is spent on a resume. */
    private void train(TrainOptions o) {
        String v = o.spec().variant().id();
        Path done = o.out().resolve(DONE_FILE);
        Done want = new Done(o.epochs(), o.maxMinutes());
        if (Files.isRegularFile(done) && want.equals(readDone(done))) {
            log.printf("study: %s already trained to this budget in %s; reusing it%n", v, o.out());
            return;
        }
        TrainerState state = Checkpoint.readState(o.out().resolve(Checkpoint.DIR));
        double minutes = o.maxMinutes();
        if (state != null && minutes > 0) {
            minutes -= state.elapsedSeconds() / 60;
        }
        if (o.maxMinutes() > 0 && minutes <= 0) {
            log.printf(Locale.ROOT, "study: %s already used its %.1f min in %s%n", v, o.maxMinutes(), o.out());
        } else {
            // "variant 2/4": with each epoch's eta, how far the whole study is
            log.printf(Locale.ROOT, "study: training %s (variant %d/%d) into %s%s%n", v, runs.indexOf(o) + 1,
                    runs.size(), o.out(), minutes > 0 ? String.format(Locale.ROOT, " for up to %.1f min", minutes) : "");
            new UNetTraining(o.withMaxMinutes(Math.max(0, minutes)), log).run();
        }
        try {
            JSON.writeValue(done.toFile(), want);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + done, e);
        }
    }

    private static Done readDone(Path f) {
        try {
            return JSON.readValue(f.toFile(), Done.class);
        } catch (IOException e) {
            return null;
        }
    }

    private StudyRow evaluate(TrainOptions o, CamVidData val, CamVidData test, CamVidData panelData) {
        String v = o.spec().variant().id();
        List<EpochMetrics> epochs = MetricsLog.read(o.out());
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no metrics.csv in " + o.out() + "; did training of " + v + " run?");
        }
        try (DjlSegmentationModel m = (DjlSegmentationModel) ModelArtifacts.load(o.out(), o.device())) {
            ModelDescriptor d = m.descriptor();
            Evaluation.Result rv = evaluate(m, val, o.batchSize());
            Evaluation.Result rt = test == null ? null : evaluate(m, test, o.batchSize());
            Path panel = out.resolve("panels").resolve(v + ".png");
            PanelMaker.write(m, panelData, PANEL_FRAMES, panel);
            int bestEpoch = d.metrics().getOrDefault("epoch", Double.NaN).intValue();
            EpochMetrics best = epochs.stream().filter(e -> e.epoch() == bestEpoch).findFirst()
                    .orElse(epochs.get(epochs.size() - 1));
            EpochMetrics last = epochs.get(epochs.size() - 1);
            StudyRow row = new StudyRow(v, last.elapsedSeconds(), o.lr(), last.epoch(), bestEpoch, best.trainLoss(),
                    rv.loss(), rv.confusion().meanIou(), rt == null ? Double.NaN : rt.loss(),
                    rt == null ? Double.NaN : rt.confusion().meanIou(), ModelArtifacts.parameterCount(m.djlModel()),
                    medianImagesPerSecond(epochs), rv.confusion().perClassIou(),
                    rt == null ? null : rt.confusion().perClassIou());
            log.printf(Locale.ROOT, "study: %s: val mIoU %.4f (epoch %d of %d), %,d parameters, panel %s%n", v,
                    row.valMiou(), bestEpoch, row.epochs(), row.parameters(), panel);
            return row;
        }
    }

    private static Evaluation.Result evaluate(DjlSegmentationModel m, CamVidData data, int batchSize) {
        ModelDescriptor d = m.descriptor();
        return Evaluation.run(m.djlModel(), data.normalise(TrainingData.toArray(d.mean()), TrainingData.toArray(d.std())),
                data, d.classes(), d.ignoreIndex(), batchSize);
    }

    public static double medianImagesPerSecond(List<EpochMetrics> epochs) {
        double[] v = epochs.stream().mapToDouble(EpochMetrics::imagesPerSecond).filter(Double::isFinite).sorted()
                .toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}

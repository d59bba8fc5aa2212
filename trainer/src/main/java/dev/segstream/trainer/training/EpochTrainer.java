package dev.segstream.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.segstream.trainer.data.Augmentation;
import dev.segstream.trainer.data.BatchMaker;
import dev.segstream.trainer.data.CamVidData;
import dev.segstream.trainer.data.MultiScale;
import dev.segstream.trainer.data.RarePaste;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Random;

/**
 * Runs the training steps of one epoch at a time: a seeded shuffle and per-frame augmentation
 * ({@link Augmentation}; with multi-scale data, every frame re-cut first by {@link MultiScale}; thin-class
 * pixels pasted last by {@link RarePaste}), the learning rate of {@link LrSchedule} set before every step, batches
 * through {@link StepRunner}, progress as a terminal bar ({@link ProgressBar}) or a log line at
 * most every 10 s, and an early stop when the remaining time would not leave room for the
 * evaluation that follows.
 */
final class EpochTrainer {

    /**
     * What one epoch did: mean train loss over the {@code frames} frames of its applied steps in
     * {@code seconds}, the last step's rate, and how many steps were skipped as non-finite.
     */
    record Result(double loss, int frames, double seconds, boolean outOfTime, float lr, long skippedSteps) {

        double imagesPerSecond() {
            return frames / seconds;
        }
    }

    private final StepRunner runner;
    private final BatchMaker batches;
    private final int frames;
    private final int batchSize;
    private final long seed;
    private final int evalFrames;
    private final PrintStream log;
    private final Augmentation.Mode augment;
    private final double copyPaste;
    private final LrSchedule schedule;
    private final LrSchedule.Progress progress;
    private final ProgressBar bar;
    private final MultiScale multiScale;
    private final WeightAverage average;
    private long stepsRun;
    private long trainNanos;
    private long imagesSeen;
    private double evalSeconds = -1;

    /**
     * @param schedule the learning rate over the run
     * @param progress where the run stands, for the schedule
     * @param augment  what augmentation to draw for each epoch
     * @param copyPaste share of frames that receive another frame's thin-class pixels, 0 = none
     * @param bar      a terminal progress bar, or {@code null} for log lines
     * @param average  the weight average to update after every applied step, or {@code null}
     */
    EpochTrainer(StepRunner runner, TrainingData data, int batchSize, int sizeMultiple, long seed, PrintStream log,
                 LrSchedule schedule, LrSchedule.Progress progress, Augmentation.Mode augment, double copyPaste,
                 ProgressBar bar, WeightAverage average) {
        CamVidData train = data.train();
        this.runner = runner;
        this.multiScale = data.multiScale();
        this.batches = new BatchMaker(multiScale == null ? data.trainX() : multiScale.images(),
                multiScale == null ? train.labels() : multiScale.labels(), train.width(), train.height(), batchSize,
                sizeMultiple).normalisation(data.mean(), data.std());
        this.schedule = schedule;
        this.progress = progress;
        this.augment = augment;
        this.copyPaste = copyPaste;
        this.bar = bar;
        this.frames = train.count();
        this.batchSize = batchSize;
        this.seed = seed;
        this.evalFrames = data.evalFrames();
        this.log = log;
        this.average = average;
    }

    /** Records how long the last evaluation took: the time kept in reserve before the deadline. */
    void evaluationTook(double seconds) {
        evalSeconds = seconds;
    }

    /** Seconds the last evaluation took, -1 before the first. */
    double evaluationSeconds() {
        return evalSeconds;
    }

    /** Train images per second over every step run so far (steps only, evaluation excluded). */
    double imagesPerSecond() {
        return trainNanos == 0 ? 0 : imagesSeen / (trainNanos / 1e9);
    }

    /** Trains epoch {@code epoch}; stops early (after at least one step) when {@code deadline} nears. */
    Result train(int epoch, long deadline) {
        Random rng = new Random(seed * 1_000_003L + epoch);
        int[] order = shuffled(frames, rng);
        Augmentation.Params[] params = Augmentation.draw(augment, frames, rng);
        if (multiScale != null) {
            multiScale.cut(rng);
            batches.imagesChanged();
        }
        int[] pasteFrom = RarePaste.draw(copyPaste, order, rng); // last: draws nothing when off
        int steps = (frames + batchSize - 1) / batchSize;
        double lossSum = 0;
        int lossFrames = 0;
        float stepLoss = Float.NaN;
        long skippedBefore = runner.skippedSteps();
        long epochStart = System.nanoTime();
        long lastPrint = epochStart;
        for (int s = 0; s < steps; s++) {
            if (lossFrames > 0 && System.nanoTime() + (long) (reserveSeconds() * 1e9) > deadline) {
                finishBar();
                return new Result(lossSum / lossFrames, lossFrames, (System.nanoTime() - epochStart) / 1e9, true,
                        runner.learningRate(), runner.skippedSteps() - skippedBefore);
            }
            int from = s * batchSize;
            int to = Math.min(frames, from + batchSize);
            long stepStart = System.nanoTime();
            runner.learningRate(schedule.at(progress.at(epoch, s / (double) steps, stepStart), stepsRun++));
            StepRunner.Outcome outcome;
            try (NDManager bm = runner.manager().newSubManager()) {
                NDArray[] xy = batches.make(bm, order, from, to, params, pasteFrom);
                outcome = runner.step(xy[0], xy[1], null);
            } catch (NonFiniteTrainingException e) {
                throw e.at(String.format(Locale.ROOT, "epoch %d, step %d/%d", epoch, s + 1, steps));
            }
            if (average != null && !outcome.skipped()) {
                average.update(); // part of the step's cost, so inside its time
            }
            stepLoss = outcome.loss();
            long stepEnd = System.nanoTime();
            trainNanos += stepEnd - stepStart;
            imagesSeen += to - from;
            if (!outcome.skipped()) {
                lossSum += stepLoss * (to - from);
                lossFrames += to - from;
            }
            if (bar != null) {
                double eta = (frames - to) / Math.max(1e-9, imagesPerSecond());
                bar.update(epoch, s + 1, steps, stepLoss, imagesPerSecond(), eta);
            } else if (stepEnd - lastPrint > 10e9 || s == steps - 1) {
                lastPrint = stepEnd;
                log.printf(Locale.ROOT, "epoch %d step %d/%d loss %.4f avg %.4f %.1f images/s rss %d MB%n",
                        epoch, s + 1, steps, stepLoss, lossSum / Math.max(1, lossFrames), imagesPerSecond(),
                        MemoryProbe.rssMb());
            }
        }
        finishBar();
        return new Result(lossFrames == 0 ? Double.NaN : lossSum / lossFrames, lossFrames,
                (System.nanoTime() - epochStart) / 1e9, false, runner.learningRate(),
                runner.skippedSteps() - skippedBefore);
    }

    private void finishBar() {
        if (bar != null) {
            bar.clear();
        }
    }

    /** Time to keep for evaluation: the last one's duration, or an estimate before the first. */
    private double reserveSeconds() {
        double rate = imagesPerSecond();
        return evalSeconds >= 0 ? evalSeconds : rate > 0 ? evalFrames / (2 * rate) : 0;
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
}

package dev.segstream.trainer.training;

import dev.segstream.model.UNetSpec;
import dev.segstream.model.numerics.MemoryFormat;
import dev.segstream.model.numerics.NumericsConfig;
import dev.segstream.model.numerics.NumericsMode;
import dev.segstream.model.numerics.TrainingNumerics;
import dev.segstream.trainer.data.Augmentation;
import dev.segstream.trainer.data.ValidationSplit;
import java.nio.file.Path;

/**
 * What a training run does.
 *
 * @param spec         the network
 * @param data         CamVid-layout folder (train on {@code train}, validate on {@code val})
 * @param out          output folder: artifact, metrics, checkpoint
 * @param epochs       epochs to train in total (including resumed ones); 0 = until the time budget
 * @param maxMinutes   wall-clock budget in minutes; 0 = none
 * @param lr           Adam learning rate
 * @param batchSize    frames per step
 * @param seed         seeds initialisation, shuffling and flips
 * @param classWeights per-class loss weights
 * @param device       {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}
 * @param limit        use at most this many frames per split (0 = all; for quick runs)
 * @param metricsPort  Prometheus port, -1 = off
 * @param lrSchedule   learning-rate schedule over the run
 * @param warmupSteps  steps of linear learning-rate warm-up (0 = none)
 * @param augment      training augmentation
 * @param weightDecay  decoupled (AdamW) weight decay, 0 = plain Adam
 * @param numerics     how conv gradients are made right on this CPU ({@link TrainingNumerics})
 * @param maxNonFiniteSteps skipped (non-finite) steps in a row after which the run stops
 * @param memoryFormat the layout training batches enter the network in
 * @param threads      PyTorch intra-op threads (0 = processors - 1, at least 1)
 * @param valSplit     what models are selected on: the given val split, or held-out sequences
 * @param multiScaleData a higher-resolution copy of {@code data} to cut multi-scale training frames
 *                     from ({@link dev.segstream.trainer.data.MultiScale}), or {@code null} for none
 * @param emaDecay     decay of the moving average of the weights that is evaluated and saved
 *                     ({@link WeightAverage}), 0 = the trained weights themselves
 * @param hardPixels   share of each batch's valid pixels, the hardest, the loss averages
 *                     ({@link MaskedCrossEntropy}); 1 = all
 * @param copyPaste    share of training frames that receive another frame's thin-class pixels
 *                     ({@link dev.segstream.trainer.data.RarePaste}); 0 = off
 */
public record TrainOptions(UNetSpec spec, Path data, Path out, int epochs, double maxMinutes, float lr, int batchSize,
                           long seed, ClassWeights classWeights, String device, int limit, int metricsPort,
                           LrSchedule.Kind lrSchedule, int warmupSteps, Augmentation.Mode augment, float weightDecay,
                           NumericsMode numerics, int maxNonFiniteSteps, MemoryFormat memoryFormat, int threads,
                           ValidationSplit valSplit, Path multiScaleData, float emaDecay,
                           float hardPixels, float copyPaste) {

    /** Constant rate, flips only, no weight decay: the behaviour before schedules and augmentation existed. */
    public TrainOptions(UNetSpec spec, Path data, Path out, int epochs, double maxMinutes, float lr, int batchSize,
                        long seed, ClassWeights classWeights, String device, int limit, int metricsPort) {
        this(spec, data, out, epochs, maxMinutes, lr, batchSize, seed, classWeights, device, limit, metricsPort,
                LrSchedule.Kind.NONE, 0, Augmentation.Mode.FLIP, 0f, NumericsMode.AUTO,
                NumericsConfig.DEFAULT_MAX_NONFINITE_STEPS, MemoryFormat.AUTO, 0, ValidationSplit.GIVEN, null, 0f, 1f, 0f);
    }

    /** The same run with another time budget. */
    public TrainOptions withMaxMinutes(double minutes) {
        return new TrainOptions(spec, data, out, epochs, minutes, lr, batchSize, seed, classWeights, device, limit,
                metricsPort, lrSchedule, warmupSteps, augment, weightDecay, numerics, maxNonFiniteSteps, memoryFormat,
                threads, valSplit, multiScaleData, emaDecay, hardPixels, copyPaste);
    }

    /** The run's learning-rate schedule. */
    public LrSchedule schedule() {
        return new LrSchedule(lrSchedule, lr, warmupSteps);
    }
}

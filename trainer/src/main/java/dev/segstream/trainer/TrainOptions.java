package dev.segstream.trainer;

import dev.segstream.core.model.UNetSpec;
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
 * @param classWeights {@code none} or {@code median-frequency}
 * @param device       {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}
 * @param limit        use at most this many frames per split (0 = all; for quick runs)
 * @param metricsPort  Prometheus port, -1 = off
 */
public record TrainOptions(UNetSpec spec, Path data, Path out, int epochs, double maxMinutes, float lr, int batchSize,
                           long seed, String classWeights, String device, int limit, int metricsPort) {
}

package dev.segstream.trainer.training;

/**
 * One row of a run's {@code metrics.csv}: what an epoch reached and what it cost.
 *
 * @param epoch      epoch number (1-based, resumed runs continue the count)
 * @param trainLoss  mean training loss over the epoch's steps
 * @param valLoss    validation loss after the epoch
 * @param valMiou    validation mIoU after the epoch
 * @param valAccuracy validation pixel accuracy
 * @param lr         learning rate in use
 * @param imagesPerSecond training throughput of the epoch
 * @param elapsedSeconds wall time since the run began (resumed runs included)
 * @param testLoss   test loss, NaN when the data has no test split
 * @param testMiou   test mIoU, NaN when the data has no test split
 * @param rssMb      process resident set size after the epoch, MiB (-1 unknown)
 * @param heapMb     JVM heap in use after a full GC, MiB (-1 unknown)
 * @param skippedSteps steps of the epoch skipped for a non-finite loss or gradient
 */
public record EpochMetrics(int epoch, double trainLoss, double valLoss, double valMiou, double valAccuracy, double lr,
                           double imagesPerSecond, double elapsedSeconds, double testLoss, double testMiou, long rssMb,
                           long heapMb, long skippedSteps) {

    /** Whether this row has test metrics. */
    public boolean hasTest() {
        return !Double.isNaN(testMiou);
    }
}

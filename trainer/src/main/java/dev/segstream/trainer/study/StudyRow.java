package dev.segstream.trainer.study;

/**
 * One variant's line in the study table. Loss and mIoU are those of the variant's artifact
 * (its best-validation-mIoU epoch); test values are NaN when the data has no test split.
 *
 * @param variant         variant name
 * @param runtimeSeconds  training wall time, per-epoch evaluation included (resumed time included)
 * @param lr              Adam learning rate
 * @param epochs          epochs trained
 * @param bestEpoch       epoch of the artifact (best val mIoU)
 * @param trainLoss       mean training loss of the best epoch
 * @param valLoss         val loss of the artifact
 * @param valMiou         val mIoU of the artifact
 * @param testLoss        test loss of the artifact, NaN without a test split
 * @param testMiou        test mIoU of the artifact, NaN without a test split
 * @param parameters      scalars in the trainable parameters (BatchNorm running statistics excluded)
 * @param imagesPerSecond median over epochs of the training throughput
 * @param valClassIou     IoU per class on val (NaN where a class is in neither truth nor prediction)
 * @param testClassIou    IoU per class on test, {@code null} without a test split
 */
public record StudyRow(String variant, double runtimeSeconds, double lr, int epochs, int bestEpoch, double trainLoss,
                       double valLoss, double valMiou, double testLoss, double testMiou, long parameters,
                       double imagesPerSecond, double[] valClassIou, double[] testClassIou) {
}

package dev.segstream.model;

/**
 * A loaded segmentation model resident on one device, shared by all worker threads of a JVM.
 * Each worker thread takes its own {@link MaskPredictor} (DJL predictors are not thread-safe).
 */
public interface SegmentationModel extends AutoCloseable {

    /** What this model is: variant, version, shape, normalisation, provenance. */
    ModelDescriptor descriptor();

    /** The device the parameters live on, in DJL's notation, e.g. {@code cpu()} or {@code gpu(0)}. */
    String device();

    /** A new predictor for the calling thread; close it when the thread is done. */
    MaskPredictor newPredictor();

    /**
     * A new predictor that applies {@code tta} (see {@link TestTimeAugmentation}).
     *
     * @throws UnsupportedOperationException when this model cannot, for anything but none
     */
    default MaskPredictor newPredictor(TestTimeAugmentation tta) {
        if (tta == TestTimeAugmentation.NONE) {
            return newPredictor();
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no test-time augmentation " + tta.id());
    }

    @Override
    void close();
}

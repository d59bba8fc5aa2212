package dev.segstream.segmenter;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.MaskPredictor;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.SegmentationModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM-wide owner of the resident model. Stream threads share the one {@link SegmentationModel}
 * (parameters stay on the device) and each gets its own {@link MaskPredictor}, because DJL
 * predictors are not thread-safe. Closing the engine closes every predictor, then the model.
 */
public final class SegmentationEngine implements AutoCloseable {

    private final SegmentationModel model;
    private final Map<Thread, MaskPredictor> predictors = new ConcurrentHashMap<>();

    /** An engine serving {@code model}; it owns the model from now on. */
    public SegmentationEngine(SegmentationModel model) {
        this.model = model;
    }

    /** What the engine serves. */
    public ModelDescriptor descriptor() {
        return model.descriptor();
    }

    /** The model's device in DJL notation. */
    public String device() {
        return model.device();
    }

    /**
     * Segments a batch of same-sized frames on the calling thread's predictor.
     *
     * @throws RuntimeException whatever the model throws; callers decide whether to retry per frame
     */
    public List<ClassMask> segment(List<RgbImage> batch) {
        return predictors.computeIfAbsent(Thread.currentThread(), t -> model.newPredictor()).predict(batch);
    }

    /** Releases the calling thread's predictor (a stream thread that is shutting down). */
    public void releaseCurrentThread() {
        MaskPredictor p = predictors.remove(Thread.currentThread());
        if (p != null) {
            p.close();
        }
    }

    @Override
    public void close() {
        predictors.values().forEach(MaskPredictor::close);
        predictors.clear();
        model.close();
    }
}

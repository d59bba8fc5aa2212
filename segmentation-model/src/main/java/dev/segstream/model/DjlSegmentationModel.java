package dev.segstream.model;

import ai.djl.Model;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link SegmentationModel} holding one DJL {@link Model} on its device. Thread-safe: any
 * number of threads may each take their own predictor.
 */
public final class DjlSegmentationModel implements SegmentationModel {

    private final Model model;
    private final ModelDescriptor descriptor;
    private final SegmentationTranslator translator;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Wraps an initialised model whose block matches {@code descriptor}; takes ownership of it. */
    public DjlSegmentationModel(Model model, ModelDescriptor descriptor) {
        this.model = model;
        this.descriptor = descriptor;
        this.translator = SegmentationTranslator.of(descriptor);
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public String device() {
        return model.getNDManager().getDevice().toString();
    }

    /** The underlying DJL model (for evaluation and attention inspection); owned by this object. */
    public Model djlModel() {
        return model;
    }

    /** The translator this model's predictors use. */
    public SegmentationTranslator translator() {
        return translator;
    }

    @Override
    public MaskPredictor newPredictor() {
        return newPredictor(TestTimeAugmentation.NONE);
    }

    @Override
    public MaskPredictor newPredictor(TestTimeAugmentation tta) {
        if (closed.get()) {
            throw new IllegalStateException("model " + descriptor.version() + " is closed");
        }
        return new DjlMaskPredictor(model.newPredictor(tta == TestTimeAugmentation.NONE ? translator
                : SegmentationTranslator.of(descriptor, tta)));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            model.close();
        }
    }
}

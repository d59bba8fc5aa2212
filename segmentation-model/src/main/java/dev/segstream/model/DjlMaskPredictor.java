package dev.segstream.model;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import java.util.List;

/** A {@link MaskPredictor} over one DJL {@link Predictor}; confined to one thread. */
final class DjlMaskPredictor implements MaskPredictor {

    private final Predictor<List<RgbImage>, List<ClassMask>> predictor;

    DjlMaskPredictor(Predictor<List<RgbImage>, List<ClassMask>> predictor) {
        this.predictor = predictor;
    }

    @Override
    public List<ClassMask> predict(List<RgbImage> batch) {
        SegmentationTranslator.checkBatch(batch);
        GradMode.disable();
        try {
            return predictor.predict(batch);
        } catch (TranslateException e) {
            Throwable c = e.getCause();
            if (c instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("segmentation failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
    }
}

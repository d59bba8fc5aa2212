package dev.segstream.segmenter;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.MaskPredictor;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.SegmentationModel;
import java.util.Arrays;
import java.util.List;

/**
 * A real model that fails any call whose batch contains a poisoned frame (every pixel pure
 * red, {@link #poisonPng}), the way a model fails on input it cannot handle.
 */
final class PoisonedModel implements SegmentationModel {

    private final SegmentationModel real;

    PoisonedModel(SegmentationModel real) {
        this.real = real;
    }

    /** A PNG the model fails on. */
    static byte[] poisonPng(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) 255;
        }
        return ImageCodec.encodePng(new RgbImage(w, h, rgb));
    }

    static boolean poisoned(RgbImage image) {
        byte[] rgb = image.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            if (rgb[i] != (byte) 255 || rgb[i + 1] != 0 || rgb[i + 2] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ModelDescriptor descriptor() {
        return real.descriptor();
    }

    @Override
    public String device() {
        return real.device();
    }

    @Override
    public MaskPredictor newPredictor() {
        MaskPredictor p = real.newPredictor();
        return new MaskPredictor() {
            @Override
            public List<ClassMask> predict(List<RgbImage> batch) {
                if (batch.stream().anyMatch(PoisonedModel::poisoned)) {
                    throw new IllegalStateException("model cannot handle a batch holding " + Arrays.toString(
                            batch.stream().map(PoisonedModel::poisoned).toArray()));
                }
                return p.predict(batch);
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }

    @Override
    public void close() {
        real.close();
    }
}

package dev.segstream.core.wire;

import java.util.Objects;

/**
 * A frame with its ground truth, the value of the labelled-frames topic.
 *
 * <p>Wire layout (big-endian), see {@link LabelledFrameSerde}: magic {@code SGLF}, version byte
 * {@code 1}, int32 image length, image bytes (PNG or JPEG), int32 mask length, mask bytes
 * (8-bit single-channel PNG of class indices, same size as the image).
 *
 * @param image encoded frame
 * @param mask  encoded ground-truth mask
 */
public record LabelledFrame(byte[] image, byte[] mask) {

    public LabelledFrame {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(mask, "mask");
    }
}

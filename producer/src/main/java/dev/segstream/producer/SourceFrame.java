package dev.segstream.producer;

import java.util.Objects;

/**
 * One frame to publish: which camera, its identifier, the encoded image and, where ground truth
 * exists, the encoded mask (8-bit PNG of class indices, same size as the image).
 *
 * @param cameraId     camera (the record key)
 * @param frameId      frame identifier (the {@code frame.id} header)
 * @param encodedImage PNG or JPEG bytes, sent as-is
 * @param encodedMask  mask PNG bytes, or {@code null} when the frame has no ground truth
 */
public record SourceFrame(String cameraId, String frameId, byte[] encodedImage, byte[] encodedMask) {

    public SourceFrame {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(frameId, "frameId");
        Objects.requireNonNull(encodedImage, "encodedImage");
    }

    /** Whether the frame carries a ground-truth mask. */
    public boolean hasMask() {
        return encodedMask != null;
    }
}

package dev.segstream.segmenter.overlay;

import dev.segstream.core.wire.ClassMask;

/**
 * One segmented frame as the overlay page shows it.
 *
 * @param camera    camera id (the record key)
 * @param seq       position in the view's order of updates, unique across cameras
 * @param frameId   the frame's {@code frame.id}
 * @param image     the frame bytes exactly as read (PNG or JPEG; treat as read-only)
 * @param mask      the mask written for it
 * @param variant   variant of the model that made the mask
 * @param version   version of the model that made the mask
 * @param latencyMs capture ({@code frame.ts}) to mask written, or read to written when the frame
 *                  carries no capture time
 * @param maskAtMs  when the mask was written, epoch ms
 */
public record CameraFrame(String camera, long seq, String frameId, byte[] image, ClassMask mask, String variant,
                          String version, long latencyMs, long maskAtMs) {

    /** Content type of {@link #image()}, from its magic bytes. */
    public String imageType() {
        return image.length > 2 && (image[0] & 0xff) == 0xff && (image[1] & 0xff) == 0xd8 ? "image/jpeg" : "image/png";
    }
}

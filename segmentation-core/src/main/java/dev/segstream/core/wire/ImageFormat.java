package dev.segstream.core.wire;

import java.util.Optional;

/** Encodings accepted on the frames topic, detected from their magic bytes (never from headers). */
public enum ImageFormat {
    PNG("png"),
    JPEG("jpeg");

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** The javax.imageio format name. */
    public String imageIoName() {
        return imageIoName;
    }

    /** The format whose magic bytes start {@code bytes}, if any. */
    public static Optional<ImageFormat> detect(byte[] bytes) {
        if (bytes == null) {
            return Optional.empty();
        }
        if (bytes.length >= PNG_MAGIC.length) {
            boolean png = true;
            for (int i = 0; i < PNG_MAGIC.length && png; i++) {
                png = bytes[i] == PNG_MAGIC[i];
            }
            if (png) {
                return Optional.of(PNG);
            }
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
            return Optional.of(JPEG);
        }
        return Optional.empty();
    }
}

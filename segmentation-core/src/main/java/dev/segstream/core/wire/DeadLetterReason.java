package dev.segstream.core.wire;

import java.util.Locale;

/** Why a frame went to the dead-letter topic; the lower-case name is the {@code dlq.reason} header. */
public enum DeadLetterReason {
    /** Null or zero-length value. */
    EMPTY,
    /** Value larger than the configured byte limit. */
    OVERSIZED,
    /** Bytes are not PNG or JPEG. */
    UNSUPPORTED_FORMAT,
    /** Looks like PNG/JPEG but cannot be decoded. */
    UNDECODABLE,
    /** Width or height zero, or beyond the configured limits. */
    BAD_DIMENSIONS,
    /** The model failed on this frame alone. */
    INFERENCE_FAILED;

    /** The header / metric tag form, e.g. {@code unsupported_format}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.segstream.core.wire;

/** A frame that cannot be segmented, with the dead-letter reason to report. */
public final class FrameDecodeException extends Exception {

    private final DeadLetterReason reason;

    public FrameDecodeException(DeadLetterReason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public FrameDecodeException(DeadLetterReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    /** The dead-letter reason. */
    public DeadLetterReason reason() {
        return reason;
    }
}

package dev.segstream.core.config;

import dev.segstream.core.wire.FrameDecoder;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The limits every service that decodes frames applies before decoding pixels (the segmenter to
 * camera frames, the trainers to labelled frames), declared once.
 */
public final class FrameLimitsConfig {

    public static final String FRAME_MAX_BYTES = "frame.max.bytes";
    public static final String FRAME_MAX_WIDTH = "frame.max.width";
    public static final String FRAME_MAX_HEIGHT = "frame.max.height";

    private FrameLimitsConfig() {
    }

    /** Adds the three limits to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        return def.define(FRAME_MAX_BYTES, Type.INT, 16 * 1024 * 1024, Range.atLeast(1), Importance.MEDIUM,
                        "Frames larger than this many bytes are refused as oversized (dead-lettered by the segmenter).")
                .define(FRAME_MAX_WIDTH, Type.INT, 8192, Range.atLeast(1), Importance.LOW,
                        "Frames wider than this are refused as bad_dimensions (checked before decoding pixels).")
                .define(FRAME_MAX_HEIGHT, Type.INT, 8192, Range.atLeast(1), Importance.LOW,
                        "Frames taller than this are refused as bad_dimensions (checked before decoding pixels).");
    }

    /** The decoder these limits describe in {@code config}. */
    public static FrameDecoder decoder(AbstractConfig config) {
        return new FrameDecoder(config.getInt(FRAME_MAX_BYTES), config.getInt(FRAME_MAX_WIDTH),
                config.getInt(FRAME_MAX_HEIGHT));
    }
}

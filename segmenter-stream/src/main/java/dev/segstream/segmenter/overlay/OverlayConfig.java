package dev.segstream.segmenter.overlay;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The overlay page's settings, declared once and added to the segmenter's definition (the page is
 * served by the process that segments, because only it holds the frames next to their masks).
 */
public final class OverlayConfig {

    public static final String OVERLAY_ENABLED = "overlay.enabled";
    public static final String OVERLAY_HOST = "overlay.host";
    public static final String OVERLAY_PORT = "overlay.port";
    public static final String OVERLAY_MAX_CAMERAS = "overlay.max.cameras";

    /** Port of the page when none is set (the demo's too). */
    public static final int DEFAULT_PORT = 9480;

    private OverlayConfig() {
    }

    /** Adds the overlay settings to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        return def.define(OVERLAY_ENABLED, Type.BOOLEAN, false, Importance.MEDIUM, "Serve the live overlay page: "
                        + "per camera the latest frame with its mask blended in CamVid colours, the class legend, "
                        + "model variant and version, frame-to-mask latency, frames/s and live mIoU.")
                .define(OVERLAY_HOST, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Address the overlay page binds to. Loopback by default: the page shows camera frames, "
                                + "so exposing it (0.0.0.0) is a deliberate choice.")
                .define(OVERLAY_PORT, Type.INT, DEFAULT_PORT, Range.between(0, 65535), Importance.MEDIUM,
                        "Port of the overlay page; 0 picks a free port (logged at start).")
                .define(OVERLAY_MAX_CAMERAS, Type.INT, 16, Range.between(1, 1024), Importance.LOW,
                        "Cameras the overlay page keeps a latest frame for; beyond it the camera updated longest "
                                + "ago is dropped, so memory stays bounded however many cameras publish.");
    }

    /** Whether {@code config} asks for the page. */
    public static boolean enabled(AbstractConfig config) {
        return config.getBoolean(OVERLAY_ENABLED);
    }

    /** A latest-frames view sized by {@code config}. */
    public static LatestFrames view(AbstractConfig config) {
        return new LatestFrames(config.getInt(OVERLAY_MAX_CAMERAS));
    }

    /** Starts the page for {@code view} on the configured address. */
    public static OverlayServer start(AbstractConfig config, LatestFrames view, java.util.function.DoubleSupplier liveMiou) {
        return OverlayServer.start(config.getString(OVERLAY_HOST), config.getInt(OVERLAY_PORT), view, liveMiou);
    }
}

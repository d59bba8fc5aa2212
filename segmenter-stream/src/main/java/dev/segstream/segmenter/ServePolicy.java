package dev.segstream.segmenter;

import dev.segstream.core.config.SettingValue;
import dev.segstream.core.wire.ModelAnnouncement;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Which announced version the segmenter serves (setting {@code model.serve}): the latest
 * announcement of one variant, the best held-out mIoU across variants' latest announcements, or
 * one pinned version. {@code static} serves the start-up model and follows nothing. {@code latest}
 * and {@code best} only consider usable versions (those not refused before), so a refused newest
 * version falls back to the newest good one of its variant rather than to nothing; a pinned
 * version is the operator's explicit choice and has no fallback.
 *
 * @param kind    how to choose
 * @param variant the variant for {@link Kind#LATEST}
 * @param version the version for {@link Kind#PINNED}
 */
public record ServePolicy(Kind kind, String variant, String version) {

    /** How to choose. */
    public enum Kind implements SettingValue {
        STATIC, LATEST, BEST, PINNED;

        /** The setting's value. */
        @Override
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a setting value. */
        public static Kind parse(String s) {
            return SettingValue.parse(Kind.class, SegmenterConfig.MODEL_SERVE, s);
        }
    }

    /**
     * The announcement to serve, or {@code null} for none.
     *
     * @param announced every version announced so far
     * @param usable    whether a version may be chosen (not refused before)
     */
    ModelAnnouncement choose(AnnouncedVersions announced, Predicate<ModelAnnouncement> usable) {
        return switch (kind) {
            case STATIC -> null;
            case LATEST -> announced.newest(variant, usable).orElse(null);
            case BEST -> announced.newestPerVariant(usable).stream()
                    .filter(a -> !Double.isNaN(a.metric(ModelAnnouncement.HELDOUT_MIOU)))
                    .max(Comparator.comparingDouble(a -> a.metric(ModelAnnouncement.HELDOUT_MIOU))).orElse(null);
            case PINNED -> announced.version(version).orElse(null);
        };
    }
}

package dev.segstream.segmenter;

import dev.segstream.core.wire.ModelAnnouncement;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/**
 * Which announced version the segmenter serves (setting {@code model.serve}): the latest
 * announcement of one variant, the best held-out mIoU across variants' latest announcements, or
 * one pinned version. {@code static} serves the start-up model and follows nothing.
 *
 * @param kind    how to choose
 * @param variant the variant for {@link Kind#LATEST}
 * @param version the version for {@link Kind#PINNED}
 */
public record ServePolicy(Kind kind, String variant, String version) {

    /** How to choose. */
    public enum Kind {
        STATIC, LATEST, BEST, PINNED;

        /** The setting's value. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a setting value. */
        public static Kind parse(String s) {
            for (Kind k : values()) {
                if (k.id().equals(s == null ? null : s.trim().toLowerCase(Locale.ROOT))) {
                    return k;
                }
            }
            throw new IllegalArgumentException("model.serve must be static, latest, best or pinned, got '" + s + "'");
        }
    }

    /**
     * The announcement to serve, or {@code null} for none.
     *
     * @param latestPerVariant the newest announcement of each variant
     * @param byVersion        every announcement read, by version (a pinned version may be older)
     */
    ModelAnnouncement choose(Collection<ModelAnnouncement> latestPerVariant, Map<String, ModelAnnouncement> byVersion) {
        return switch (kind) {
            case STATIC -> null;
            case LATEST -> latestPerVariant.stream().filter(a -> a.variant().equals(variant)).findFirst().orElse(null);
            case BEST -> latestPerVariant.stream().filter(a -> !Double.isNaN(a.metric(ModelAnnouncement.HELDOUT_MIOU)))
                    .max(Comparator.comparingDouble(a -> a.metric(ModelAnnouncement.HELDOUT_MIOU))).orElse(null);
            case PINNED -> byVersion.get(version);
        };
    }
}

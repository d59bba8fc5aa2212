package dev.segstream.segmenter;

import dev.segstream.core.wire.ModelAnnouncement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the {@code models} topic has announced so far: every version of each variant in
 * announcement order, a re-announced version (a rollback) counting as the newest again. The
 * follower thread adds; the live-quality thread reads the newest per variant, hence the locking.
 */
final class AnnouncedVersions {

    private final Map<String, LinkedHashMap<String, ModelAnnouncement>> byVariant = new HashMap<>();
    private final Map<String, ModelAnnouncement> byVersion = new HashMap<>();

    /** Takes one announcement in as the newest of its variant. */
    synchronized void add(ModelAnnouncement a) {
        LinkedHashMap<String, ModelAnnouncement> versions = byVariant.computeIfAbsent(a.variant(),
                k -> new LinkedHashMap<>());
        versions.remove(a.version());
        versions.put(a.version(), a);
        byVersion.put(a.version(), a);
    }

    /** The newest announcement of {@code variant} that {@code usable} accepts, if any. */
    synchronized Optional<ModelAnnouncement> newest(String variant, Predicate<ModelAnnouncement> usable) {
        LinkedHashMap<String, ModelAnnouncement> versions = byVariant.get(variant);
        if (versions == null) {
            return Optional.empty();
        }
        List<ModelAnnouncement> newestFirst = new ArrayList<>(versions.values());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            if (usable.test(newestFirst.get(i))) {
                return Optional.of(newestFirst.get(i));
            }
        }
        return Optional.empty();
    }

    /** The newest announcement of {@code variant}, if any. */
    Optional<ModelAnnouncement> newest(String variant) {
        return newest(variant, a -> true);
    }

    /** For each variant announced, its newest announcement that {@code usable} accepts. */
    synchronized List<ModelAnnouncement> newestPerVariant(Predicate<ModelAnnouncement> usable) {
        List<ModelAnnouncement> out = new ArrayList<>();
        for (String variant : byVariant.keySet()) {
            newest(variant, usable).ifPresent(out::add);
        }
        return out;
    }

    /** The announcement of {@code version}, if it was announced. */
    synchronized Optional<ModelAnnouncement> version(String version) {
        return Optional.ofNullable(byVersion.get(version));
    }
}

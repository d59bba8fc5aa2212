package dev.segstream.segmenter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.wire.ModelAnnouncement;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ServePolicyTest {

    private static ModelAnnouncement announce(String variant, String version, double heldOut) {
        return new ModelAnnouncement(variant, version, "file:/store/" + version, "00", null,
                Double.isNaN(heldOut) ? Map.of() : Map.of(ModelAnnouncement.HELDOUT_MIOU, heldOut), null,
                "2026-11-30T00:00:00Z");
    }

    private static Predicate<ModelAnnouncement> notRefused(String... versions) {
        Set<String> refused = Set.of(versions);
        return a -> !refused.contains(a.version());
    }

    private static AnnouncedVersions announced(ModelAnnouncement... all) {
        AnnouncedVersions v = new AnnouncedVersions();
        for (ModelAnnouncement a : all) {
            v.add(a);
        }
        return v;
    }

    private static final ServePolicy LATEST_VANILLA = new ServePolicy(ServePolicy.Kind.LATEST, "vanilla", null);
    private static final ServePolicy BEST = new ServePolicy(ServePolicy.Kind.BEST, null, null);

    @Test
    void shouldServeNewestOfVariantWhenNothingRefused() {
        AnnouncedVersions v = announced(announce("vanilla", "v1", 0.3), announce("residual", "r1", 0.5),
                announce("vanilla", "v2", 0.2));

        assertThat(LATEST_VANILLA.choose(v, notRefused()).version()).isEqualTo("v2");
    }

    @Test
    void shouldFallBackToNewestGoodVersionWhenLatestIsRefused() {
        AnnouncedVersions v = announced(announce("vanilla", "v1", 0.3), announce("vanilla", "v2", 0.4),
                announce("vanilla", "v3", 0.5));

        assertThat(LATEST_VANILLA.choose(v, notRefused("v3")).version()).isEqualTo("v2");
        assertThat(LATEST_VANILLA.choose(v, notRefused("v3", "v2", "v1"))).isNull();
    }

    @Test
    void shouldTreatReannouncedVersionAsNewestWhenRolledBack() {
        AnnouncedVersions v = announced(announce("vanilla", "v1", 0.3), announce("vanilla", "v2", 0.4),
                announce("vanilla", "v1", 0.3));

        assertThat(LATEST_VANILLA.choose(v, notRefused()).version()).isEqualTo("v1");
        assertThat(LATEST_VANILLA.choose(v, notRefused("v1")).version()).isEqualTo("v2");
    }

    @Test
    void shouldServeBestHeldOutAcrossVariantsWhenNothingRefused() {
        AnnouncedVersions v = announced(announce("vanilla", "v1", 0.3), announce("residual", "r1", 0.5),
                announce("attention", "a1", Double.NaN));

        assertThat(BEST.choose(v, notRefused()).version()).isEqualTo("r1");
    }

    @Test
    void shouldFallBackPastRefusedVersionWhenBestIsRefused() {
        AnnouncedVersions v = announced(announce("vanilla", "v1", 0.3), announce("residual", "r1", 0.45),
                announce("residual", "r2", 0.5));

        assertThat(BEST.choose(v, notRefused("r2")).version()).as("residual's previous good version")
                .isEqualTo("r1");
        assertThat(BEST.choose(v, notRefused("r2", "r1")).version()).as("the next variant").isEqualTo("v1");
    }

    @Test
    void shouldNameThePinnedVersionWhateverWasRefusedWhenPinned() {
        AnnouncedVersions v = announced(announce("vanilla", "v1", 0.3), announce("vanilla", "v2", 0.4));
        ServePolicy pinned = new ServePolicy(ServePolicy.Kind.PINNED, null, "v1");

        assertThat(pinned.choose(v, notRefused("v1")).version()).as("no fallback from an explicit choice")
                .isEqualTo("v1");
        assertThat(new ServePolicy(ServePolicy.Kind.STATIC, null, null).choose(v, notRefused())).isNull();
    }
}

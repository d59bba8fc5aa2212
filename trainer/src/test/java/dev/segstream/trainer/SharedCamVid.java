package dev.segstream.trainer;

import dev.segstream.core.data.CamVidLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The shared CamVid folder the data tests read; never committed, so a test without it is skipped, saying why. */
public final class SharedCamVid {

    private SharedCamVid() {
    }

    /**
     * {@code camvid-128x96} under the shared data folder ({@code ../shared/data}, or
     * {@code -Dsegstream.shared.data}); skips the calling test when it has no train and val lists.
     */
    public static Path camvid128x96OrSkip() {
        Path data = CamVidLayout.sharedDataDir().resolve("camvid-128x96");
        Assumptions.assumeTrue(Files.isRegularFile(data.resolve("train.txt")) && Files.isRegularFile(
                data.resolve("val.txt")), "CamVid data not found at " + data.toAbsolutePath()
                + " (set -Dsegstream.shared.data); skipping");
        return data;
    }
}

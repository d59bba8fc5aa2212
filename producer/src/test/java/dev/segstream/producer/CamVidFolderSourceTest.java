package dev.segstream.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segstream.core.data.CamVidLayout;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CamVidFolderSourceTest {

    private static Path sharedCamVid() {
        Path dir = CamVidLayout.sharedDataDir().resolve("camvid-128x96");
        assumeTrue(Files.isRegularFile(dir.resolve("train.txt")),
                "shared CamVid data not found at " + dir.toAbsolutePath() + " (set -Dsegstream.shared.data); skipping");
        return dir;
    }

    @Test
    void shouldListOneCameraPerPrefixWhenReadingSharedCamVid() {
        CamVidFolderSource source = new CamVidFolderSource(sharedCamVid(), false);
        assertThat(source.cameras()).startsWith("0001TP", "0006R0", "0016E5");
    }

    @Test
    void shouldKeepListOrderWithMasksWhenIteratingSharedCamVid() throws IOException {
        Path dir = sharedCamVid();
        CamVidFolderSource source = new CamVidFolderSource(dir, false);
        List<String> expected = new ArrayList<>();
        CamVidLayout layout = new CamVidLayout(dir);
        for (String split : layout.splits()) {
            layout.entries(split).stream().filter(e -> e.camera().equals("0016E5"))
                    .forEach(e -> expected.add(e.frameName()));
        }
        List<String> ids = new ArrayList<>();
        Iterator<SourceFrame> it = source.frames("0016E5");
        SourceFrame first = null;
        while (it.hasNext()) {
            SourceFrame f = it.next();
            first = first == null ? f : first;
            assertThat(f.cameraId()).isEqualTo("0016E5");
            assertThat(f.hasMask()).as("mask of %s", f.frameId()).isTrue();
            ids.add(f.frameId());
        }
        assertThat(ids).isEqualTo(expected).hasSize(source.frameCount("0016E5"));
        Path firstImage = dir.resolve("train").resolve(first.frameId() + ".png");
        assertThat(first.encodedImage()).isEqualTo(Files.readAllBytes(firstImage));
        assertThat(ImageFormat.detect(first.encodedImage())).contains(ImageFormat.PNG);
        ClassMask mask = ImageCodec.decodeMaskPng(first.encodedMask());
        assertThat(mask.width()).isEqualTo(128);
        assertThat(mask.height()).isEqualTo(96);
    }

    @Test
    void shouldStartOverWithSuffixedIdsWhenLooping(@TempDir Path dir) throws IOException {
        writeFolder(dir, "train", List.of("camA_001", "camA_002", "camB_001"), true);
        CamVidFolderSource source = new CamVidFolderSource(dir, true);
        assertThat(source.cameras()).containsExactly("camA", "camB");
        Iterator<SourceFrame> it = source.frames("camA");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(it.next().frameId());
        }
        assertThat(ids).containsExactly("camA_001", "camA_002", "camA_001#1", "camA_002#1", "camA_001#2");
        assertThat(it.hasNext()).isTrue();
    }

    @Test
    void shouldEndWhenNotLooping(@TempDir Path dir) throws IOException {
        writeFolder(dir, "train", List.of("camA_001"), true);
        Iterator<SourceFrame> it = new CamVidFolderSource(dir, false).frames("camA");
        assertThat(it.next().frameId()).isEqualTo("camA_001");
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    void shouldSendNoMaskWhenAnnotationIsMissing(@TempDir Path dir) throws IOException {
        writeFolder(dir, "test", List.of("camC_001"), false);
        SourceFrame f = new CamVidFolderSource(dir, false).frames("camC").next();
        assertThat(f.hasMask()).isFalse();
        assertThat(f.encodedMask()).isNull();
    }

    @Test
    void shouldMergeSplitsInOrderWhenCameraSpansSplits(@TempDir Path dir) throws IOException {
        writeFolder(dir, "val", List.of("camA_010"), true);
        writeFolder(dir, "train", List.of("camA_001", "camB_001"), true);
        CamVidFolderSource source = new CamVidFolderSource(dir, false);
        Iterator<SourceFrame> it = source.frames("camA");
        assertThat(List.of(it.next().frameId(), it.next().frameId())).containsExactly("camA_001", "camA_010");
    }

    @Test
    void shouldFailWhenFolderIsMissingOrEmpty(@TempDir Path dir) {
        assertThatThrownBy(() -> new CamVidFolderSource(dir.resolve("nope"), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new CamVidFolderSource(dir, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no split list");
        assertThatThrownBy(() -> new CamVidFolderSource(dir, true)).hasMessageContaining(dir.toString());
    }

    /** Writes a tiny CamVid-layout split of synthetic frames. */
    static void writeFolder(Path dir, String split, List<String> names, boolean masks) throws IOException {
        Files.createDirectories(dir.resolve(split));
        Files.createDirectories(dir.resolve(split + "annot"));
        StringBuilder list = new StringBuilder();
        SyntheticRoadCamera cam = new SyntheticRoadCamera(names.size(), 16, 12);
        for (int i = 0; i < names.size(); i++) {
            SyntheticRoadCamera.Frame f = cam.frame(i);
            String name = names.get(i) + ".png";
            Files.write(dir.resolve(split).resolve(name), ImageCodec.encodePng(f.image()));
            if (masks) {
                Files.write(dir.resolve(split + "annot").resolve(name), ImageCodec.encodeMaskPng(f.mask()));
            }
            list.append(split).append('/').append(name).append(' ').append(split).append("annot/").append(name)
                    .append('\n');
        }
        Files.writeString(dir.resolve(split + ".txt"), list);
    }
}

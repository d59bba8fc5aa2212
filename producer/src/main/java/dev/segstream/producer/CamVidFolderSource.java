package dev.segstream.producer;

import dev.segstream.core.data.CamVidLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Frames of a folder in CamVid layout ({@link CamVidLayout}): every split list the folder has
 * (train, val, test, in that order), one camera per file-name prefix ({@code 0001TP},
 * {@code 0006R0}, {@code 0016E5}, ...), each camera's frames in list order. Image and mask files
 * are read lazily and sent as-is. Frame ids are the file names without extension; when looping,
 * later passes append {@code #<pass>} so ids stay unique.
 */
public final class CamVidFolderSource implements FrameSource {

    private final Path root;
    private final boolean loop;
    private final Map<String, List<CamVidLayout.Entry>> byCamera = new LinkedHashMap<>();

    /**
     * Lists the folder.
     *
     * @param root CamVid-layout folder
     * @param loop whether each camera starts over when its frames are exhausted
     * @throws IllegalArgumentException if the folder is missing, has no split list, or lists no
     *                                  existing image
     */
    public CamVidFolderSource(Path root, boolean loop) {
        this.root = root;
        this.loop = loop;
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("data folder " + root + " does not exist or is not a directory");
        }
        CamVidLayout layout = new CamVidLayout(root);
        List<String> splits = layout.splits();
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("data folder " + root + " has no split list ("
                    + String.join(".txt, ", CamVidLayout.KNOWN_SPLITS) + ".txt)");
        }
        for (String split : splits) {
            for (CamVidLayout.Entry e : layout.entries(split)) {
                if (Files.isRegularFile(e.image())) {
                    byCamera.computeIfAbsent(e.camera(), c -> new ArrayList<>()).add(e);
                }
            }
        }
        if (byCamera.isEmpty()) {
            throw new IllegalArgumentException("data folder " + root + " lists no existing image in " + splits);
        }
        byCamera.replaceAll((c, list) -> List.copyOf(list));
    }

    /** The folder. */
    public Path root() {
        return root;
    }

    @Override
    public List<String> cameras() {
        return List.copyOf(byCamera.keySet());
    }

    /** Number of listed frames of {@code cameraId} (one pass). */
    public int frameCount(String cameraId) {
        return entries(cameraId).size();
    }

    @Override
    public Iterator<SourceFrame> frames(String cameraId) {
        List<CamVidLayout.Entry> entries = entries(cameraId);
        return new Iterator<>() {
            private int next;
            private int pass;

            @Override
            public boolean hasNext() {
                return next < entries.size() || (loop && !entries.isEmpty());
            }

            @Override
            public SourceFrame next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("camera " + cameraId + " has no more frames");
                }
                if (next == entries.size()) {
                    next = 0;
                    pass++;
                }
                CamVidLayout.Entry e = entries.get(next++);
                String id = pass == 0 ? e.frameName() : e.frameName() + "#" + pass;
                return new SourceFrame(cameraId, id, read(e.image()), e.mask() == null ? null : read(e.mask()));
            }
        };
    }

    private List<CamVidLayout.Entry> entries(String cameraId) {
        List<CamVidLayout.Entry> entries = byCamera.get(cameraId);
        if (entries == null) {
            throw new IllegalArgumentException("unknown camera '" + cameraId + "', have " + byCamera.keySet());
        }
        return entries;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

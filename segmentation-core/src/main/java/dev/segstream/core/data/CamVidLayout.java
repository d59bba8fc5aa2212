package dev.segstream.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A folder in CamVid layout: {@code <split>.txt} list files whose lines are
 * {@code <split>/<name>.png <split>annot/<name>.png}, paths relative to the folder. Reads the
 * lists only; pixels are read by whoever needs them.
 */
public final class CamVidLayout {

    /** Splits looked for, in order. */
    public static final List<String> KNOWN_SPLITS = List.of("train", "val", "test");

    private final Path root;

    public CamVidLayout(Path root) {
        this.root = root;
    }

    /** The folder. */
    public Path root() {
        return root;
    }

    /** Splits that have a list file here, in {@link #KNOWN_SPLITS} order. */
    public List<String> splits() {
        List<String> out = new ArrayList<>();
        for (String s : KNOWN_SPLITS) {
            if (Files.isRegularFile(root.resolve(s + ".txt"))) {
                out.add(s);
            }
        }
        return out;
    }

    /** The last split present (test, else val, else train), e.g. for fixed visualisation images. */
    public Optional<String> lastSplit() {
        List<String> s = splits();
        return s.isEmpty() ? Optional.empty() : Optional.of(s.get(s.size() - 1));
    }

    /** Entries of {@code split}, in list order. */
    public List<Entry> entries(String split) {
        Path list = root.resolve(split + ".txt");
        if (!Files.isRegularFile(list)) {
            throw new IllegalArgumentException("no split '" + split + "' in " + root + " (missing " + list + ")");
        }
        try {
            List<Entry> out = new ArrayList<>();
            for (String line : Files.readAllLines(list)) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] parts = t.split("\\s+");
                Path image = resolve(parts[0]);
                Path mask = parts.length > 1 ? resolve(parts[1]) : null;
                out.add(new Entry(split, image, mask != null && Files.isRegularFile(mask) ? mask : null));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path resolve(String listed) {
        // SegNet's original lists carry absolute "/SegNet/CamVid/..." paths: keep the last two parts.
        Path p = Path.of(listed);
        if (p.isAbsolute() && p.getNameCount() >= 2) {
            p = p.subpath(p.getNameCount() - 2, p.getNameCount());
        }
        return root.resolve(p);
    }

    /**
     * One listed frame.
     *
     * @param split split name
     * @param image image path
     * @param mask  ground-truth mask path, or {@code null} when absent
     */
    public record Entry(String split, Path image, Path mask) {

        /** The camera (sequence) this frame belongs to: the file-name prefix before the first '_'. */
        public String camera() {
            String name = image.getFileName().toString();
            int us = name.indexOf('_');
            return us > 0 ? name.substring(0, us) : name.replaceFirst("\\.[^.]*$", "");
        }

        /** File name without extension, used as frame id. */
        public String frameName() {
            return image.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        }
    }

    /** The shared data folder for tests: system property {@code segstream.shared.data} or {@code ../shared/data}. */
    public static Path sharedDataDir() {
        String p = System.getProperty("segstream.shared.data");
        return p != null ? Path.of(p) : Path.of("..", "shared", "data");
    }
}

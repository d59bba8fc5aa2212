package dev.segstream.trainer.online;

import ai.djl.Model;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.UNetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Publishes model versions so a reader never sees half of one: each version is written to a
 * hidden temporary directory, moved into place as {@code online-<utc time>-s<step>/} in one atomic rename, and
 * only then named in {@code LATEST} (itself replaced atomically). Keeps the newest
 * {@value #KEEP} versions.
 */
final class ModelVersions {

    static final String LATEST = "LATEST";
    static final int KEEP = 3;
    private static final String PREFIX = "online-";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Path root;

    ModelVersions(Path root) {
        this.root = root;
    }

    /** Writes the model as version {@code online-<utc time>-s<step>} and points {@code LATEST} at it. */
    Path publish(Model model, UNetSpec spec, long step, float[] mean, float[] std, long samples) {
        // Time first, so names sort by age across restarts (the step count starts again at 0).
        String name = PREFIX + TIME.format(Instant.now()) + String.format(Locale.ROOT, "-s%06d", step);
        try {
            Files.createDirectories(root);
            Path tmp = Files.createTempDirectory(root, ".tmp-" + name);
            ModelArtifacts.save(tmp, model, ModelArtifacts.descriptor(spec, name, list(mean), list(std),
                    "kafka:labelled-frames samples=" + samples, Map.of("step", (double) step)));
            Path target = root.resolve(name);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            Path latestTmp = root.resolve(".LATEST.tmp");
            Files.writeString(latestTmp, name + "\n", StandardCharsets.UTF_8);
            Files.move(latestTmp, root.resolve(LATEST), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            prune();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish model version " + name + " in " + root, e);
        }
    }

    /** The directory {@code LATEST} names, if any. */
    Optional<Path> latest() {
        Path f = root.resolve(LATEST);
        try {
            return Files.isRegularFile(f) ? Optional.of(root.resolve(Files.readString(f).trim())) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prune() throws IOException {
        List<Path> versions = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).sorted().forEach(versions::add);
        }
        for (int i = 0; i < versions.size() - KEEP; i++) {
            try (Stream<Path> walk = Files.walk(versions.get(i))) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static List<Float> list(float[] a) {
        List<Float> l = new ArrayList<>(a.length);
        for (float f : a) {
            l.add(f);
        }
        return l;
    }
}

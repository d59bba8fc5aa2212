package dev.segstream.model.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * A model store in a directory ({@code root/<variant>/<version>/}), shared by the trainer that
 * writes and the segmenters that read (a volume in compose). Writes go to a temporary folder
 * beside the target, every file and the folder are fsynced, then the folder is renamed into place,
 * so a version is either absent or whole. Reads accept only {@code file:} URIs that resolve inside
 * the root (no {@code ..} escape, no symlink leaving it).
 */
public final class DirectoryModelStore implements ModelStore {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final Path root;

    public DirectoryModelStore(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open model store " + root, e);
        }
    }

    /** The store's root folder. */
    public Path root() {
        return root;
    }

    @Override
    public URI put(Path artifactDir, String variant, String version) {
        if (!SAFE.matcher(variant).matches() || !SAFE.matcher(version).matches() || version.startsWith(".")) {
            throw new IllegalArgumentException("unsafe variant or version name: " + variant + "/" + version);
        }
        Path target = root.resolve(variant).resolve(version);
        if (Files.exists(target)) {
            throw new IllegalArgumentException("model store already holds " + variant + "/" + version);
        }
        Path tmp = root.resolve(variant).resolve("." + version + ".tmp-" + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(artifactDir)) {
                for (Path f : files) {
                    if (Files.isRegularFile(f)) {
                        Path copy = tmp.resolve(f.getFileName().toString());
                        Files.copy(f, copy);
                        fsync(copy);
                    }
                }
            }
            fsync(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the model store's file system cannot rename atomically", e);
            }
            fsync(target.getParent());
            return target.toUri();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + variant + "/" + version + " to model store " + root, e);
        }
    }

    @Override
    public Path fetch(URI uri) {
        if (!"file".equals(uri.getScheme())) {
            throw new StoreException("uri", "model URI " + uri + " is not a file: URI of this store (" + root + ")");
        }
        Path p;
        try {
            p = Path.of(uri).normalize();
        } catch (IllegalArgumentException e) {
            throw new StoreException("uri", "invalid model URI " + uri + ": " + e.getMessage());
        }
        if (!p.startsWith(root)) {
            throw new StoreException("uri", "model URI " + uri + " points outside the model store " + root);
        }
        if (!Files.isDirectory(p)) {
            throw new StoreException("missing", "model " + uri + " is not in the store (deleted or never written)");
        }
        try {
            if (!p.toRealPath().startsWith(root)) {
                throw new StoreException("uri", "model URI " + uri + " resolves outside the model store " + root);
            }
        } catch (IOException e) {
            throw new StoreException("missing", "model " + uri + " cannot be read: " + e.getMessage());
        }
        return p;
    }

    private static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}

package dev.segstream.model.store;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where published model artifacts live, addressed by URI. The default is a directory
 * ({@link DirectoryModelStore}); the interface leaves room for object storage, whose
 * {@link #fetch} would copy into a local cache.
 */
public interface ModelStore {

    /**
     * Copies the artifact in {@code artifactDir} into the store as {@code variant/version}, durably
     * (every file fsynced) and atomically (a reader sees all of it or nothing), and returns its URI.
     * Only after this returns may the version be announced.
     *
     * @throws java.io.UncheckedIOException when it cannot be written
     * @throws IllegalArgumentException     when the version already exists or the names are unsafe
     */
    URI put(Path artifactDir, String variant, String version);

    /**
     * A local directory holding the artifact at {@code uri}.
     *
     * @throws StoreException when the URI is not one of this store's (another scheme, or a path
     *                        outside the store) or the artifact is not there
     */
    Path fetch(URI uri);

    /** Why an artifact could not be had from the store. */
    final class StoreException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        /** A refusal with its reason for metrics ({@code uri} or {@code missing}). */
        private final String reason;

        public StoreException(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        /** {@code uri} (outside the store or another scheme) or {@code missing}. */
        public String reason() {
            return reason;
        }
    }
}

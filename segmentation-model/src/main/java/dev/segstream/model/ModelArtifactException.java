package dev.segstream.model;

/** A model artifact directory is missing, incomplete, corrupt or inconsistent. */
public final class ModelArtifactException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelArtifactException(String message) {
        super(message);
    }

    public ModelArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}

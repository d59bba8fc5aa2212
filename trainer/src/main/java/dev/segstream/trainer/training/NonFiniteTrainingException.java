package dev.segstream.trainer.training;

/**
 * Training stopped because too many steps in a row had a NaN or infinite loss or gradients; the
 * message is one line naming the step and the likely cause.
 */
public final class NonFiniteTrainingException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public NonFiniteTrainingException(String message) {
        super(message);
    }

    /** The same failure with where it happened (e.g. {@code epoch 3, step 12/46}) in front. */
    NonFiniteTrainingException at(String where) {
        NonFiniteTrainingException e = new NonFiniteTrainingException(where + ": " + getMessage());
        e.setStackTrace(getStackTrace());
        return e;
    }
}

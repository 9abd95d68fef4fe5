package dev.irsa.plan;

import dev.irsa.IrsaException;

/** A plan could not be made or cannot be applied. Subtypes say why. */
public class PlanException extends IrsaException {
    private static final long serialVersionUID = 1L;

    public PlanException(String message) {
        super(message);
    }

    public PlanException(String message, Throwable cause) {
        super(message, cause);
    }
}

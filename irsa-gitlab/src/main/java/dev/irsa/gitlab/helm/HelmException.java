package dev.irsa.gitlab.helm;

import dev.irsa.IrsaException;

/** Helm failed; the message carries Helm's own reason (never secret values). */
public class HelmException extends IrsaException {
    private static final long serialVersionUID = 1L;

    public HelmException(String message, Throwable cause) {
        super(message, cause);
    }

    public HelmException(String message) {
        super(message);
    }
}

package dev.irsa.kubernetes;

import dev.irsa.IrsaException;

/** Every attempt to write an object hit a resourceVersion conflict (HTTP 409); the retry budget ran out. */
public class KubernetesConflictException extends IrsaException {
    private static final long serialVersionUID = 1L;

    public KubernetesConflictException(String target, int attempts) {
        super(target + ": still conflicting (HTTP 409) after " + attempts + " attempts; someone else keeps changing it");
    }
}

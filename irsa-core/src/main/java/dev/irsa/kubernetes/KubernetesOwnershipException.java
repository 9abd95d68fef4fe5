package dev.irsa.kubernetes;

import dev.irsa.IrsaException;

/**
 * An existing object is not marked as irsa's (labels {@code app.kubernetes.io/managed-by=irsa} and
 * {@code irsa.dev/stack=<stack>}), so irsa refuses to take it over. Pass {@code adopt(true)} to take over
 * an unmarked object on purpose.
 */
public class KubernetesOwnershipException extends IrsaException {
    private static final long serialVersionUID = 1L;

    private final String target;

    public KubernetesOwnershipException(String target, String message) {
        super(target + ": " + message);
        this.target = target;
    }

    /** e.g. {@code ServiceAccount ci/runner-jobs}. */
    public String target() {
        return target;
    }
}

package dev.irsa.plan;

import dev.irsa.IrsaException;

/**
 * Thrown by {@link Resource#delete} when, at the moment of deleting, the object turns out to be needed by
 * something outside the plan (e.g. an OIDC provider another role still trusts), so it stays. This is not a
 * failure: the change is recorded {@link ChangeOutcome.Status#KEPT} with this reason, never retried, and the
 * result still {@linkplain ApplyResult#succeeded() succeeds}, so a destroy does not claim to have deleted it.
 */
public class KeptOnDestroyException extends IrsaException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /** {@code reason}: why it stays, e.g. {@code still trusted by roles [other-team-role]}. */
    public KeptOnDestroyException(String reason) {
        super("kept: " + reason);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}

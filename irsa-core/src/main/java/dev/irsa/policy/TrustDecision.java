package dev.irsa.policy;

/**
 * The answer of {@link TrustEvaluator}: whether the call is allowed, and why in words: which statement
 * allowed it, or for a denial which statement denied explicitly / which condition key failed with the
 * expected and the actual values.
 *
 * <pre>{@code
 * TrustDecision d = TrustEvaluator.evaluate(trust, request);
 * if (!d.allowed()) {
 *     System.err.println(d.explanation());
 *     // implicitly denied: no Allow statement applies. Statement[0] (Allow): condition StringEquals
 *     //   oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub: expected one of
 *     //   ["system:serviceaccount:dev:app-deployer"]; request has ["system:serviceaccount:prod:app-deployer"]
 * }
 * }</pre>
 */
public record TrustDecision(boolean allowed, String explanation) {
    /**
     * @param allowed     whether {@code sts:AssumeRoleWithWebIdentity} is allowed
     * @param explanation why, never blank
     */
    public TrustDecision {
        if (explanation == null || explanation.isBlank()) {
            throw new IllegalArgumentException("a decision needs an explanation");
        }
    }

    @Override
    public String toString() {
        return (allowed ? "ALLOWED: " : "DENIED: ") + explanation;
    }
}

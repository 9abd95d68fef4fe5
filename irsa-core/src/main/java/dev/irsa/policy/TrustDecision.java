package dev.irsa.policy;

/** PLACEHOLDER (replaced on merge by the policy helper's version): the outcome of evaluating a trust policy. */
public record TrustDecision(boolean allowed, String explanation) {
}

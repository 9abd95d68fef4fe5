package dev.irsa.testing;

/** The services an {@link IrsaSandbox} stands in for: where faults go and how calls are grouped. */
public enum Service {
    IAM, STS, EKS, KUBERNETES, GITLAB, HELM;

    /** True for the in-memory AWS SDK clients (IAM, STS, EKS). */
    public boolean isAws() {
        return this == IAM || this == STS || this == EKS;
    }
}

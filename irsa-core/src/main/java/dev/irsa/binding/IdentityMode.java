package dev.irsa.binding;

/** How a workload gets the role's credentials. */
public enum IdentityMode {
    /** IAM Roles for Service Accounts: the cluster's OIDC issuer, a web-identity trust, an annotated SA (the walkthrough). */
    IRSA,
    /** EKS Pod Identity: principal {@code pods.eks.amazonaws.com} and a pod identity association instead of an annotation. */
    POD_IDENTITY,
    /** GitLab CI {@code id_tokens}: GitLab's issuer as OIDC provider, trust on the project/ref {@code sub}; no cluster. */
    GITLAB_OIDC
}

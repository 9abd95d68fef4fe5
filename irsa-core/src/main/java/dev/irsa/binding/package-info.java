/**
 * One IAM role bound to one identity, as plan resources: {@link dev.irsa.binding.RoleBinding} (IRSA, EKS Pod
 * Identity, GitLab OIDC), turned by {@link dev.irsa.binding.RoleBinding#resources} into the OIDC provider, the
 * role, the namespace and the annotated service account (or the pod identity association), and proved by
 * {@link dev.irsa.binding.RoleBinding#verify} ({@link dev.irsa.binding.VerifyReport}: each check PASS/FAIL with
 * cause and fix).
 */
package dev.irsa.binding;

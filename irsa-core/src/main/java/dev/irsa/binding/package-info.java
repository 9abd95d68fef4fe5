/**
 * One IAM role bound to one identity, as plan resources: {@link dev.irsa.binding.RoleBinding} (IRSA, EKS Pod
 * Identity, GitLab OIDC), turned by {@link dev.irsa.binding.RoleBinding#resources} into the OIDC provider, the
 * role, the namespace, the service account (IRSA: annotated with the role; Pod Identity: without annotation, plus
 * the pod identity association naming it), and proved by
 * {@link dev.irsa.binding.RoleBinding#verify} ({@link dev.irsa.binding.VerifyReport}: each check PASS/FAIL with
 * cause and fix).
 */
package dev.irsa.binding;

/**
 * The entry points of irsa-core: {@link dev.irsa.Irsa}, the facade that plans, applies, verifies and destroys
 * {@link dev.irsa.binding.RoleBinding}s (one, or many as one plan), serialised by a {@link dev.irsa.StackLock};
 * {@link dev.irsa.IrsaEndpoints}, real AWS and Kubernetes opened from the default credential chain and a
 * kubeconfig; and the errors every module shares ({@link dev.irsa.IrsaException},
 * {@link dev.irsa.ValidationException}). irsa-gitlab adds the runner on top; nothing here needs GitLab or Helm.
 */
package dev.irsa;

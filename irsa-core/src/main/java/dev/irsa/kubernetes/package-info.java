/**
 * The Kubernetes side of IRSA over fabric8: {@link dev.irsa.kubernetes.KubernetesExecutor} ensures the
 * namespace, the service-account binding ({@link dev.irsa.kubernetes.ServiceAccountBinding}), the runner-token
 * Secret ({@link dev.irsa.kubernetes.RunnerTokenSecret}), checks that pods got the webhook's credentials and
 * requests service-account tokens for verification.
 *
 * <p>How writes are made, and why: create when missing; otherwise an RFC 6902 JSON Patch of only the differing
 * keys whose first operation writes back the resourceVersion that was read, so a concurrent change fails with
 * 409 and is retried from a fresh read (bounded, with an injected {@link dev.irsa.Sleeper}). No server-side apply
 * or strategic merge: fabric8's mock server lacks both, and tests must run the same path as real clusters.
 * Rollout restarts use a JSON merge patch of the pod template, as {@code kubectl rollout restart} does.
 *
 * <p>Ownership: objects carry {@code app.kubernetes.io/managed-by=irsa} and {@code irsa.dev/stack=<stack>}
 * ({@link dev.irsa.kubernetes.IrsaMetadata}); unmarked objects are never taken over unless adopted, and never
 * deleted. A delete of something already gone is success.
 */
package dev.irsa.kubernetes;

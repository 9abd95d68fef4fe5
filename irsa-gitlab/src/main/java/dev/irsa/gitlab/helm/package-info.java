/**
 * Helm behind a small interface ({@link dev.irsa.gitlab.helm.HelmExecutor}); the helm-java implementation
 * is {@link dev.irsa.gitlab.helm.HelmJavaExecutor}; irsa-testing has an in-memory {@code FakeHelm}.
 */
package dev.irsa.gitlab.helm;

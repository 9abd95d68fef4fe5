/**
 * Helm behind a small interface ({@link dev.irsa.gitlab.helm.HelmExecutor}); the helm-java implementation
 * is {@link dev.irsa.gitlab.helm.HelmJavaExecutor}; irsa-testing has an in-memory {@code FakeHelm}.
 *
 * <p>{@link dev.irsa.gitlab.helm.HelmExecutor#values} reads a release's user-supplied values back
 * ({@code helm get values}) without the secret keys, so the runner stack can tell its own releases (marked
 * in {@code deploymentLabels}) from foreign ones and detect values drift.
 */
package dev.irsa.gitlab.helm;

package dev.irsa.gitlab.helm;

import java.util.Optional;

/**
 * Installs the gitlab-runner chart. Implementations: {@link HelmJavaExecutor} (helm-java, embedded Helm)
 * and, in irsa-testing, {@code FakeHelm}; a {@code helm} CLI implementation can be plugged in the same way.
 *
 * <pre>{@code
 * HelmExecutor helm = new HelmJavaExecutor(kubeConfig);
 * HelmRelease release = helm.upgrade(HelmReleaseRequest.builder()
 *         .releaseName("app-dev-runner").namespace("dev")
 *         .chart(HelmChart.repository("gitlab/gitlab-runner", "0.86.0"))
 *         .values(runnerValues.toYaml()).build());
 * }</pre>
 */
public interface HelmExecutor {
    /** {@code helm install}; fails if the release exists. */
    HelmRelease install(HelmReleaseRequest request);

    /** {@code helm upgrade --install}: re-runnable. */
    HelmRelease upgrade(HelmReleaseRequest request);

    /** {@code helm uninstall}; a release that is already gone is success. */
    void uninstall(String releaseName, String namespace);

    /** {@code helm status}; empty when there is no such release. */
    Optional<HelmRelease> status(String releaseName, String namespace);

    /** {@code helm template}: the rendered manifests, no cluster needed. */
    String template(HelmReleaseRequest request);
}

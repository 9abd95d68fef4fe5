package dev.irsa.gitlab.helm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /**
     * {@code helm get values}: the user-supplied values of the deployed revision, without the keys irsa
     * hands to Helm as secret values ({@link #SECRET_VALUE_KEYS}); empty when there is no such release.
     * Secret values never come back through this method, so they never reach a plan.
     */
    Optional<Map<String, Object>> values(String releaseName, String namespace);

    /**
     * The release's status and user-supplied values (secret keys stripped as by {@link #values}) in one
     * read where the backend allows it; empty when there is no such release. This default makes the two
     * reads {@link #status} and {@link #values}; {@link HelmJavaExecutor} makes the same two, reading the
     * values of the revision the status reported (helm-java offers no structured status, such as
     * {@code helm status -o json} whose {@code config} holds these values).
     */
    default Optional<HelmReleaseWithValues> statusWithValues(String releaseName, String namespace) {
        Optional<HelmRelease> status = status(releaseName, namespace);
        if (status.isEmpty()) {
            return Optional.empty();
        }
        // empty when it was uninstalled between the two reads
        return values(releaseName, namespace).map(v -> new HelmReleaseWithValues(status.get(), v));
    }

    /** {@code helm template}: the rendered manifests, no cluster needed. */
    String template(HelmReleaseRequest request);

    /**
     * Top-level value keys that carry secrets (the gitlab-runner chart's inline tokens): irsa passes them
     * with {@code --set} and strips them from whatever {@link #values} reads back.
     */
    Set<String> SECRET_VALUE_KEYS = Set.of("runnerToken", "runnerRegistrationToken");

    /**
     * {@code values} without {@link #SECRET_VALUE_KEYS} and without {@code extraSecretKeys} (dotted
     * {@code --set} paths such as {@code runners.token}); a nested map left empty by the removal is dropped.
     */
    static Map<String, Object> withoutSecrets(Map<String, Object> values, Set<String> extraSecretKeys) {
        Map<String, Object> copy = deepCopy(values);
        for (String key : SECRET_VALUE_KEYS) {
            copy.remove(key);
        }
        for (String path : extraSecretKeys) {
            removePath(copy, path.split("\\."), 0);
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static void removePath(Map<String, Object> map, String[] path, int i) {
        if (i == path.length - 1) {
            map.remove(path[i]);
        } else if (map.get(path[i]) instanceof Map<?, ?> child) {
            removePath((Map<String, Object>) child, path, i + 1);
            if (child.isEmpty()) {
                map.remove(path[i]);
            }
        }
    }
}

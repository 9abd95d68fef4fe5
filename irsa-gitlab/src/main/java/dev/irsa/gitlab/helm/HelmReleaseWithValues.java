package dev.irsa.gitlab.helm;

import java.util.Map;
import java.util.Objects;

/**
 * A release as {@link HelmExecutor#statusWithValues} reads it: its status and the user-supplied values of
 * its deployed revision, without the secret keys (see {@link HelmExecutor#values}).
 */
public record HelmReleaseWithValues(HelmRelease release, Map<String, Object> values) {
    public HelmReleaseWithValues {
        Objects.requireNonNull(release, "release");
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}

package dev.irsa.gitlab.api;

import dev.irsa.SecretString;

/**
 * Where a new runner's {@code glrt-} token goes, the moment GitLab returns it (it is shown once). The
 * runner stack wires this to the Kubernetes Secret named by the chart's {@code runners.secret}
 * ({@code runner-token} = the token, {@code runner-registration-token} = ""). Nothing else sees it.
 */
@FunctionalInterface
public interface RunnerTokenSink {
    void store(SecretString token);
}

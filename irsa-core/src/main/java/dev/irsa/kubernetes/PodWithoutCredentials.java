package dev.irsa.kubernetes;

import java.util.List;

/**
 * A pod that runs under the bound service account but lacks the injected web-identity environment,
 * typically because it started before the role annotation was set.
 *
 * @param containers containers missing {@code AWS_ROLE_ARN} or {@code AWS_WEB_IDENTITY_TOKEN_FILE}
 * @param owner      the workload to restart so new pods get credentials
 */
public record PodWithoutCredentials(String pod, List<String> containers, Workload owner) {
    public PodWithoutCredentials {
        containers = List.copyOf(containers);
    }
}

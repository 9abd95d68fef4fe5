package dev.irsa.gitlab.helm;

import dev.irsa.validation.Validators;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a chart comes from: a local directory/archive, or a repository reference with a version. A
 * {@code repo/chart} reference needs that repository in Helm's repository config (for the runner:
 * {@code helm repo add gitlab <GitLab chart repository URL>}); an {@code oci://} or {@code https://...tgz}
 * reference does not.
 */
public record HelmChart(Optional<Path> localPath, Optional<String> reference, Optional<String> version) {
    /** The chart irsa's values are written for. */
    public static final String GITLAB_RUNNER_VERSION = "0.86.0";

    public HelmChart {
        Objects.requireNonNull(localPath);
        Objects.requireNonNull(reference);
        Objects.requireNonNull(version);
        if (localPath.isPresent() == reference.isPresent()) {
            throw new IllegalArgumentException("a chart is either a local path or a repository reference");
        }
    }

    public static HelmChart local(Path path) {
        return new HelmChart(Optional.of(path), Optional.empty(), Optional.empty());
    }

    /** e.g. {@code repository("gitlab/gitlab-runner", "0.86.0")} or an {@code oci://} reference. */
    public static HelmChart repository(String reference, String version) {
        Validators.notBlank("chart.reference", reference);
        return new HelmChart(Optional.empty(), Optional.of(reference), Optional.ofNullable(version));
    }

    public static HelmChart gitlabRunner() {
        return repository("gitlab/gitlab-runner", GITLAB_RUNNER_VERSION);
    }

    @Override
    public String toString() {
        return localPath.map(Path::toString).orElseGet(() -> reference.get() + version.map(v -> "@" + v).orElse(""));
    }
}

package dev.irsa.gitlab.stack;

import dev.irsa.binding.BindingBackends;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.helm.HelmChart;
import dev.irsa.gitlab.helm.HelmExecutor;
import java.util.Objects;
import java.util.Optional;
import org.gitlab4j.api.GitLabApi;

/**
 * Everything a {@link RunnerStack} talks to: the binding's backends (AWS, Kubernetes, STS), GitLab, Helm
 * and the chart to install. {@code gitlabApi} is only needed to read and remove the pipeline file.
 */
public record StackBackends(BindingBackends binding, GitLabExecutor gitlab, HelmExecutor helm, HelmChart chart,
                            Optional<GitLabApi> gitlabApi) {
    public StackBackends {
        Objects.requireNonNull(binding, "binding backends");
        Objects.requireNonNull(gitlab, "gitlab executor");
        Objects.requireNonNull(helm, "helm executor");
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(gitlabApi, "gitlabApi");
    }
}

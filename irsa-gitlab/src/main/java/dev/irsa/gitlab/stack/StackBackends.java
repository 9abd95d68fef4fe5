package dev.irsa.gitlab.stack;

import dev.irsa.binding.BindingBackends;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.helm.HelmChart;
import dev.irsa.gitlab.helm.HelmExecutor;
import java.util.Objects;

/**
 * Everything a {@link RunnerStack} talks to: the binding's backends (AWS, Kubernetes, STS), GitLab, Helm
 * and the chart to install. Every GitLab call goes through {@code gitlab}, whose clients never follow a redirect.
 */
public record StackBackends(BindingBackends binding, GitLabExecutor gitlab, HelmExecutor helm, HelmChart chart) {
    public StackBackends {
        Objects.requireNonNull(binding, "binding backends");
        Objects.requireNonNull(gitlab, "gitlab executor");
        Objects.requireNonNull(helm, "helm executor");
        Objects.requireNonNull(chart, "chart");
    }
}

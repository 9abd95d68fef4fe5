package dev.irsa.gitlab.stack;

import dev.irsa.EndpointSetupException;
import dev.irsa.IrsaEndpoints;
import dev.irsa.Preflight;
import dev.irsa.PreflightReport;
import dev.irsa.StackLock;
import dev.irsa.binding.VerifyCheck;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.helm.HelmExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Preflight} for a runner stack: the AWS and Kubernetes checks of its binding (plus the runner's Secret and
 * the gitlab-runner chart's objects on the cluster), then GitLab (the token, its scopes, the user's access level on
 * the project or group) and Helm (the release's state and ownership marks). Read-only.
 *
 * <pre>{@code
 * PreflightReport report = StackPreflight.check(stack, StackEndpoints.builder()
 *         .endpoints(e -> e.region("eu-west-1")).gitlabUrl("https://gitlab.example.com"));
 * System.out.println(report.render());
 * }</pre>
 */
public final class StackPreflight {
    private StackPreflight() {
    }

    /**
     * On real endpoints, set up as {@link StackEndpoints} would be; a missing kubeconfig, region, AWS credentials or
     * GitLab token is a failed check naming where irsa looked, and what can still be checked is.
     */
    public static PreflightReport check(RunnerStack stack, StackEndpoints.Builder endpoints) {
        StackLock lock = endpoints.stackLock();
        Preflight.Builder core = Preflight.builder().endpoints(endpoints.coreSettingsConsumer())
                .lockNamespace(lock.enabled() ? Optional.of(lock.namespace()) : Optional.empty());
        PreflightReport report = withRunnerAccess(stack, core).build().check(stack.binding());
        List<VerifyCheck> runner = new ArrayList<>();
        try (GitLabExecutor gitlab = new GitLabExecutor(endpoints.connection())) {
            runner.addAll(RunnerPreflight.gitlab(stack, gitlab.tokenAccess()));
        } catch (EndpointSetupException e) {
            runner.add(VerifyCheck.fail(RunnerPreflight.TOKEN, e.problem(), e.problem() + "; looked at: " + String.join("; ", e.lookedAt()), e.fix()));
        }
        IrsaEndpoints opened;
        try {
            IrsaEndpoints.Builder settings = IrsaEndpoints.builder();
            endpoints.coreSettingsConsumer().accept(settings);
            opened = settings.open();
        } catch (EndpointSetupException e) {
            runner.add(VerifyCheck.skipped(RunnerPreflight.RELEASE, "Helm uses the same kubeconfig and AWS credentials: " + e.problem()));
            return report.plus(runner);
        }
        try (opened) {
            runner.add(RunnerPreflight.helm(stack, StackEndpoints.Builder.helm(opened)));
        } catch (EndpointSetupException e) {
            runner.add(VerifyCheck.fail(RunnerPreflight.RELEASE, "Helm's kubeconfig", e.problem(), e.fix()));
        }
        return report.plus(runner);
    }

    /**
     * On executors you already have (e.g. a sandbox's): {@code core} set with {@link Preflight.Builder#aws} and
     * {@link Preflight.Builder#kubernetes}.
     */
    public static PreflightReport check(RunnerStack stack, Preflight.Builder core, GitLabExecutor gitlab, HelmExecutor helm) {
        PreflightReport report = withRunnerAccess(stack, core).build().check(stack.binding());
        List<VerifyCheck> runner = new ArrayList<>(RunnerPreflight.gitlab(stack, gitlab.tokenAccess()));
        runner.add(RunnerPreflight.helm(stack, helm));
        return report.plus(runner);
    }

    private static Preflight.Builder withRunnerAccess(RunnerStack stack, Preflight.Builder core) {
        return core.kubernetesAccess(RunnerPreflight.kubernetesAccess(stack));
    }
}

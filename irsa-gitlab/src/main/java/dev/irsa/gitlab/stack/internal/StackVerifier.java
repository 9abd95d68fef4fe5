package dev.irsa.gitlab.stack.internal;

import dev.irsa.SecretString;
import dev.irsa.binding.VerifyCheck;
import dev.irsa.binding.VerifyReport;
import dev.irsa.gitlab.api.RunnerInfo;
import dev.irsa.gitlab.helm.HelmRelease;
import dev.irsa.gitlab.runner.RunnerValues;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.gitlab.stack.StackBackends;
import dev.irsa.kubernetes.Drift;
import dev.irsa.kubernetes.RunnerTokenSecret;
import dev.irsa.kubernetes.SecretObservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Verify for a runner stack: the binding's checks, then the runner config, Secret, release and registration. */
public final class StackVerifier {
    public static final String RUNNER_CONFIG = "runner-config";
    public static final String SECRET = "runner-secret";
    public static final String RELEASE = "helm-release";
    public static final String REGISTRATION = "runner-registered";
    public static final String ONLINE = "runner-online";
    private static final SecretString PROBE = SecretString.of("irsa-observe-only");

    private StackVerifier() {
    }

    public static VerifyReport verify(RunnerStack stack, StackBackends backends) {
        VerifyReport report = stack.binding().verify(backends.binding());
        List<VerifyCheck> checks = new ArrayList<>();
        checks.add(runnerConfig(stack));
        checks.add(secret(stack, backends));
        checks.add(release(stack, backends));
        Optional<RunnerInfo> runner = backends.gitlab().findRunner(new StackResources.Scope(stack, backends).runnerSpec());
        checks.add(registration(stack, runner));
        runner.ifPresent(r -> checks.add(online(stack, r)));
        return report.plus(checks);
    }

    static VerifyCheck runnerConfig(RunnerStack stack) {
        RunnerValues values = stack.runnerValues();
        String sa = stack.jobServiceAccount().name();
        String ns = stack.jobServiceAccount().namespace();
        if (!sa.equals(values.jobs().serviceAccount()) || !ns.equals(values.jobs().namespace())) {
            return VerifyCheck.fail(RUNNER_CONFIG, "job pods would run as " + values.jobs().namespace() + "/" + values.jobs().serviceAccount(),
                    "the runner's service_account is not the bound service account", "set the job service account to " + ns + "/" + sa);
        }
        return VerifyCheck.pass(RUNNER_CONFIG, "runners.config sets namespace = " + ns + ", service_account = " + sa);
    }

    static VerifyCheck secret(RunnerStack stack, StackBackends backends) {
        SecretObservation live = backends.binding().requireKubernetes("the runner Secret").observeRunnerSecret(
                StackResources.secretSpec(stack, PROBE));
        String name = stack.releaseNamespace() + "/" + stack.runner().secretName();
        if (!live.exists()) {
            return VerifyCheck.fail(SECRET, "Secret " + name + " does not exist",
                    "the chart cannot start the runner manager without its token Secret", "run apply (it registers the runner again)");
        }
        List<String> missing = live.drift().stream().filter(d -> d.actual() == null && d.field().startsWith("data["))
                .map(Drift::field).toList();
        if (!missing.isEmpty()) {
            return VerifyCheck.fail(SECRET, "Secret " + name + " lacks " + missing,
                    "chart 0.86 needs both " + RunnerTokenSecret.RUNNER_TOKEN_KEY + " and " + RunnerTokenSecret.REGISTRATION_TOKEN_KEY + " (empty)",
                    "delete the Secret and run apply");
        }
        return VerifyCheck.pass(SECRET, "Secret " + name + " holds " + RunnerTokenSecret.RUNNER_TOKEN_KEY + " and "
                + RunnerTokenSecret.REGISTRATION_TOKEN_KEY);
    }

    static VerifyCheck release(RunnerStack stack, StackBackends backends) {
        Optional<HelmRelease> live = backends.helm().status(stack.runner().releaseName(), stack.releaseNamespace());
        String name = stack.releaseNamespace() + "/" + stack.runner().releaseName();
        if (live.isEmpty()) {
            return VerifyCheck.fail(RELEASE, "release " + name + " is not installed", "the runner manager is not deployed", "run apply");
        }
        if (!live.get().deployed()) {
            return VerifyCheck.fail(RELEASE, "release " + name + " is " + live.get().status(),
                    "the last helm install/upgrade did not succeed", "check the release's pods and events, then run apply");
        }
        return VerifyCheck.pass(RELEASE, "release " + name + " revision " + live.get().revision() + " is deployed");
    }

    static VerifyCheck registration(RunnerStack stack, Optional<RunnerInfo> runner) {
        if (runner.isEmpty()) {
            return VerifyCheck.fail(REGISTRATION, "no runner irsa:" + stack.name() + "/" + stack.runner().name() + " in GitLab",
                    "the runner was removed in GitLab", "run apply (it registers a new runner and stores its token)");
        }
        return VerifyCheck.pass(REGISTRATION, "runner " + runner.get().id() + " is registered with tags " + runner.get().tags());
    }

    static VerifyCheck online(RunnerStack stack, RunnerInfo r) {
        // GitLab's online is the contact alone (Ci::Runner#online?); a paused runner is online and picks no job
        if (r.paused()) {
            return VerifyCheck.fail(ONLINE, "runner " + r.id() + " is paused: it picks no new job",
                    "someone paused the runner in GitLab", "run apply (it unpauses the runner)");
        }
        if (r.online()) {
            return VerifyCheck.pass(ONLINE, "runner " + r.id() + " is online");
        }
        if ("never_contacted".equals(r.status())) {
            return VerifyCheck.skipped(ONLINE, "runner " + r.id() + " has not contacted GitLab yet (the manager may still be starting)");
        }
        return VerifyCheck.fail(ONLINE, "runner " + r.id() + " is " + r.status(),
                "the runner manager does not reach GitLab (not running, token revoked, or no network to " + stack.runner().gitlabUrl() + ")",
                "check the release's pod logs; if the token was revoked, delete the Secret and apply");
    }
}

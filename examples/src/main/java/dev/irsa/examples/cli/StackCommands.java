package dev.irsa.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code irsa plan|apply|verify|destroy --spec FILE [--iam-only] (--sandbox | real endpoints)}. With
 * {@code --iam-only} only the stack's IAM part (its OIDC provider and role) is planned, applied, verified or
 * destroyed: the walkthrough's evening teardown and morning restore, e.g. from cron. It needs no GitLab token
 * and calls neither GitLab nor Helm; Kubernetes only for the stack's lock (a Lease, skip it with
 * {@code --no-lock}) and, for verify, the service-account token exchanged at STS.
 */
final class StackCommands {
    /** Environment lookup for the GitLab token; tests replace it. */
    static Function<String, String> environment = System::getenv;

    private StackCommands() {
    }

    /** Options every stack command shares. The GitLab token is only ever read from an environment variable. */
    static final class Target {
        @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The stack spec (YAML), e.g. examples/stacks/seed.yaml.")
        Path spec;
        @Option(names = "--environment", paramLabel = "NAME", description = "Only this environment of the spec (default: all of them).")
        String environmentName;
        @Option(names = "--sandbox", description = "Run against the embedded sandbox (fake AWS, Kubernetes, GitLab, Helm); it starts empty.")
        boolean sandbox;
        @Option(names = "--aws-endpoint", paramLabel = "URL", description = "AWS endpoint override (e.g. a local emulator). Credentials: the AWS default provider chain.")
        URI awsEndpoint;
        @Option(names = "--region", description = "AWS region (default: the spec's cluster region, else AWS_REGION or the AWS profile's region).")
        String region;
        @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig file (default: the usual lookup).")
        Path kubeconfig;
        @Option(names = "--context", description = "Kubeconfig context.")
        String context;
        @Option(names = "--gitlab-url", paramLabel = "URL", description = "GitLab URL (default: the spec's runner.gitlabUrl).")
        String gitlabUrl;
        @Option(names = "--gitlab-token-env", paramLabel = "VAR", defaultValue = "IRSA_GITLAB_TOKEN",
                description = "Environment variable holding the GitLab token (create_runner scope; default: ${DEFAULT-VALUE}). Never passed as a flag.")
        String gitlabTokenEnv;
        @Option(names = "--allow-insecure-http", description = "Accept a plain http:// GitLab URL on a host that is not loopback "
                + "(the GitLab token then crosses the network unencrypted). Without it such a URL is refused.")
        boolean allowInsecureHttp;
        @Option(names = "--lock-namespace", paramLabel = "NS", defaultValue = "default",
                description = "Namespace of the stack's lock (a Lease irsa-lock-<stack>) that keeps two runs of one stack apart (default: ${DEFAULT-VALUE}).")
        String lockNamespace;
        @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "660",
                description = "How long apply/destroy wait for another run's lock (default: ${DEFAULT-VALUE}, longer than the lock's 600 s TTL).")
        long lockWaitSeconds;
        @Option(names = "--no-lock", description = "Do not take the stack's lock (e.g. no rights on leases).")
        boolean noLock;
    }

    /** The stack operations; the work is in {@link StackRunner}, loaded only when a command runs. */
    enum Operation { PLAN, APPLY, VERIFY, DESTROY }

    abstract static class StackCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Target target;
        @Option(names = "--iam-only", description = {"Only the IAM part: the role, and the OIDC provider unless another role trusts it.",
                "No GitLab token, no GitLab or Helm calls; the namespace, service account, runner and release stay as they are."})
        boolean iamOnly;
        @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
                description = "text (default) or json: one JSON document on stdout (schemaVersion 1, see examples/OUTPUT-JSON.md); the human text goes to stderr.")
        JsonOutput.Format output;

        abstract Operation operation();

        @Override
        public Integer call() {
            return StackRunner.run(operation(), target, iamOnly, spec.commandLine().getOut(), spec.commandLine().getErr(), output);
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Show what apply would change (reads only).")
    static final class Plan_ extends StackCommand {
        @Override
        Operation operation() {
            return Operation.PLAN;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Plan, then make the changes in dependency order, showing progress.")
    static final class Apply extends StackCommand {
        @Override
        Operation operation() {
            return Operation.APPLY;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Prove the stack works: a service-account token exchanged at STS, the annotation, the runner, the Secret, pods.",
                    "Failures come with a cause and a fix. Exit 1 when a check fails. On --sandbox the stack is applied first."})
    static final class Verify extends StackCommand {
        @Override
        Operation operation() {
            return Operation.VERIFY;
        }
    }

    @Command(name = "destroy", mixinStandardHelpOptions = true,
            description = {"Delete what irsa owns in the stack, dependents first. On --sandbox the stack is applied first."})
    static final class Destroy extends StackCommand {
        @Override
        Operation operation() {
            return Operation.DESTROY;
        }
    }
}

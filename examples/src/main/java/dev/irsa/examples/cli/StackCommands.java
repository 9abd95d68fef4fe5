package dev.irsa.examples.cli;

import dev.irsa.SecretString;
import dev.irsa.binding.VerifyReport;
import dev.irsa.examples.IrsaTarget;
import dev.irsa.gitlab.stack.Irsa;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ProgressPrinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code irsa plan|apply|verify|destroy --spec FILE (--sandbox | real endpoints)}. */
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
        @Option(names = "--region", description = "AWS region (default: the spec's cluster region).")
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

        List<RunnerStack> stacks() {
            RunnerStack stack = RunnerStack.fromYaml(LintCommand.read(spec));
            List<RunnerStack> all = stack.expand();
            if (environmentName == null) {
                return all;
            }
            String wanted = stack.name() + "-" + environmentName;
            List<RunnerStack> one = all.stream().filter(s -> s.name().equals(wanted)).toList();
            if (one.isEmpty()) {
                throw new dev.irsa.ValidationException("--environment", environmentName, "one of the spec's environments " + stack.environments().keySet());
            }
            return one;
        }

        IrsaTarget open(RunnerStack stack) {
            if (sandbox) {
                return IrsaTarget.sandbox(stack);
            }
            String token = environment.apply(gitlabTokenEnv);
            if (token == null || token.isBlank()) {
                throw new IrsaCli.UsageException("set the GitLab token in the environment variable " + gitlabTokenEnv
                        + " (or use --sandbox); it is never taken from a flag");
            }
            String awsRegion = region != null ? region : stack.binding().cluster().flatMap(c -> c.region())
                    .orElseThrow(() -> new IrsaCli.UsageException("--region is needed: the spec's cluster has no region"));
            String url = gitlabUrl != null ? gitlabUrl : stack.runner().gitlabUrl();
            return IrsaTarget.endpoints(new IrsaTarget.Endpoints(awsRegion, Optional.ofNullable(awsEndpoint), Optional.ofNullable(kubeconfig),
                    Optional.ofNullable(context), url, SecretString.of(token)));
        }
    }

    /** Runs {@code body} for each stack of the spec on its target; the exit code is the worst one. */
    abstract static class StackCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Mixin
        Target target;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int exit = IrsaCli.OK;
            for (RunnerStack declared : target.stacks()) {
                try (IrsaTarget on = target.open(declared)) {
                    RunnerStack stack = on.adapt(declared);
                    if (on.sandbox().isPresent()) {
                        out.println("(sandbox: account " + on.sandbox().get().accountId() + ", cluster " + on.sandbox().get().clusterName()
                                + ", GitLab " + on.sandbox().get().gitlabUrl() + "; it starts empty)");
                    }
                    exit = Math.max(exit, run(on.irsa(), stack, out, on.sandbox().isPresent()));
                }
            }
            out.flush();
            return exit;
        }

        abstract int run(Irsa irsa, RunnerStack stack, PrintWriter out, boolean sandbox);

        static PrintStream stream(PrintWriter out) {
            return WriterOutputStream.printStream(out);
        }

        /** On the empty sandbox there is nothing to verify or destroy until the stack is applied: say so and do it. */
        static void applyFirstOnSandbox(Irsa irsa, RunnerStack stack, PrintWriter out, boolean sandbox) {
            if (sandbox) {
                out.println("(sandbox: applying stack " + stack.name() + " first: " + irsa.apply(stack, ApplyListener.NONE).summary() + ")");
            }
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Show what apply would change (reads only).")
    static final class Plan_ extends StackCommand {
        @Override
        int run(Irsa irsa, RunnerStack stack, PrintWriter out, boolean sandbox) {
            Plan plan = irsa.plan(stack);
            out.println(plan.render().stripTrailing());
            return plan.refused() > 0 ? IrsaCli.FAILED : IrsaCli.OK;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true, description = "Plan, then make the changes in dependency order, showing progress.")
    static final class Apply extends StackCommand {
        @Override
        int run(Irsa irsa, RunnerStack stack, PrintWriter out, boolean sandbox) {
            Plan plan = irsa.plan(stack);
            out.println(plan.render().stripTrailing());
            if (!plan.hasChanges()) {
                return IrsaCli.OK;
            }
            PrintStream progress = stream(out);
            ApplyResult result = irsa.apply(stack, new ProgressPrinter(progress));
            progress.flush();
            out.println("Apply complete: " + result.summary());
            return result.succeeded() ? IrsaCli.OK : IrsaCli.FAILED;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Prove the stack works: a service-account token exchanged at STS, the annotation, the runner, the Secret, pods.",
                    "Failures come with a cause and a fix. Exit 1 when a check fails."})
    static final class Verify extends StackCommand {
        @Override
        int run(Irsa irsa, RunnerStack stack, PrintWriter out, boolean sandbox) {
            applyFirstOnSandbox(irsa, stack, out, sandbox);
            VerifyReport report = irsa.verify(stack);
            out.println(report.render());
            return report.passed() ? IrsaCli.OK : IrsaCli.FAILED;
        }
    }

    @Command(name = "destroy", mixinStandardHelpOptions = true, description = "Delete what irsa owns in the stack, dependents first.")
    static final class Destroy extends StackCommand {
        @Override
        int run(Irsa irsa, RunnerStack stack, PrintWriter out, boolean sandbox) {
            applyFirstOnSandbox(irsa, stack, out, sandbox);
            out.println(irsa.destroyPlan(stack).render().stripTrailing());
            PrintStream progress = stream(out);
            ApplyResult result = irsa.destroy(stack, new ProgressPrinter(progress));
            progress.flush();
            out.println("Destroy complete: " + result.summary());
            return result.succeeded() ? IrsaCli.OK : IrsaCli.FAILED;
        }
    }
}

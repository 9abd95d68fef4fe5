package dev.irsa.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.irsa.IrsaEndpoints;
import dev.irsa.binding.VerifyReport;
import dev.irsa.examples.IrsaTarget;
import dev.irsa.gitlab.stack.RunnerStacks;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.gitlab.stack.StackEndpoints;
import dev.irsa.gitlab.stack.StackSpec;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ProgressPrinter;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** The library side of {@code irsa plan|apply|verify|destroy}: reads the spec, opens the target, runs the facade. */
final class StackRunner {
    /**
     * Where {@code --sandbox} runs: a fresh, empty sandbox per stack, closed after the run. Tests replace it
     * with a {@link IrsaTarget#shared() shared} one to run several commands on one sandbox (nothing is then
     * applied first: the sandbox is not empty).
     */
    static final Function<RunnerStack, IrsaTarget> FRESH_SANDBOX = IrsaTarget::sandbox;
    static Function<RunnerStack, IrsaTarget> sandboxes = FRESH_SANDBOX;

    private StackRunner() {
    }

    /**
     * Runs the operation for each stack of the spec on its target; the exit code is the worst one. With
     * {@code iamOnly} only the stack's binding's IAM part, on a target without GitLab or Helm. With JSON output the
     * human text (plan, progress, sandbox notes) goes to {@code err} and one document to {@code out}.
     */
    static int run(StackCommands.Operation operation, StackCommands.Target target, boolean iamOnly, PrintWriter out, PrintWriter err,
                   JsonOutput.Format format) {
        boolean json = format == JsonOutput.Format.json;
        PrintWriter human = json ? err : out;
        ArrayNode stacks = JsonOutput.array();
        int exit = IrsaCli.OK;
        StackSpec spec = SpecArtifacts.readSpec(target.spec);
        if (spec.runnerStack().isEmpty()) {
            exit = BindingsRunner.run(operation, target, iamOnly, spec, human, stacks);
        }
        for (RunnerStack declared : spec.runnerStack().isPresent() ? stacks(target) : List.<RunnerStack>of()) {
            try (IrsaTarget on = open(target, declared, iamOnly)) {
                RunnerStack stack = on.adapt(declared);
                ObjectNode entry = stacks.addObject().put("stack", stack.name()).put("iamOnly", iamOnly);
                // only a sandbox this run started is empty: there verify and destroy apply the stack first
                boolean fresh = on.sandbox().isPresent() && sandboxes == FRESH_SANDBOX;
                on.sandbox().ifPresent(s -> human.println("(sandbox: account " + s.accountId() + ", cluster " + s.clusterName()
                        + ", GitLab " + s.gitlabUrl() + (fresh ? "; it starts empty)" : ")")));
                Output o = new Output(human, entry);
                exit = Math.max(exit, iamOnly ? IamOnly.run(operation, on, stack, o, fresh) : switch (operation) {
                    case PLAN -> plan(on.stacks(), stack, o);
                    case APPLY -> apply(on.stacks(), stack, o);
                    case VERIFY -> verify(on, stack, o, fresh);
                    case DESTROY -> destroy(on, stack, o, fresh);
                });
            }
        }
        human.flush();
        if (json) {
            JsonOutput.print(out, operation.name().toLowerCase(java.util.Locale.ROOT), exit, JsonOutput.object().set("stacks", stacks));
        }
        return exit;
    }

    /** Where a stack's outcome goes: human text, and its entry of the JSON document. */
    record Output(PrintWriter human, ObjectNode entry) {
        void plan(Plan plan) {
            human.println(plan.render().stripTrailing());
            entry.set("plan", JsonOutput.plan(plan));
        }

        int result(String what, ApplyResult result) {
            human.flush();
            human.println(what + " complete" + (entry.path("iamOnly").asBoolean() ? " (IAM only)" : "") + ": " + result.summary());
            entry.set("result", JsonOutput.result(result));
            return result.succeeded() ? IrsaCli.OK : IrsaCli.FAILED;
        }

        int verify(VerifyReport report) {
            human.println(report.render());
            entry.put("passed", report.passed());
            entry.set("checks", JsonOutput.checks(report.checks()));
            return report.passed() ? IrsaCli.OK : IrsaCli.FAILED;
        }

        ProgressPrinter progress() {
            return new ProgressPrinter(WriterOutputStream.printStream(human));
        }

        /** A line for people only (a sandbox note); not in the JSON document. */
        void note(String line) {
            human.println(line);
        }
    }

    private static int plan(RunnerStacks irsa, RunnerStack stack, Output o) {
        Plan plan = irsa.plan(stack);
        o.plan(plan);
        return plan.refused() > 0 ? IrsaCli.FAILED : IrsaCli.OK;
    }

    private static int apply(RunnerStacks irsa, RunnerStack stack, Output o) {
        Plan plan = irsa.plan(stack);
        o.plan(plan);
        if (!plan.hasChanges()) {
            return IrsaCli.OK;
        }
        return o.result("Apply", irsa.apply(stack, o.progress()));
    }

    private static int verify(IrsaTarget on, RunnerStack stack, Output o, boolean sandbox) {
        applyFirstOnSandbox(on, stack, o.human(), sandbox);
        return o.verify(on.stacks().verify(stack));
    }

    private static int destroy(IrsaTarget on, RunnerStack stack, Output o, boolean sandbox) {
        applyFirstOnSandbox(on, stack, o.human(), sandbox);
        RunnerStacks irsa = on.stacks();
        o.plan(irsa.destroyPlan(stack));
        return o.result("Destroy", irsa.destroy(stack, o.progress()));
    }

    /** On the empty sandbox there is nothing to verify or destroy until the stack is applied: say so and do it. */
    static void applyFirstOnSandbox(IrsaTarget on, RunnerStack stack, PrintWriter out, boolean sandbox) {
        if (sandbox) {
            out.println("(sandbox: applying stack " + stack.name() + " first: " + on.stacks().apply(stack, ApplyListener.NONE).summary() + ")");
        }
    }

    static List<RunnerStack> stacks(StackCommands.Target t) {
        return SpecArtifacts.stacks(t.spec, t.environmentName);
    }

    static IrsaTarget open(StackCommands.Target t, RunnerStack stack, boolean iamOnly) {
        if (t.sandbox) {
            return sandboxes.apply(stack);
        }
        if (iamOnly) {
            return IrsaTarget.iamEndpoints(core(t, stack), CommandSupport.lock(t));
        }
        return IrsaTarget.endpoints(stackEndpoints(t, stack));
    }

    /** AWS and Kubernetes as the options say; region: --region, else the spec's cluster region, else the SDK's chain. */
    static Consumer<IrsaEndpoints.Builder> core(StackCommands.Target t, RunnerStack stack) {
        return CommandSupport.endpoints(t, stack.binding().cluster().flatMap(c -> c.region()));
    }

    /** Every real endpoint of a runner stack as the options say (nothing opened yet). */
    static StackEndpoints.Builder stackEndpoints(StackCommands.Target t, RunnerStack stack) {
        String url = t.gitlabUrl != null ? t.gitlabUrl : stack.runner().gitlabUrl();
        return StackEndpoints.builder().endpoints(core(t, stack))
                .gitlabUrl(url).gitlabTokenVariable(t.gitlabTokenEnv).environment(StackCommands.environment::apply)
                .allowInsecureHttp(t.allowInsecureHttp).stackLock(CommandSupport.lock(t));
    }
}

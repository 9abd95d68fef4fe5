package dev.irsa.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.irsa.Preflight;
import dev.irsa.PreflightReport;
import dev.irsa.examples.IrsaTarget;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.gitlab.stack.StackPreflight;
import dev.irsa.gitlab.stack.StackSpec;
import dev.irsa.testing.IrsaSandbox;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The library side of {@code irsa preflight}: per stack of the spec, on the sandbox or the real endpoints. */
final class PreflightRunner {
    private PreflightRunner() {
    }

    static int run(StackCommands.Target target, boolean iamOnly, PrintWriter out, PrintWriter err, JsonOutput.Format format) {
        boolean json = format == JsonOutput.Format.json;
        PrintWriter human = json ? err : out;
        List<PreflightReport> reports = new ArrayList<>();
        StackSpec spec = SpecArtifacts.readSpec(target.spec);
        if (spec.runnerStack().isEmpty()) {
            reports.addAll(bindings(spec, target, iamOnly, human));
        }
        for (RunnerStack stack : spec.runnerStack().isPresent() ? StackRunner.stacks(target) : List.<RunnerStack>of()) {
            reports.add(target.sandbox ? onSandbox(stack, target, iamOnly, human) : onEndpoints(stack, target, iamOnly));
        }
        int exit = reports.stream().allMatch(PreflightReport::passed) ? IrsaCli.OK : IrsaCli.FAILED;
        if (json) {
            ArrayNode stacks = JsonOutput.array();
            reports.forEach(r -> stacks.addObject().put("stack", r.target()).put("iamOnly", iamOnly).put("passed", r.passed())
                    .set("checks", JsonOutput.checks(r.checks())));
            human.flush();
            JsonOutput.print(out, "preflight", exit, JsonOutput.object().set("stacks", stacks));
        } else {
            reports.forEach(r -> out.println(r.render()));
            out.flush();
        }
        return exit;
    }

    private static PreflightReport onEndpoints(RunnerStack stack, StackCommands.Target t, boolean iamOnly) {
        if (iamOnly) {
            return Preflight.builder().endpoints(StackRunner.core(t, stack)).iamOnly(true).lockNamespace(lockNamespace(t))
                    .build().check(stack.binding());
        }
        return StackPreflight.check(stack, StackRunner.stackEndpoints(t, stack));
    }

    private static PreflightReport onSandbox(RunnerStack declared, StackCommands.Target t, boolean iamOnly, PrintWriter out) {
        try (IrsaTarget on = StackRunner.sandboxes.apply(declared)) {
            IrsaSandbox s = on.sandbox().orElseThrow();
            out.println("(sandbox: account " + s.accountId() + ", cluster " + s.clusterName() + ", GitLab " + s.gitlabUrl() + ")");
            RunnerStack stack = on.adapt(declared);
            Preflight.Builder core = Preflight.builder().aws(s.awsExecutor(), s.region()).kubernetes(s.kubernetesExecutor())
                    .lockNamespace(lockNamespace(t)).iamOnly(iamOnly);
            return iamOnly ? core.build().check(stack.binding())
                    : StackPreflight.check(stack, core, s.gitLabExecutor(), s.helmExecutor());
        }
    }

    /**
     * A spec without a runner: each binding's AWS and Kubernetes checks (irsa-core's {@link Preflight}). With GitLab
     * OIDC bindings only there is no cluster and no lock, so nothing of Kubernetes is checked.
     */
    private static List<PreflightReport> bindings(StackSpec spec, StackCommands.Target t, boolean iamOnly, PrintWriter out) {
        Optional<String> lock = CommandSupport.needsKubernetes(spec) ? lockNamespace(t) : Optional.empty();
        if (t.sandbox) {
            try (IrsaTarget on = IrsaTarget.sandbox(spec)) {
                IrsaSandbox s = on.sandbox().orElseThrow();
                out.println("(sandbox: account " + s.accountId() + ", cluster " + s.clusterName() + ")");
                Preflight preflight = Preflight.builder().aws(s.awsExecutor(), s.region()).kubernetes(s.kubernetesExecutor())
                        .lockNamespace(lock).iamOnly(iamOnly).build();
                return spec.bindings().stream().map(on::adapt).map(preflight::check).toList();
            }
        }
        Preflight preflight = Preflight.builder().endpoints(CommandSupport.endpoints(t, CommandSupport.region(spec))).lockNamespace(lock).iamOnly(iamOnly).build();
        return spec.bindings().stream().map(preflight::check).toList();
    }

    private static Optional<String> lockNamespace(StackCommands.Target t) {
        return t.noLock ? Optional.empty() : Optional.of(t.lockNamespace);
    }
}

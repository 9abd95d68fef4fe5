package dev.irsa.examples.cli;

import dev.irsa.Preflight;
import dev.irsa.PreflightReport;
import dev.irsa.examples.IrsaTarget;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.gitlab.stack.StackPreflight;
import dev.irsa.testing.IrsaSandbox;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The library side of {@code irsa preflight}: per stack of the spec, on the sandbox or the real endpoints. */
final class PreflightRunner {
    private PreflightRunner() {
    }

    static int run(StackCommands.Target target, boolean iamOnly, PrintWriter out) {
        List<PreflightReport> reports = new ArrayList<>();
        for (RunnerStack stack : StackRunner.stacks(target)) {
            reports.add(target.sandbox ? onSandbox(stack, target, iamOnly, out) : onEndpoints(stack, target, iamOnly));
        }
        reports.forEach(r -> out.println(r.render()));
        out.flush();
        return reports.stream().allMatch(PreflightReport::passed) ? IrsaCli.OK : IrsaCli.FAILED;
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

    private static Optional<String> lockNamespace(StackCommands.Target t) {
        return t.noLock ? Optional.empty() : Optional.of(t.lockNamespace);
    }
}

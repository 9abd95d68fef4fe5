package dev.irsa.examples.cli;

import dev.irsa.Irsa;
import dev.irsa.ValidationException;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyReport;
import dev.irsa.examples.IrsaTarget;
import dev.irsa.gitlab.stack.StackSpec;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.irsa.plan.Plan;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code irsa plan|apply|verify|destroy} for a spec of role bindings without a runner: all its bindings as one plan
 * through irsa-core's {@link Irsa} facade (the shared OIDC provider once), on the sandbox or on real AWS (and
 * Kubernetes when a binding has a service account). No GitLab token is read and no GitLab or Helm client exists.
 */
final class BindingsRunner {
    private BindingsRunner() {
    }

    /**
     * Runs the operation on all the spec's bindings as one plan; the outcome goes to {@code human} and, for JSON
     * output, to one entry of {@code stacks} named after the spec (verify: one entry per binding).
     */
    static int run(StackCommands.Operation operation, StackCommands.Target t, boolean iamOnly, StackSpec spec, PrintWriter human,
                   ArrayNode stacks) {
        if (t.environmentName != null) {
            throw new ValidationException("--environment", t.environmentName, "a spec without a runner has no environments");
        }
        try (IrsaTarget on = open(t, spec)) {
            List<RoleBinding> bindings = spec.bindings().stream().map(on::adapt).toList();
            boolean fresh = on.sandbox().isPresent();
            on.sandbox().ifPresent(s -> human.println("(sandbox: account " + s.accountId() + ", cluster " + s.clusterName() + "; it starts empty)"));
            Irsa irsa = on.irsa();
            StackRunner.Output o = new StackRunner.Output(human, stacks.addObject().put("stack", spec.name()).put("iamOnly", iamOnly));
            return switch (operation) {
                case PLAN -> {
                    Plan plan = iamOnly ? irsa.planIamAll(bindings) : irsa.planAll(bindings);
                    o.plan(plan);
                    yield plan.refused() > 0 ? IrsaCli.FAILED : IrsaCli.OK;
                }
                case APPLY -> {
                    Plan plan = iamOnly ? irsa.planIamAll(bindings) : irsa.planAll(bindings);
                    o.plan(plan);
                    yield !plan.hasChanges() ? IrsaCli.OK
                            : o.result("Apply", iamOnly ? irsa.applyIamAll(bindings, o.progress()) : irsa.applyAll(bindings, o.progress()));
                }
                case VERIFY -> {
                    applyFirstOnSandbox(irsa, bindings, human, fresh);
                    stacks.remove(stacks.size() - 1);   // one entry per binding instead
                    int exit = IrsaCli.OK;
                    for (VerifyReport report : irsa.verifyAll(bindings)) {
                        exit = Math.max(exit, new StackRunner.Output(human, stacks.addObject().put("stack", report.stack())
                                .put("iamOnly", iamOnly)).verify(report));
                    }
                    yield exit;
                }
                case DESTROY -> {
                    applyFirstOnSandbox(irsa, bindings, human, fresh);
                    o.plan(iamOnly ? irsa.destroyIamPlanAll(bindings) : irsa.destroyPlanAll(bindings));
                    yield o.result("Destroy", iamOnly ? irsa.destroyIamAll(bindings, o.progress()) : irsa.destroyAll(bindings, o.progress()));
                }
            };
        }
    }

    /** A fresh sandbox starts empty: verify and destroy apply the bindings first, as for a runner stack. */
    private static void applyFirstOnSandbox(Irsa irsa, List<RoleBinding> bindings, PrintWriter out, boolean sandbox) {
        if (sandbox) {
            out.println("(sandbox: applying the " + bindings.size() + " binding(s) first: " + irsa.applyAll(bindings).summary() + ")");
        }
    }

    private static IrsaTarget open(StackCommands.Target t, StackSpec spec) {
        if (t.sandbox) {
            return IrsaTarget.sandbox(spec);
        }
        // GitLab OIDC roles need no cluster: then no kubeconfig is looked for (and there is no lock to take)
        return IrsaTarget.bindingEndpoints(CommandSupport.endpoints(t, CommandSupport.region(spec)), CommandSupport.lock(t),
                CommandSupport.needsKubernetes(spec));
    }
}

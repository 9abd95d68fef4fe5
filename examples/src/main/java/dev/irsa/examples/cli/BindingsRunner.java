package dev.irsa.examples.cli;

import dev.irsa.Irsa;
import dev.irsa.ValidationException;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyReport;
import dev.irsa.examples.IrsaTarget;
import dev.irsa.gitlab.stack.StackSpec;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.Plan;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * {@code irsa plan|apply|verify|destroy} for a spec of role bindings without a runner: all its bindings as one plan
 * through irsa-core's {@link Irsa} facade (the shared OIDC provider once), on the sandbox or on real AWS (and
 * Kubernetes when a binding has a service account). No GitLab token is read and no GitLab or Helm client exists.
 */
final class BindingsRunner {
    private BindingsRunner() {
    }

    static int run(StackCommands.Operation operation, StackCommands.Target t, boolean iamOnly, StackSpec spec, PrintWriter out) {
        if (t.environmentName != null) {
            throw new ValidationException("--environment", t.environmentName, "a spec without a runner has no environments");
        }
        try (IrsaTarget on = open(t, spec)) {
            List<RoleBinding> bindings = spec.bindings().stream().map(on::adapt).toList();
            boolean fresh = on.sandbox().isPresent();
            on.sandbox().ifPresent(s -> out.println("(sandbox: account " + s.accountId() + ", cluster " + s.clusterName() + "; it starts empty)"));
            Irsa irsa = on.irsa();
            String part = iamOnly ? " (IAM only)" : "";
            int exit = switch (operation) {
                case PLAN -> {
                    Plan plan = iamOnly ? irsa.planIamAll(bindings) : irsa.planAll(bindings);
                    out.println(plan.render().stripTrailing());
                    yield plan.refused() > 0 ? IrsaCli.FAILED : IrsaCli.OK;
                }
                case APPLY -> {
                    Plan plan = iamOnly ? irsa.planIamAll(bindings) : irsa.planAll(bindings);
                    out.println(plan.render().stripTrailing());
                    if (!plan.hasChanges()) {
                        yield IrsaCli.OK;
                    }
                    ApplyListener progress = CommandSupport.progress(out);
                    yield CommandSupport.report("Apply" + part + " complete", iamOnly ? irsa.applyIamAll(bindings, progress) : irsa.applyAll(bindings, progress), out);
                }
                case VERIFY -> {
                    applyFirstOnSandbox(irsa, bindings, out, fresh);
                    boolean passed = true;
                    for (VerifyReport report : irsa.verifyAll(bindings)) {
                        out.println(report.render());
                        passed &= report.passed();
                    }
                    yield passed ? IrsaCli.OK : IrsaCli.FAILED;
                }
                case DESTROY -> {
                    applyFirstOnSandbox(irsa, bindings, out, fresh);
                    out.println((iamOnly ? irsa.destroyIamPlanAll(bindings) : irsa.destroyPlanAll(bindings)).render().stripTrailing());
                    ApplyListener progress = CommandSupport.progress(out);
                    yield CommandSupport.report("Destroy" + part + " complete", iamOnly ? irsa.destroyIamAll(bindings, progress) : irsa.destroyAll(bindings, progress), out);
                }
            };
            out.flush();
            return exit;
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
        Optional<String> specRegion = spec.bindings().stream().flatMap(b -> b.cluster().flatMap(c -> c.region()).stream()).findFirst();
        // GitLab OIDC roles need no cluster: then no kubeconfig is looked for (and there is no lock to take)
        boolean kubernetes = spec.bindings().stream().anyMatch(b -> b.mode() != IdentityMode.GITLAB_OIDC);
        return IrsaTarget.bindingEndpoints(CommandSupport.endpoints(t, specRegion), CommandSupport.lock(t), kubernetes);
    }
}

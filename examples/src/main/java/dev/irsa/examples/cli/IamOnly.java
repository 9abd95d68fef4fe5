package dev.irsa.examples.cli;

import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyReport;
import dev.irsa.Irsa;
import dev.irsa.examples.IrsaTarget;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.plan.Plan;

import java.io.PrintWriter;

/**
 * {@code irsa plan|apply|verify|destroy --iam-only}: the stack's binding's IAM part (its OIDC provider and
 * role) through {@link Irsa#planIam}, {@link Irsa#applyIam}, {@link Irsa#destroyIam} and
 * {@link Irsa#verify(RoleBinding)}, under the stack's lock like the whole-stack commands. Both apply and destroy
 * converge from any state, so cron can run them as often as it likes.
 */
final class IamOnly {
    private IamOnly() {
    }

    static int run(StackCommands.Operation operation, IrsaTarget on, RunnerStack stack, PrintWriter out, boolean freshSandbox) {
        Irsa irsa = on.irsa();
        RoleBinding binding = stack.binding();
        return switch (operation) {
            case PLAN -> {
                Plan plan = irsa.planIam(binding);
                out.println(plan.render().stripTrailing());
                yield plan.refused() > 0 ? IrsaCli.FAILED : IrsaCli.OK;
            }
            case APPLY -> {
                Plan plan = irsa.planIam(binding);
                out.println(plan.render().stripTrailing());
                yield plan.hasChanges() ? CommandSupport.report("Apply complete (IAM only)", irsa.applyIam(binding, CommandSupport.progress(out)), out) : IrsaCli.OK;
            }
            case VERIFY -> {
                StackRunner.applyFirstOnSandbox(on, stack, out, freshSandbox);
                VerifyReport report = irsa.verify(binding);
                out.println(report.render());
                yield report.passed() ? IrsaCli.OK : IrsaCli.FAILED;
            }
            case DESTROY -> {
                StackRunner.applyFirstOnSandbox(on, stack, out, freshSandbox);
                out.println(irsa.destroyIamPlan(binding).render().stripTrailing());
                yield CommandSupport.report("Destroy complete (IAM only)", irsa.destroyIam(binding, CommandSupport.progress(out)), out);
            }
        };
    }
}

package dev.irsa.examples.cli;

import dev.irsa.binding.RoleBinding;
import dev.irsa.Irsa;
import dev.irsa.examples.IrsaTarget;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.plan.Plan;


/**
 * {@code irsa plan|apply|verify|destroy --iam-only}: the stack's binding's IAM part (its OIDC provider and
 * role) through {@link Irsa#planIam}, {@link Irsa#applyIam}, {@link Irsa#destroyIam} and
 * {@link Irsa#verify(RoleBinding)}, under the stack's lock like the whole-stack commands. Both apply and destroy
 * converge from any state, so cron can run them as often as it likes.
 */
final class IamOnly {
    private IamOnly() {
    }

    static int run(StackCommands.Operation operation, IrsaTarget on, RunnerStack stack, StackRunner.Output o, boolean freshSandbox) {
        Irsa irsa = on.irsa();
        RoleBinding binding = stack.binding();
        return switch (operation) {
            case PLAN -> {
                Plan plan = irsa.planIam(binding);
                o.plan(plan);
                yield plan.refused() > 0 ? IrsaCli.FAILED : IrsaCli.OK;
            }
            case APPLY -> {
                Plan plan = irsa.planIam(binding);
                o.plan(plan);
                yield plan.hasChanges() ? o.result("Apply", irsa.applyIam(binding, o.progress())) : IrsaCli.OK;
            }
            case VERIFY -> {
                StackRunner.applyFirstOnSandbox(on, stack, o.human(), freshSandbox);
                yield o.verify(irsa.verify(binding));
            }
            case DESTROY -> {
                StackRunner.applyFirstOnSandbox(on, stack, o.human(), freshSandbox);
                o.plan(irsa.destroyIamPlan(binding));
                yield o.result("Destroy", irsa.destroyIam(binding, o.progress()));
            }
        };
    }
}

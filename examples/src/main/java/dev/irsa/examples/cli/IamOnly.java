package dev.irsa.examples.cli;

import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyReport;
import dev.irsa.gitlab.stack.Irsa;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ProgressPrinter;

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

    static int run(StackCommands.Operation operation, Irsa irsa, RunnerStack stack, PrintWriter out, boolean freshSandbox) {
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
                yield plan.hasChanges() ? report("Apply", irsa.applyIam(binding, progress(out)), out) : IrsaCli.OK;
            }
            case VERIFY -> {
                StackRunner.applyFirstOnSandbox(irsa, stack, out, freshSandbox);
                VerifyReport report = irsa.verify(binding);
                out.println(report.render());
                yield report.passed() ? IrsaCli.OK : IrsaCli.FAILED;
            }
            case DESTROY -> {
                StackRunner.applyFirstOnSandbox(irsa, stack, out, freshSandbox);
                out.println(irsa.destroyIamPlan(binding).render().stripTrailing());
                yield report("Destroy", irsa.destroyIam(binding, progress(out)), out);
            }
        };
    }

    private static ProgressPrinter progress(PrintWriter out) {
        return new ProgressPrinter(WriterOutputStream.printStream(out));
    }

    private static int report(String what, ApplyResult result, PrintWriter out) {
        out.flush();
        out.println(what + " complete (IAM only): " + result.summary());
        return result.succeeded() ? IrsaCli.OK : IrsaCli.FAILED;
    }
}

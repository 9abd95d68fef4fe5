package dev.irsa.examples;

import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyReport;
import dev.irsa.plan.Applier;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;

import java.util.Objects;

/**
 * plan / apply / verify / destroy of one {@link RoleBinding} through irsa's plan engine: the binding
 * turns into resources (OIDC provider, role, namespace, service account), the {@link Planner} observes
 * and diffs them, the {@link Applier} runs the changes in dependency order. The IAM-only variants are
 * the walkthrough's "delete the roles in the evening, recreate them in the morning".
 *
 * <pre>{@code
 * BindingOperations ops = new BindingOperations(binding, BindingBackends.of(awsExecutor, kubernetesExecutor), ExecutionBudget.defaults());
 * System.out.println(ops.plan().render());
 * System.out.println(ops.apply(new ProgressPrinter(System.out)).summary());
 * System.out.println(ops.verify().render());
 * }</pre>
 */
public final class BindingOperations {
    private final RoleBinding binding;
    private final BindingBackends backends;
    private final ExecutionBudget budget;

    public BindingOperations(RoleBinding binding, BindingBackends backends, ExecutionBudget budget) {
        this.binding = Objects.requireNonNull(binding, "binding");
        this.backends = Objects.requireNonNull(backends, "backends");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    public RoleBinding binding() {
        return binding;
    }

    /** What apply would change (observes, never changes anything). */
    public Plan plan() {
        return planner().plan(binding.name(), binding.resources(backends));
    }

    public ApplyResult apply(ApplyListener listener) {
        return applier(listener).apply(plan());
    }

    public VerifyReport verify() {
        return binding.verify(backends);
    }

    /** What destroy would delete: only what this stack owns, dependents first. */
    public Plan destroyPlan() {
        return planner().destroyPlan(binding.name(), binding.resources(backends));
    }

    public ApplyResult destroy(ApplyListener listener) {
        return applier(listener).apply(destroyPlan());
    }

    /** The IAM part only (OIDC provider and role): plan to recreate it. */
    public Plan iamPlan() {
        return planner().plan(binding.name(), binding.iamResources(backends));
    }

    /** Recreates (or confirms) the IAM part; nothing else is touched. */
    public ApplyResult iamApply(ApplyListener listener) {
        return applier(listener).apply(iamPlan());
    }

    /** Deletes the role only, keeping the provider, namespace and service account (whose annotation still names the role). */
    public Plan roleDestroyPlan() {
        return planner().destroyPlan(binding.name(), binding.iamResources(backends).stream()
                .filter(r -> r.id().equals(binding.roleResourceId())).toList());
    }

    public ApplyResult roleDestroy(ApplyListener listener) {
        return applier(listener).apply(roleDestroyPlan());
    }

    private Planner planner() {
        return Planner.create(p -> p.budget(budget));
    }

    private Applier applier(ApplyListener listener) {
        return Applier.create(a -> a.budget(budget).listener(listener));
    }
}

package dev.irsa.examples.bench;

import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.RoleBinding;
import dev.irsa.plan.Applier;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;

import java.util.List;
import java.util.function.Function;

/**
 * {@link ManyBindingsOnMoto.IrsaSide} with the engine as it is: one plan per binding (IAM resources only), the
 * plans made concurrently and applied together with {@link Applier#applyAll}, as {@code ManyStacks} does.
 * Every binding observes (and, when applying, creates or deletes) the shared provider itself; the provider's
 * delete lists the account's roles once per binding. To be replaced by the core facade's {@code applyAll} /
 * {@code planAll} / {@code destroyAll}, which plan the bindings as one graph.
 */
final class PerBindingPlans implements ManyBindingsOnMoto.IrsaSide {
    private final BindingBackends backends;
    private final int threads;
    private final Planner planner;
    private final Applier applier;

    PerBindingPlans(BindingBackends backends, int threads) {
        this.backends = backends;
        this.threads = threads;
        ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(threads));
        this.planner = Planner.create(p -> p.budget(budget));
        this.applier = Applier.create(a -> a.budget(budget));
    }

    @Override
    public ManyBindingsOnMoto.Outcome apply(List<RoleBinding> bindings) {
        return ManyBindingsOnMoto.Outcome.applied(applier.applyAll(planEach(bindings, b -> b.planIam(planner, backends))));
    }

    @Override
    public ManyBindingsOnMoto.Outcome plan(List<RoleBinding> bindings) {
        return ManyBindingsOnMoto.Outcome.planned(planEach(bindings, b -> b.planIam(planner, backends)));
    }

    @Override
    public ManyBindingsOnMoto.Outcome destroy(List<RoleBinding> bindings) {
        return ManyBindingsOnMoto.Outcome.applied(applier.applyAll(planEach(bindings, b -> b.destroyIamPlan(planner, backends))));
    }

    /** One plan per binding, made on {@code threads} threads (the budget bounds the calls in flight). */
    private List<Plan> planEach(List<RoleBinding> bindings, Function<RoleBinding, Plan> planning) {
        return Concurrently.map(bindings, threads, planning);
    }
}

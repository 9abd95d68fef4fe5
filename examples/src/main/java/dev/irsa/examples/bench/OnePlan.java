package dev.irsa.examples.bench;

import dev.irsa.Irsa;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.RoleBinding;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ExecutionBudget;

import java.util.List;

/**
 * {@link ManyBindingsOnMoto.IrsaSide} through irsa-core's facade: all bindings as one plan (IAM resources only),
 * {@link Irsa#applyIamAll}, {@link Irsa#planIamAll}, {@link Irsa#destroyIamAll}. The shared provider is observed
 * and changed once, the caller's account looked up once, and the provider's delete lists the roles once.
 */
final class OnePlan implements ManyBindingsOnMoto.IrsaSide {
    private final Irsa irsa;

    OnePlan(AwsExecutor aws, int threads) {
        this.irsa = Irsa.builder().aws(aws).budget(ExecutionBudget.create(b -> b.maxConcurrency(threads))).build();
    }

    @Override
    public ManyBindingsOnMoto.Outcome apply(List<RoleBinding> bindings) {
        return ManyBindingsOnMoto.Outcome.applied(List.of(irsa.applyIamAll(bindings, ApplyListener.NONE)));
    }

    @Override
    public ManyBindingsOnMoto.Outcome plan(List<RoleBinding> bindings) {
        return ManyBindingsOnMoto.Outcome.planned(List.of(irsa.planIamAll(bindings)));
    }

    @Override
    public ManyBindingsOnMoto.Outcome destroy(List<RoleBinding> bindings) {
        return ManyBindingsOnMoto.Outcome.applied(List.of(irsa.destroyIamAll(bindings, ApplyListener.NONE)));
    }
}

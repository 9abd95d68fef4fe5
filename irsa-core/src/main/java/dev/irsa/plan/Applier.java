package dev.irsa.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Executes {@link Plan}s: every change after the ones it depends on (dependents first when destroying),
 * independent changes in parallel within the {@link ExecutionBudget} (concurrency and per-service rate
 * limits), progress to an {@link ApplyListener}. A change that fails does not stop independent ones; its
 * dependents are {@linkplain ChangeOutcome.Status#SKIPPED skipped}. Running the same configuration again
 * converges: planning again yields only the changes still missing.
 *
 * <pre>{@code
 * ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(4).rateLimit("iam", RateLimit.perSecond(5)));
 * Plan plan = Planner.create(p -> p.budget(budget)).plan("ci", resources);
 * ApplyResult result = Applier.create(a -> a.budget(budget).listener(progress)).apply(plan);
 * System.out.println(result.summary());    // "3 created, 0 updated, 0 deleted, 0 unchanged"
 * result.orThrow();
 *
 * // Several stacks at once, sharing the budget:
 * List<ApplyResult> results = applier.applyAll(List.of(devPlan, prodPlan));
 * }</pre>
 *
 * A {@link Action#NO_OP} change makes no call at all; a plan with a {@link Action#REFUSE} change is not
 * applied ({@link PlanRefusedException}, before any call).
 */
public final class Applier {
    private final ExecutionBudget budget;
    private final ApplyListener listener;
    private final RetryPolicy retry;

    private Applier(Builder builder) {
        this.budget = builder.budget;
        this.listener = builder.listener;
        this.retry = builder.retry;
    }

    /** An applier with {@link ExecutionBudget#defaults()} and no listener. */
    public static Applier create() {
        return builder().build();
    }

    public static Applier create(Consumer<Builder> applier) {
        Builder builder = builder();
        applier.accept(builder);
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Applies one plan and returns what happened. Does not throw for a failed change (see
     * {@link ApplyResult#orThrow()}).
     *
     * @throws PlanRefusedException if the plan refuses a change; nothing is applied then
     */
    public ApplyResult apply(Plan plan) {
        return applyAll(List.of(plan)).get(0);
    }

    /**
     * Applies several plans (e.g. the dev and prod stacks) at once, sharing the budget; each plan's
     * dependencies are its own. Results are in the order of {@code plans}.
     *
     * @throws PlanRefusedException if any plan refuses a change; nothing is applied then
     */
    public List<ApplyResult> applyAll(List<Plan> plans) {
        // Plan has identity equality: distinct() finds the same instance passed twice.
        if (plans.stream().distinct().count() < plans.size()) {
            throw new IllegalArgumentException("the same plan was passed twice; its changes would run twice");
        }
        List<ResourceId> refused = new ArrayList<>();
        for (Plan plan : plans) {
            plan.changes(Action.REFUSE).forEach(c -> refused.add(c.id()));
        }
        if (!refused.isEmpty()) {
            throw new PlanRefusedException(refused);
        }
        return new Execution(budget, listener, retry, plans).run();
    }

    public static final class Builder {
        private ExecutionBudget budget = ExecutionBudget.defaults();
        private ApplyListener listener = ApplyListener.NONE;
        private RetryPolicy retry = RetryPolicy.none();

        private Builder() {
        }

        /** Which failures to try again, and how often. Default: {@link RetryPolicy#none()}. */
        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /** Limits on concurrent and per-service calls; share one instance to share the limits. */
        public Builder budget(ExecutionBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        public Builder listener(ApplyListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Applier build() {
            return new Applier(this);
        }
    }
}

package dev.irsa.plan;

import dev.irsa.IrsaException;
import dev.irsa.plan.ChangeOutcome.Status;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an apply did, change by change in plan order, with a summary like
 * {@code 2 created, 1 updated, 0 deleted, 3 unchanged}.
 *
 * <pre>{@code
 * ApplyResult result = applier.apply(plan);
 * System.out.println(result.summary());   // "2 created, 0 updated, 0 deleted, 1 unchanged"
 * result.orThrow();                       // throws the first failure, if any
 * }</pre>
 *
 * When several stacks are planned and applied together, a stack that could not be planned has a result
 * too ({@link #notPlanned}): no outcomes, {@link #planFailure()} says why, nothing of it was changed.
 */
public final class ApplyResult {
    private final String stack;
    private final Plan.Mode mode;
    private final List<ChangeOutcome> outcomes;
    private final IrsaException planFailure;

    ApplyResult(String stack, Plan.Mode mode, List<ChangeOutcome> outcomes) {
        this(stack, mode, outcomes, null);
    }

    private ApplyResult(String stack, Plan.Mode mode, List<ChangeOutcome> outcomes, IrsaException planFailure) {
        this.stack = Objects.requireNonNull(stack, "stack");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.outcomes = List.copyOf(outcomes);
        this.planFailure = planFailure;
    }

    /**
     * The result of a stack that was not applied because it could not be planned (e.g. an
     * {@link ObservationException}): no outcomes, not {@link #succeeded()}, {@link #orThrow()} throws
     * {@code failure}. Nothing of the stack was changed.
     */
    public static ApplyResult notPlanned(String stack, Plan.Mode mode, IrsaException failure) {
        return new ApplyResult(stack, mode, List.of(), Objects.requireNonNull(failure, "failure"));
    }

    /**
     * The part of this result about {@code resources}, as stack {@code stack}'s result: how a plan of many
     * stacks (one graph, shared resources changed once) reports each stack. Outcomes keep their plan order.
     */
    public ApplyResult part(String stack, java.util.Collection<ResourceId> resources) {
        java.util.Set<ResourceId> ids = java.util.Set.copyOf(resources);
        return new ApplyResult(stack, mode, outcomes.stream().filter(o -> ids.contains(o.id()))
                .map(o -> new ChangeOutcome(stack, o.change(), o.status(), o.finished(), o.duration(), o.attempts(), o.error(), o.detail()))
                .toList(), planFailure);
    }

    /** Why the stack could not be planned, for a {@link #notPlanned} result; empty when it was planned. */
    public Optional<IrsaException> planFailure() {
        return Optional.ofNullable(planFailure);
    }

    public String stack() {
        return stack;
    }

    public Plan.Mode mode() {
        return mode;
    }

    /** One outcome per change, in plan order. */
    public List<ChangeOutcome> outcomes() {
        return outcomes;
    }

    public Optional<ChangeOutcome> outcome(ResourceId id) {
        return outcomes.stream().filter(o -> o.id().equals(id)).findFirst();
    }

    public int count(Status status) {
        return (int) outcomes.stream().filter(o -> o.status() == status).count();
    }

    /** Whether the stack was planned and no change failed (and so none was skipped). */
    public boolean succeeded() {
        return planFailure == null && count(Status.FAILED) == 0 && count(Status.SKIPPED) == 0;
    }

    /** The failed changes, in plan order. */
    public List<ChangeOutcome> failures() {
        return outcomes.stream().filter(o -> o.status() == Status.FAILED).toList();
    }

    /**
     * {@code N created, N updated, N deleted, N unchanged} (and {@code , N kept} when a planned delete kept an
     * object something outside the plan still needs), followed by {@code , N failed, N skipped} when
     * something failed; {@code not applied: could not plan: <error>} for a {@link #notPlanned} result.
     */
    public String summary() {
        if (planFailure != null) {
            return "not applied: could not plan: " + Execution.describe(planFailure);
        }
        String summary = count(Status.CREATED) + " created, " + count(Status.UPDATED) + " updated, "
                + count(Status.DELETED) + " deleted, " + count(Status.UNCHANGED) + " unchanged"
                + (count(Status.KEPT) > 0 ? ", " + count(Status.KEPT) + " kept" : "");
        return succeeded() ? summary : summary + ", " + count(Status.FAILED) + " failed, "
                + count(Status.SKIPPED) + " skipped";
    }

    /**
     * The {@linkplain #planFailure() planning failure}, else the first failure in plan order: the backend's
     * own error when it is an {@link IrsaException}, else a {@link ChangeFailedException} naming the resource,
     * with the error as cause.
     */
    public Optional<IrsaException> firstFailure() {
        if (planFailure != null) {
            return Optional.of(planFailure);
        }
        return failures().stream().findFirst().map(o -> {
            Throwable error = o.error().orElseThrow();
            return error instanceof IrsaException irsa
                    ? irsa
                    : new ChangeFailedException(o.id(), o.change().action(), error);
        });
    }

    /** This result if every change succeeded; else throws {@link #firstFailure()}. */
    public ApplyResult orThrow() {
        Optional<IrsaException> failure = firstFailure();
        if (failure.isPresent()) {
            throw failure.get();
        }
        return this;
    }

    @Override
    public String toString() {
        return "ApplyResult{stack=" + stack + ", mode=" + mode + ", " + summary() + "}";
    }
}

package dev.irsa.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What apply (or destroy) will do, in the order it will do it: one {@link Change} per resource, with a
 * reason and the field diffs. Made by {@link Planner}, executed by {@link Applier}. A plan is data (tests
 * and the CLI read {@link #changes()}) and prints like {@code terraform plan}:
 *
 * <pre>{@code
 * Plan plan = Planner.create().plan("ci", resources);
 * System.out.println(plan.render());
 * // irsa will perform the following actions on stack "ci":
 * //
 * //   # aws.iam.role/ci will be created
 * //   + aws.iam.role/ci
 * //       + path = "/ci/"
 * //
 * // Plan: 1 to add, 0 to change, 0 to destroy.
 * plan.change(ResourceId.of("aws.iam.role", "ci")).orElseThrow().action();   // CREATE
 * }</pre>
 *
 * Sensitive values never appear in {@link #render()} or {@link #toString()}.
 */
public final class Plan {

    /** Whether the plan converges resources to their desired state or destroys them. */
    public enum Mode {
        /** Create and update, dependencies first. */
        APPLY,
        /** Delete what irsa owns, dependents first. */
        DESTROY
    }

    private final String stack;
    private final Mode mode;
    private final List<Change> changes;
    // What apply needs besides the data: the resources and what observing them published.
    private final Map<ResourceId, Resource> resources;
    private final Map<ResourceId, Observed> observed;

    private final List<String> notes;

    Plan(String stack, Mode mode, List<Change> changes, Map<ResourceId, Resource> resources,
         Map<ResourceId, Observed> observed, List<String> notes) {
        this.notes = List.copyOf(notes);
        this.stack = Objects.requireNonNull(stack, "stack");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.changes = List.copyOf(changes);
        this.resources = Map.copyOf(resources);
        this.observed = Map.copyOf(observed);
    }

    /** The name of the stack this plan is for (shown in progress events of multi-stack applies). */
    public String stack() {
        return stack;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * What the plan says besides the changes, one line each prefixed with the resource id, in plan order:
     * e.g. {@code iam.role/eks-cluster-role: accepted lint finding IRSA-P002@eks-admin (ERROR) ...}. Empty for
     * destroy plans.
     */
    public List<String> notes() {
        return notes;
    }

    /** Every resource's change, in execution order (dependencies first; dependents first when destroying). */
    public List<Change> changes() {
        return changes;
    }

    public Optional<Change> change(ResourceId id) {
        return changes.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The changes with the given action, in plan order. */
    public List<Change> changes(Action action) {
        return changes.stream().filter(c -> c.action() == action).toList();
    }

    /** How many changes have this action. */
    public int count(Action action) {
        return (int) changes.stream().filter(c -> c.action() == action).count();
    }

    public int toAdd() {
        return count(Action.CREATE);
    }

    public int toChange() {
        return count(Action.UPDATE);
    }

    public int toDestroy() {
        return count(Action.DELETE);
    }

    public int refused() {
        return count(Action.REFUSE);
    }

    /** Whether applying would change anything. */
    public boolean hasChanges() {
        return changes.stream().anyMatch(c -> c.action().changes());
    }

    /** {@code Plan: N to add, N to change, N to destroy.} or {@code No changes.} (plus refusals, if any). */
    public String summary() {
        if (!hasChanges() && refused() == 0) {
            return "No changes. Live state matches the configuration.";
        }
        return "Plan: " + toAdd() + " to add, " + toChange() + " to change, " + toDestroy() + " to destroy"
                + (refused() == 0 ? "." : ", " + refused() + " refused.");
    }

    /** The plan as text, like {@code terraform plan}: one block per change, then {@link #summary()}. Pure. */
    public String render() {
        return PlanRenderer.render(this);
    }

    /**
     * The plan as JSON, for tools (e.g. {@code irsa plan --json}): stack, mode, summary counts and every
     * change with its diffs. A known value is a string, a sensitive one {@code {"sensitive":true}}, one known
     * only after apply {@code {"unknown":true}}; a missing side of a diff is left out. Pure.
     *
     * <pre>{@code
     * {
     *   "stack" : "ci",
     *   "mode" : "APPLY",
     *   "summary" : { "add" : 1, "change" : 0, "destroy" : 0, "refused" : 0 },
     *   "changes" : [ { "id" : "aws.iam.role/ci", "action" : "CREATE", "diffs" : [
     *       { "field" : "path", "after" : "/ci/" } ], ... } ]
     * }
     * }</pre>
     */
    public String toJson() {
        return PlanJson.toJson(this);
    }

    /** The summary and the changes; sensitive values masked. */
    @Override
    public String toString() {
        return "Plan{stack=" + stack + ", mode=" + mode + ", " + summary() + ", changes=" + changes + "}";
    }

    Resource resource(ResourceId id) {
        return resources.get(id);
    }

    Observed observed(ResourceId id) {
        return observed.getOrDefault(id, Observed.absent());
    }
}

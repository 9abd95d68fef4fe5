package dev.irsa.plan;

import dev.irsa.plan.internal.Graph;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Makes {@link Plan}s: observes every resource (in parallel, within the {@link ExecutionBudget}), orders
 * them by their dependencies, and diffs desired against live state. Observing only reads.
 *
 * <pre>{@code
 * Planner planner = Planner.create(p -> p.budget(budget));
 * Plan plan = planner.plan("ci", List.of(oidcProvider, role, serviceAccount));
 * System.out.println(plan.render());
 *
 * Plan teardown = planner.destroyPlan("ci", List.of(oidcProvider, role, serviceAccount));
 * }</pre>
 *
 * Resources given twice under one id are {@linkplain Resource#merge merged} into one (many bindings sharing
 * one OIDC provider are one plan; the provider is observed and changed once), or refused.
 *
 * Errors, all {@link PlanException}s and all raised before any change: {@link DuplicateResourceException},
 * {@link UnknownDependencyException}, {@link DependencyCycleException}, {@link ObservationException}.
 */
public final class Planner {
    private final ExecutionBudget budget;
    private final Predicate<ResourceId> adopt;

    private Planner(Builder builder) {
        this.budget = builder.budget;
        this.adopt = builder.adopt;
    }

    private Planner(ExecutionBudget budget, Predicate<ResourceId> adopt) {
        this.budget = budget;
        this.adopt = adopt;
    }

    /** This planner, also adopting {@code ids} (e.g. what a binding asks to take over); the budget is the same. */
    public Planner adopting(Collection<ResourceId> ids) {
        Set<ResourceId> more = Set.copyOf(ids);
        Predicate<ResourceId> before = adopt;
        return more.isEmpty() ? this : new Planner(budget, id -> before.test(id) || more.contains(id));
    }

    /** A planner with {@link ExecutionBudget#defaults()} that adopts nothing. */
    public static Planner create() {
        return builder().build();
    }

    public static Planner create(Consumer<Builder> planner) {
        Builder builder = builder();
        planner.accept(builder);
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The changes that bring {@code resources} to their desired state, dependencies first. An existing
     * object irsa does not own becomes {@link Action#REFUSE} unless adoption was requested for it.
     */
    public Plan plan(String stack, Collection<? extends Resource> resources) {
        Map<ResourceId, Resource> byId = index(resources);
        List<ResourceId> order = Graph.order(dependencies(byId));
        Map<ResourceId, Observed> observed = observeAll(byId, order, Resource::observe);

        Map<ResourceId, Action> actions = new HashMap<>();
        List<Change> changes = new ArrayList<>(order.size());
        for (ResourceId id : order) {
            Resource resource = byId.get(id);
            Observed live = observed.get(id);
            Fields desired = resource.desired(new PlanInputs(resource, observed, actions));
            Change change = decide(resource, live, desired);
            actions.put(id, change.action());
            changes.add(change);
        }
        List<String> notes = new ArrayList<>();
        order.forEach(id -> byId.get(id).planNotes().forEach(note -> notes.add(id + ": " + note)));
        return new Plan(stack, Plan.Mode.APPLY, changes, byId, observed, notes);
    }

    /**
     * The changes that delete what irsa owns among {@code resources}, dependents first. Objects already gone
     * and objects irsa does not own are {@link Action#NO_OP}s (the latter with reason
     * {@code "not managed by irsa"}), and so are owned objects that must stay
     * ({@link Resource#keepOnDestroy}, reason {@code "kept: <why>"}).
     *
     * <p>{@code resources} may be part of a stack (e.g. only its IAM roles, deleted every evening and
     * recreated every morning): dependencies on resources outside it are ignored, as deleting never has to
     * wait for a dependency.
     */
    public Plan destroyPlan(String stack, Collection<? extends Resource> resources) {
        Map<ResourceId, Resource> byId = index(resources);
        Map<ResourceId, Set<ResourceId>> dependencies = dependencies(byId);
        dependencies.replaceAll((id, deps) -> deps.stream().filter(byId::containsKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet()));
        List<ResourceId> order = new ArrayList<>(Graph.order(dependencies));
        java.util.Collections.reverse(order);
        Map<ResourceId, String> kept = new ConcurrentHashMap<>();
        Map<ResourceId, Observed> observed = observeAll(byId, order, resource -> {
            Observed live = resource.observe();
            if (live != null && live.presence() == Presence.OWNED) {
                resource.keepOnDestroy(live).ifPresent(why -> kept.put(resource.id(), why));
            }
            return live;
        });

        List<Change> changes = new ArrayList<>(order.size());
        for (ResourceId id : order) {
            Resource resource = byId.get(id);
            Observed live = observed.get(id);
            Set<ResourceId> deps = dependencies.get(id);
            Change change = switch (live.presence()) {
                case ABSENT -> Change.of(id, Action.NO_OP, "already absent", List.of(), live.presence(), false, deps);
                case FOREIGN -> Change.of(id, Action.NO_OP, "not managed by irsa", List.of(), live.presence(),
                        false, deps);
                case EXTERNAL -> Change.of(id, Action.NO_OP, "not managed by irsa (used as it is)", List.of(),
                        live.presence(), false, deps);
                case OWNED -> kept.containsKey(id)
                        ? Change.of(id, Action.NO_OP, "kept: " + kept.get(id), List.of(), live.presence(), false, deps)
                        : Change.of(id, Action.DELETE, "managed by irsa", FieldDiff.destroying(live.fields()),
                        live.presence(), false, deps);
            };
            changes.add(change);
        }
        return new Plan(stack, Plan.Mode.DESTROY, changes, byId, observed, List.of());
    }

    private Change decide(Resource resource, Observed live, Fields desired) {
        ResourceId id = resource.id();
        Set<ResourceId> deps = resource.dependsOn();
        switch (live.presence()) {
            case ABSENT:
                return Change.of(id, Action.CREATE, "does not exist", FieldDiff.creating(desired), live.presence(),
                        false, deps);
            case OWNED: {
                List<FieldDiff> diffs = resource.diff(desired, live);
                return diffs.isEmpty()
                        ? Change.of(id, Action.NO_OP, "up to date", diffs, live.presence(), false, deps)
                        : Change.of(id, Action.UPDATE, differ(diffs), diffs, live.presence(), false, deps);
            }
            case EXTERNAL:
                return Change.of(id, Action.NO_OP, "exists, not managed by irsa: used as it is", List.of(),
                        live.presence(), false, deps);
            case FOREIGN:
            default: {
                List<FieldDiff> diffs = resource.diff(desired, live);
                return adopt.test(id)
                        ? Change.of(id, Action.UPDATE, "exists without irsa's ownership marks: adopting"
                                + (diffs.isEmpty() ? "" : ", " + differ(diffs)), diffs, live.presence(), true, deps)
                        : Change.of(id, Action.REFUSE, "exists but is not managed by irsa", diffs, live.presence(),
                                false, deps);
            }
        }
    }

    private static String differ(List<FieldDiff> diffs) {
        return diffs.size() + (diffs.size() == 1 ? " field differs: " : " fields differ: ")
                + String.join(", ", diffs.stream().map(FieldDiff::name).toList());
    }

    /**
     * The resources a plan of {@code resources} holds: one per id, those given twice under one id
     * {@linkplain Resource#merge merged}. Pure; callers use it to refuse what cannot be one plan before any call
     * (e.g. before taking a lock).
     *
     * @throws DuplicateResourceException when two resources with one id cannot be merged
     */
    public static List<Resource> merge(Collection<? extends Resource> resources) {
        return List.copyOf(index(resources).values());
    }

    private static Map<ResourceId, Resource> index(Collection<? extends Resource> resources) {
        Map<ResourceId, Resource> byId = new LinkedHashMap<>();
        for (Resource resource : resources) {
            ResourceId id = Objects.requireNonNull(resource.id(), "resource id");
            Resource first = byId.putIfAbsent(id, resource);
            if (first != null) {
                Resource merged = Objects.requireNonNull(first.merge(resource), "merge() returned null");
                if (!merged.id().equals(id)) {
                    throw new IllegalStateException("merging two " + id + " gave " + merged.id());
                }
                byId.put(id, merged);
            }
        }
        return byId;
    }

    private static Map<ResourceId, Set<ResourceId>> dependencies(Map<ResourceId, Resource> byId) {
        Map<ResourceId, Set<ResourceId>> deps = new HashMap<>();
        byId.forEach((id, resource) -> deps.put(id, Set.copyOf(resource.dependsOn())));
        return deps;
    }

    private Map<ResourceId, Observed> observeAll(Map<ResourceId, Resource> byId, List<ResourceId> order,
                                                 Function<Resource, Observed> observer) {
        ExecutorService pool = budget.newPool("observe", order.size());
        try {
            Map<ResourceId, Future<Observed>> pending = new LinkedHashMap<>();
            for (ResourceId id : order) {
                Resource resource = byId.get(id);
                pending.put(id, pool.submit(() -> {
                    budget.acquire(resource.service(), false);
                    try {
                        return Objects.requireNonNull(observer.apply(resource), "observe() returned null");
                    } finally {
                        budget.release();
                    }
                }));
            }
            Map<ResourceId, Observed> observed = new HashMap<>();
            ObservationException failure = null;
            for (Map.Entry<ResourceId, Future<Observed>> entry : pending.entrySet()) {
                try {
                    observed.put(entry.getKey(), entry.getValue().get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = new ObservationException(entry.getKey(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PlanException("interrupted while observing resources", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return observed;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Outputs as known while planning: a dependency being created has none yet. */
    private static final class PlanInputs implements Inputs {
        private final Resource resource;
        private final Set<ResourceId> declared;
        private final Map<ResourceId, Observed> observed;
        private final Map<ResourceId, Action> actions;

        PlanInputs(Resource resource, Map<ResourceId, Observed> observed, Map<ResourceId, Action> actions) {
            this.resource = resource;
            this.declared = new HashSet<>(resource.dependsOn());
            this.observed = observed;
            this.actions = actions;
        }

        @Override
        public <T> Optional<T> output(ResourceId dependency, OutputKey<T> key) {
            return action(dependency) == Action.CREATE
                    ? Optional.empty()
                    : observed.get(dependency).outputs().get(key);
        }

        @Override
        public Action action(ResourceId dependency) {
            if (!declared.contains(dependency)) {
                throw new UnknownDependencyException(resource.id(), dependency);
            }
            return actions.get(dependency);
        }
    }

    public static final class Builder {
        private ExecutionBudget budget = ExecutionBudget.defaults();
        private Predicate<ResourceId> adopt = id -> false;

        private Builder() {
        }

        /** Limits on concurrent and per-service observations. */
        public Builder budget(ExecutionBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** Take over these existing objects that irsa does not own (apply adds the ownership marks). */
        public Builder adopt(ResourceId... ids) {
            Set<ResourceId> set = Set.of(ids);
            this.adopt = set::contains;
            return this;
        }

        /** Take over every existing object irsa does not own. Off by default. */
        public Builder adoptAll(boolean adoptAll) {
            this.adopt = id -> adoptAll;
            return this;
        }

        public Planner build() {
            return new Planner(this);
        }
    }
}

package dev.irsa.binding.internal;

import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.NamespaceKeptException;
import dev.irsa.plan.Action;
import dev.irsa.plan.ApplyContext;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Inputs;
import dev.irsa.plan.Observed;
import dev.irsa.plan.Outputs;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.Services;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The namespace: created and marked by irsa, or an existing one used as-is (never marked, never deleted). */
final class NamespaceResource implements Resource {
    private final String stack;
    private final String namespace;
    private final KubernetesExecutor k8s;
    private final Set<String> releasesRemovedFirst;
    /** Other stacks of the same plan with objects in it (many bindings sharing the namespace). */
    private final Set<String> otherStacks;

    NamespaceResource(String stack, String namespace, KubernetesExecutor k8s, Set<String> releasesRemovedFirst) {
        this(stack, namespace, k8s, releasesRemovedFirst, Set.of());
    }

    private NamespaceResource(String stack, String namespace, KubernetesExecutor k8s, Set<String> releasesRemovedFirst,
                              Set<String> otherStacks) {
        this.stack = stack;
        this.namespace = namespace;
        this.k8s = k8s;
        this.releasesRemovedFirst = Set.copyOf(releasesRemovedFirst);
        this.otherStacks = Set.copyOf(otherStacks);
    }

    /**
     * One namespace for every stack of the plan with objects in it: created and marked for the first, and on
     * destroy the others' objects (deleted before it, as they depend on it) do not keep it.
     */
    @Override
    public Resource merge(Resource other) {
        if (!(other instanceof NamespaceResource more)) {
            return Resource.super.merge(other);
        }
        Set<String> releases = new TreeSet<>(releasesRemovedFirst);
        releases.addAll(more.releasesRemovedFirst);
        Set<String> others = new TreeSet<>(otherStacks);
        others.add(more.stack);
        others.addAll(more.otherStacks);
        others.remove(stack);
        return new NamespaceResource(stack, namespace, k8s, releases, others);
    }

    @Override
    public ResourceId id() {
        return BindingResources.namespaceId(namespace);
    }

    @Override
    public String service() {
        return Services.KUBERNETES;
    }

    /**
     * Whose the namespace is, from one GET. Whether it holds foreign objects matters only when deleting it
     * ({@link #keepOnDestroy}), so planning an apply does not list its contents.
     */
    @Override
    public Observed observe() {
        return switch (k8s.namespaceOwnership(namespace, stack)) {
            case ABSENT -> Observed.absent();
            case CREATED_BY_STACK, ADOPTED_BY_STACK -> Observed.owned(Fields.of(f -> f.put("owner", "irsa stack " + stack)));
            // The executor uses a foreign namespace as-is and keeps it on delete: nothing to converge or refuse.
            case OTHER_STACK, FOREIGN -> Observed.external(Fields.of(f -> f.put("owner", "not this stack (used as it is, kept on destroy)")));
        };
    }

    @Override
    public Fields desired(Inputs inputs) {
        return Fields.empty();
    }

    @Override
    public Outputs apply(ApplyContext context) {
        k8s.ensureNamespace(namespace, stack);
        return Outputs.none();
    }

    /**
     * Destroy planning: what the namespace holds, across every namespaced type (API discovery). The stack's
     * own objects and its Helm releases' are removed before the namespace, so they do not keep it.
     */
    @Override
    public Optional<String> keepOnDestroy(Observed observed) {
        return k8s.namespaceKeepReason(namespace, stack, releasesRemovedFirst, otherStacks);
    }

    /** Looks inside again (something may have appeared since the plan) and fails, saying why, when it must stay. */
    @Override
    public void delete(ApplyContext context) {
        dev.irsa.kubernetes.Change done = k8s.deleteNamespace(namespace, stack);
        if (done.action() == dev.irsa.kubernetes.Change.Action.KEPT) {
            throw new NamespaceKeptException(namespace, String.join("; ", done.details()));
        }
    }
}

package dev.irsa.kubernetes.internal;

import dev.irsa.kubernetes.Change;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.NamespaceObservation;
import dev.irsa.kubernetes.Ownership;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Observe / ensure / delete a namespace. Planning an apply needs only whose the namespace is ({@link #ownership},
 * one GET); what it holds is listed, across every namespaced type the API server serves, only when asked
 * ({@link #observe}, for destroy plans) and by {@link #delete}. irsa deletes a namespace only when it created
 * it for the same stack and everything it holds is irsa's own (deleted first), put there by Kubernetes or
 * already being deleted; when that cannot be established (discovery or a list failed) it keeps the namespace.
 * On a real cluster deleting a namespace deletes everything in it.
 */
public final class NamespaceOperations {
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceOperations.class);
    private static final String KIND = "Namespace";

    private final KubernetesClient client;
    private final ConflictRetry retry;

    public NamespaceOperations(KubernetesClient client, ConflictRetry retry) {
        this.client = client;
        this.retry = retry;
    }

    /**
     * The namespace with what it holds: one GET, then (when it exists) API discovery and one list per
     * namespaced type ({@link NamespaceContents}).
     */
    public NamespaceObservation observe(String namespace, String stack) {
        try {
            Namespace live = client.namespaces().withName(namespace).get();
            Ownership ownership = ownership(stack, live);
            if (ownership == Ownership.ABSENT) {
                return new NamespaceObservation(namespace, Ownership.ABSENT, Map.of(), List.of(), List.of(), List.of());
            }
            NamespaceVerdict verdict = NamespaceVerdict.judge(NamespaceContents.list(client, namespace), namespace, stack, Set.of());
            return verdict.observation(namespace, ownership, ServiceAccountOperations.orEmpty(live.getMetadata().getLabels()));
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(client, KIND + " " + namespace, "read", e);
        }
    }

    /**
     * Why a namespace irsa created for {@code stack} must stay, from what it holds (no GET of the namespace
     * itself: the caller knows it is irsa's); empty when it may be deleted. For destroy planning.
     */
    public Optional<String> keepReason(String namespace, String stack, Set<String> releasesRemovedFirst, Set<String> stacksRemovedFirst) {
        try {
            return NamespaceVerdict.judge(NamespaceContents.list(client, namespace), namespace, stack, releasesRemovedFirst, stacksRemovedFirst)
                    .observation(namespace, Ownership.CREATED_BY_STACK, Map.of()).keepReason();
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(client, KIND + " " + namespace, "read", e);
        }
    }

    /**
     * Whose the namespace is, from its labels: one GET, no look inside. Enough to plan an apply; whether
     * it holds foreign objects matters only to {@link #delete}, which looks inside itself.
     */
    public Ownership ownership(String namespace, String stack) {
        try {
            return ownership(stack, client.namespaces().withName(namespace).get());
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(client, KIND + " " + namespace, "read", e);
        }
    }

    /**
     * Creates the namespace with irsa's labels when missing. An existing namespace is used as it is:
     * namespaces are shared, so irsa neither labels nor claims one it did not create.
     */
    public Change ensure(String namespace, String stack) {
        String target = KIND + " " + namespace;
        try {
            return retry.run(target, () -> {
                Resource<Namespace> resource = client.namespaces().withName(namespace);
                Namespace live = resource.get();
                if (live == null) {
                    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                            .withLabels(IrsaMetadata.ownershipLabels(stack)).endMetadata().build()).create();
                    LOG.info("created {}", target);
                    return new Change(Change.Action.CREATED, KIND, null, namespace, List.of());
                }
                Map<String, String> labels = ServiceAccountOperations.orEmpty(live.getMetadata().getLabels());
                if (IrsaMetadata.isOwnedBy(labels, stack)) {
                    return new Change(Change.Action.UNCHANGED, KIND, null, namespace, List.of());
                }
                return new Change(Change.Action.UNCHANGED, KIND, null, namespace,
                        List.of("exists and is not irsa's for stack '" + stack + "': used as it is, never deleted by irsa"));
            });
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(client, target, "ensure", e);
        }
    }

    public Change delete(String namespace, String stack) {
        String target = KIND + " " + namespace;
        try {
            Namespace live = client.namespaces().withName(namespace).get();
            Ownership ownership = ownership(stack, live);
            if (ownership == Ownership.ABSENT) {
                return new Change(Change.Action.ALREADY_ABSENT, KIND, null, namespace, List.of());
            }
            if (ownership != Ownership.CREATED_BY_STACK) {
                return new Change(Change.Action.KEPT, KIND, null, namespace, List.of("not created by irsa for stack '" + stack + "'"));
            }
            // Looked at again right before the delete: objects may have appeared since the plan. Listed once: the
            // same listing decides whether the namespace may go and which of its objects are ours.
            NamespaceVerdict verdict = NamespaceVerdict.judge(NamespaceContents.list(client, namespace), namespace, stack, Set.of());
            Optional<String> keep = verdict.observation(namespace, ownership, Map.of()).keepReason();
            if (keep.isPresent()) {
                LOG.info("keeping {}: {}", target, keep.get());
                return new Change(Change.Action.KEPT, KIND, null, namespace, List.of(keep.get()));
            }
            List<String> details = new ArrayList<>();
            for (NamespaceContents.Found own : verdict.stackObjects()) {
                client.genericKubernetesResources(own.type()).inNamespace(namespace).withName(own.object().getMetadata().getName()).delete();
                details.add("deleted " + own.id());
            }
            client.namespaces().withName(namespace).delete();
            LOG.info("deleted {} ({} irsa objects inside first)", target, details.size());
            return new Change(Change.Action.DELETED, KIND, null, namespace, details);
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(client, target, "delete", e);
        }
    }

    private static Ownership ownership(String stack, Namespace live) {
        if (live == null) {
            return Ownership.ABSENT;
        }
        Map<String, String> labels = ServiceAccountOperations.orEmpty(live.getMetadata().getLabels());
        return IrsaMetadata.isOwnedBy(labels, stack) ? Ownership.CREATED_BY_STACK
                : IrsaMetadata.isIrsaManaged(labels) ? Ownership.OTHER_STACK : Ownership.FOREIGN;
    }
}

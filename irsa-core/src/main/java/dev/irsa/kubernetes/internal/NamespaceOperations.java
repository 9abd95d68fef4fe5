package dev.irsa.kubernetes.internal;

import dev.irsa.kubernetes.Change;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.NamespaceObservation;
import dev.irsa.kubernetes.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Observe / ensure / delete a namespace. Planning needs only whose the namespace is ({@link #ownership}, one
 * GET); what it holds is listed only when asked ({@link #observe}) and by {@link #delete}. irsa deletes a namespace only when it created it for the same
 * stack and it holds nothing but irsa's own objects (which it deletes first: there is no cascade on the
 * fabric8 mock server, and on a real cluster this keeps the delete from taking foreign objects along).
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

    /** The namespace with what it holds: one GET, then (when it exists) one list per kind in {@link #contents}. */
    public NamespaceObservation observe(String namespace, String stack) {
        try {
            Namespace live = client.namespaces().withName(namespace).get();
            return observe(namespace, stack, live, live == null ? List.of() : contents(namespace));
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(KIND + " " + namespace, "read", e);
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
            throw ConflictRetry.failure(KIND + " " + namespace, "read", e);
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
            throw ConflictRetry.failure(target, "ensure", e);
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
            // Listed once: the same listing decides whether the namespace may go and which of its objects are ours.
            List<HasMetadata> contents = contents(namespace);
            NamespaceObservation observed = observe(namespace, stack, live, contents);
            if (!observed.foreignObjects().isEmpty()) {
                return new Change(Change.Action.KEPT, KIND, null, namespace,
                        List.of("holds objects that are not irsa's: " + String.join(", ", observed.foreignObjects())));
            }
            List<String> details = new ArrayList<>();
            for (HasMetadata own : stackObjects(contents, stack)) {
                client.resource(own).inNamespace(namespace).delete();
                details.add("deleted " + HasMetadata.getKind(own.getClass()) + " " + own.getMetadata().getName());
            }
            client.namespaces().withName(namespace).delete();
            LOG.info("deleted {} ({} irsa objects inside first)", target, details.size());
            return new Change(Change.Action.DELETED, KIND, null, namespace, details);
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(target, "delete", e);
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

    private static NamespaceObservation observe(String namespace, String stack, Namespace live, List<HasMetadata> contents) {
        Ownership ownership = ownership(stack, live);
        if (ownership == Ownership.ABSENT) {
            return new NamespaceObservation(namespace, Ownership.ABSENT, Map.of(), List.of(), List.of());
        }
        Map<String, String> labels = ServiceAccountOperations.orEmpty(live.getMetadata().getLabels());
        List<String> foreign = new ArrayList<>();
        List<String> own = new ArrayList<>();
        for (HasMetadata o : contents) {
            String id = HasMetadata.getKind(o.getClass()) + " " + o.getMetadata().getName();
            if (IrsaMetadata.isOwnedBy(o.getMetadata().getLabels(), stack)) {
                own.add(id);
            } else if (!isPutThereByKubernetes(o)) {
                foreign.add(id);
            }
        }
        return new NamespaceObservation(namespace, ownership, labels, foreign, own);
    }

    private static List<HasMetadata> stackObjects(List<HasMetadata> contents, String stack) {
        return contents.stream().filter(o -> IrsaMetadata.isOwnedBy(o.getMetadata().getLabels(), stack)).toList();
    }

    /**
     * The kinds irsa or a runner puts into a namespace, and the ones that commonly hold user workloads' state:
     * one list per kind. Kubernetes has no "everything in a namespace" call (kubectl's {@code get all} is API
     * discovery plus a list per kind), and a label selector cannot stand in: unlabelled objects must count.
     */
    private List<HasMetadata> contents(String namespace) {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.pods().inNamespace(namespace).list().getItems());
        all.addAll(client.serviceAccounts().inNamespace(namespace).list().getItems());
        all.addAll(client.secrets().inNamespace(namespace).list().getItems());
        all.addAll(client.configMaps().inNamespace(namespace).list().getItems());
        all.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
        all.addAll(client.apps().statefulSets().inNamespace(namespace).list().getItems());
        return all;
    }

    /** Every namespace gets these from Kubernetes controllers; they do not make it "in use". */
    private static boolean isPutThereByKubernetes(HasMetadata o) {
        String name = o.getMetadata().getName();
        return switch (HasMetadata.getKind(o.getClass())) {
            case "ServiceAccount" -> "default".equals(name);
            case "ConfigMap" -> "kube-root-ca.crt".equals(name);
            case "Secret" -> "kubernetes.io/service-account-token".equals(((Secret) o).getType())
                    && "default".equals(ServiceAccountOperations.orEmpty(o.getMetadata().getAnnotations()).get("kubernetes.io/service-account.name"));
            default -> false;
        };
    }
}

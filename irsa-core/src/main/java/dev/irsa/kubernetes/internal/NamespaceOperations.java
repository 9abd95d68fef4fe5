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
 * Observe / ensure / delete a namespace. irsa deletes a namespace only when it created it for the same
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

    public NamespaceObservation observe(String namespace, String stack) {
        try {
            Namespace live = client.namespaces().withName(namespace).get();
            return observe(namespace, stack, live);
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
            NamespaceObservation observed = observe(namespace, stack, live);
            if (!observed.exists()) {
                return new Change(Change.Action.ALREADY_ABSENT, KIND, null, namespace, List.of());
            }
            if (observed.ownership() != Ownership.CREATED_BY_STACK) {
                return new Change(Change.Action.KEPT, KIND, null, namespace, List.of("not created by irsa for stack '" + stack + "'"));
            }
            if (!observed.foreignObjects().isEmpty()) {
                return new Change(Change.Action.KEPT, KIND, null, namespace,
                        List.of("holds objects that are not irsa's: " + String.join(", ", observed.foreignObjects())));
            }
            List<String> details = new ArrayList<>();
            for (HasMetadata own : stackObjects(namespace, stack)) {
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

    private NamespaceObservation observe(String namespace, String stack, Namespace live) {
        if (live == null) {
            return new NamespaceObservation(namespace, Ownership.ABSENT, Map.of(), List.of(), List.of());
        }
        Map<String, String> labels = ServiceAccountOperations.orEmpty(live.getMetadata().getLabels());
        Ownership ownership = IrsaMetadata.isOwnedBy(labels, stack) ? Ownership.CREATED_BY_STACK
                : IrsaMetadata.isIrsaManaged(labels) ? Ownership.OTHER_STACK : Ownership.FOREIGN;
        List<String> foreign = new ArrayList<>();
        List<String> own = new ArrayList<>();
        for (HasMetadata o : contents(namespace)) {
            String id = HasMetadata.getKind(o.getClass()) + " " + o.getMetadata().getName();
            if (IrsaMetadata.isOwnedBy(o.getMetadata().getLabels(), stack)) {
                own.add(id);
            } else if (!isPutThereByKubernetes(o)) {
                foreign.add(id);
            }
        }
        return new NamespaceObservation(namespace, ownership, labels, foreign, own);
    }

    private List<HasMetadata> stackObjects(String namespace, String stack) {
        return contents(namespace).stream().filter(o -> IrsaMetadata.isOwnedBy(o.getMetadata().getLabels(), stack)).toList();
    }

    /** The kinds irsa or a runner puts into a namespace, and the ones that commonly hold user workloads' state. */
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

package dev.irsa.kubernetes.internal;

import dev.irsa.kubernetes.Change;
import dev.irsa.kubernetes.Drift;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.KubernetesOwnershipException;
import dev.irsa.kubernetes.Ownership;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.kubernetes.ServiceAccountObservation;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ServiceAccountResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Observe / ensure / remove the IRSA binding on a service account. */
public final class ServiceAccountOperations {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountOperations.class);
    private static final String KIND = "ServiceAccount";
    /** The webhook's keys; irsa owns them on a bound service account and removes the ones the binding drops. */
    static final List<String> BINDING_ANNOTATIONS = List.of(IrsaMetadata.ROLE_ARN_ANNOTATION, IrsaMetadata.AUDIENCE_ANNOTATION,
            IrsaMetadata.STS_REGIONAL_ENDPOINTS_ANNOTATION, IrsaMetadata.TOKEN_EXPIRATION_ANNOTATION);

    private final KubernetesClient client;
    private final ConflictRetry retry;

    public ServiceAccountOperations(KubernetesClient client, ConflictRetry retry) {
        this.client = client;
        this.retry = retry;
    }

    public ServiceAccountObservation observe(ServiceAccountBinding binding) {
        String target = target(binding.namespace(), binding.name());
        try {
            return observe(binding, resource(binding.namespace(), binding.name()).get());
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(client, target, "read", e);
        }
    }

    public Change ensure(ServiceAccountBinding binding) {
        String target = target(binding.namespace(), binding.name());
        try {
            return retry.run(target, () -> ensureOnce(binding, target));
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(client, target, "ensure", e);
        }
    }

    /**
     * Deletes the service account if irsa created it for this stack; strips irsa's annotations and labels
     * if irsa adopted it; leaves anything else alone.
     */
    public Change remove(String namespace, String name, String stack) {
        String target = target(namespace, name);
        try {
            return retry.run(target, () -> removeOnce(namespace, name, stack));
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(client, target, "remove", e);
        }
    }

    private Change ensureOnce(ServiceAccountBinding b, String target) {
        ServiceAccountResource resource = resource(b.namespace(), b.name());
        ServiceAccount live = resource.get();
        if (live == null) {
            Map<String, String> annotations = new LinkedHashMap<>(b.annotations());
            annotations.put(IrsaMetadata.ORIGIN_ANNOTATION, IrsaMetadata.ORIGIN_CREATED);
            client.serviceAccounts().inNamespace(b.namespace()).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withNamespace(b.namespace()).withName(b.name())
                    .withLabels(b.labels()).withAnnotations(annotations).endMetadata()
                    .build()).create();
            String bound = b.roleArn().map(arn -> "role " + arn).orElse("no role annotation (Pod Identity)");
            LOG.info("created {}: {}", target, bound);
            return new Change(Change.Action.CREATED, KIND, b.namespace(), b.name(), List.of(bound));
        }
        ServiceAccountObservation observed = observe(b, live);
        Ownership ownership = observed.ownership();
        if (!ownership.ownedByStack() && !b.adopt()) {
            String why = ownership == Ownership.OTHER_STACK
                    ? "belongs to irsa stack '" + observed.labels().get(IrsaMetadata.STACK_LABEL) + "'"
                    : "exists without irsa's labels (" + IrsaMetadata.MANAGED_BY_LABEL + "=" + IrsaMetadata.MANAGED_BY_VALUE + ")";
            throw new KubernetesOwnershipException(target, why + "; refusing to take it over. Set adopt(true) to bind it anyway");
        }
        ObjectPatch patch = metadataPatch(live);
        List<String> details = new ArrayList<>();
        for (Drift d : observed.drift()) {
            details.add(d.toString());
        }
        b.labels().forEach((k, v) -> patch.set(LABELS, k, v));
        for (String key : BINDING_ANNOTATIONS) {
            String want = b.annotations().get(key);
            if (want == null) {
                patch.remove(ANNOTATIONS, key);
            } else {
                patch.set(ANNOTATIONS, key, want);
            }
        }
        if (!ownership.ownedByStack()) {
            // Taken over (adopt): remember it was not ours, so removing the binding keeps the account.
            String origin = ownership == Ownership.OTHER_STACK
                    ? observed.annotations().getOrDefault(IrsaMetadata.ORIGIN_ANNOTATION, IrsaMetadata.ORIGIN_ADOPTED)
                    : IrsaMetadata.ORIGIN_ADOPTED;
            patch.set(ANNOTATIONS, IrsaMetadata.ORIGIN_ANNOTATION, origin);
            details.add("adopted (was " + ownership + ")");
        }
        if (patch.isEmpty()) {
            return new Change(Change.Action.UNCHANGED, KIND, b.namespace(), b.name(), List.of());
        }
        resource.patch(PatchContext.of(PatchType.JSON), patch.toJson());
        LOG.info("updated {}: {}", target, details);
        return new Change(Change.Action.UPDATED, KIND, b.namespace(), b.name(), details);
    }

    private Change removeOnce(String namespace, String name, String stack) {
        ServiceAccountResource resource = resource(namespace, name);
        ServiceAccount live = resource.get();
        if (live == null) {
            return new Change(Change.Action.ALREADY_ABSENT, KIND, namespace, name, List.of());
        }
        Map<String, String> labels = orEmpty(live.getMetadata().getLabels());
        Map<String, String> annotations = orEmpty(live.getMetadata().getAnnotations());
        Ownership ownership = ownership(labels, annotations, stack);
        if (!ownership.ownedByStack()) {
            return new Change(Change.Action.KEPT, KIND, namespace, name, List.of("not irsa's for stack '" + stack + "' (" + ownership + ")"));
        }
        if (ownership == Ownership.CREATED_BY_STACK) {
            // Delete only the version we looked at: if someone changed it meanwhile, look again (409).
            resource.lockResourceVersion(live.getMetadata().getResourceVersion()).delete();
            LOG.info("deleted {}", target(namespace, name));
            return new Change(Change.Action.DELETED, KIND, namespace, name, List.of("created by irsa"));
        }
        ObjectPatch patch = metadataPatch(live);
        BINDING_ANNOTATIONS.forEach(k -> patch.remove(ANNOTATIONS, k));
        patch.remove(ANNOTATIONS, IrsaMetadata.ORIGIN_ANNOTATION);
        patch.remove(LABELS, IrsaMetadata.MANAGED_BY_LABEL);
        patch.remove(LABELS, IrsaMetadata.STACK_LABEL);
        resource.patch(PatchContext.of(PatchType.JSON), patch.toJson());
        LOG.info("removed irsa's annotations and labels from adopted {}", target(namespace, name));
        return new Change(Change.Action.UPDATED, KIND, namespace, name, List.of("adopted: removed irsa's annotations and labels, kept the account"));
    }

    private static ServiceAccountObservation observe(ServiceAccountBinding b, ServiceAccount live) {
        if (live == null) {
            return new ServiceAccountObservation(b.namespace(), b.name(), Ownership.ABSENT, Map.of(), Map.of(), List.of());
        }
        Map<String, String> labels = orEmpty(live.getMetadata().getLabels());
        Map<String, String> annotations = orEmpty(live.getMetadata().getAnnotations());
        List<Drift> drift = new ArrayList<>();
        b.labels().forEach((k, v) -> {
            if (!v.equals(labels.get(k))) {
                drift.add(new Drift("metadata.labels[" + k + "]", v, labels.get(k)));
            }
        });
        for (String key : BINDING_ANNOTATIONS) {
            String want = b.annotations().get(key);
            String have = annotations.get(key);
            if (!Objects.equals(want, have)) {
                drift.add(new Drift("metadata.annotations[" + key + "]", want, have));
            }
        }
        return new ServiceAccountObservation(b.namespace(), b.name(), ownership(labels, annotations, b.stack()), annotations, labels, drift);
    }

    static Ownership ownership(Map<String, String> labels, Map<String, String> annotations, String stack) {
        if (IrsaMetadata.isOwnedBy(labels, stack)) {
            return IrsaMetadata.ORIGIN_ADOPTED.equals(annotations.get(IrsaMetadata.ORIGIN_ANNOTATION))
                    ? Ownership.ADOPTED_BY_STACK : Ownership.CREATED_BY_STACK;
        }
        return IrsaMetadata.isIrsaManaged(labels) ? Ownership.OTHER_STACK : Ownership.FOREIGN;
    }

    static final String LABELS = "/metadata/labels";
    static final String ANNOTATIONS = "/metadata/annotations";

    static ObjectPatch metadataPatch(io.fabric8.kubernetes.api.model.HasMetadata live) {
        Map<String, Map<String, String>> sections = new java.util.HashMap<>();
        sections.put(LABELS, live.getMetadata().getLabels());
        sections.put(ANNOTATIONS, live.getMetadata().getAnnotations());
        return new ObjectPatch(live.getMetadata().getResourceVersion(), sections);
    }

    private ServiceAccountResource resource(String namespace, String name) {
        return client.serviceAccounts().inNamespace(namespace).withName(name);
    }

    static String target(String namespace, String name) {
        return KIND + " " + namespace + "/" + name;
    }

    static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}

package dev.irsa.kubernetes.internal;

import dev.irsa.kubernetes.Change;
import dev.irsa.kubernetes.Drift;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.KubernetesOwnershipException;
import dev.irsa.kubernetes.Ownership;
import dev.irsa.kubernetes.RunnerTokenSecret;
import dev.irsa.kubernetes.SecretObservation;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Observe / ensure / delete the runner-token Secret. The token goes into {@code data} base64-encoded (the
 * mock server does not turn {@code stringData} into {@code data}); it is compared in constant time and
 * never logged, put in an exception message or chained as a cause.
 */
public final class RunnerSecretOperations {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerSecretOperations.class);
    private static final String KIND = "Secret";
    private static final String DATA = "/data";
    /** The annotations {@link #record} may write. */
    private static final java.util.Set<String> RECORDS = java.util.Set.of(IrsaMetadata.RUNNER_REGISTRATION_ANNOTATION,
            IrsaMetadata.PIPELINE_SHA256_ANNOTATION);

    private final KubernetesClient client;
    private final ConflictRetry retry;

    public RunnerSecretOperations(KubernetesClient client, ConflictRetry retry) {
        this.client = client;
        this.retry = retry;
    }

    public SecretObservation observe(RunnerTokenSecret spec) {
        String target = target(spec.namespace(), spec.name());
        try {
            return observe(spec, resource(spec.namespace(), spec.name()).get());
        } catch (KubernetesClientException e) {
            throw ConflictRetry.redactedFailure(client, target, "read", e);
        }
    }

    public Change ensure(RunnerTokenSecret spec) {
        String target = target(spec.namespace(), spec.name());
        try {
            return retry.run(target, () -> ensureOnce(spec, target));
        } catch (KubernetesClientException e) {
            throw ConflictRetry.redactedFailure(client, target, "ensure", e);
        }
    }

    /**
     * Writes irsa's records ({@code records}: annotation keys of {@link #RECORDS}; a null value removes one) on
     * the stack's Secret before the runner token exists: creates the Secret, labelled and with the empty
     * registration key but no runner token, when it is absent. A Secret that is not the stack's is refused.
     */
    public Change record(String namespace, String name, String stack, Map<String, String> records) {
        if (!RECORDS.containsAll(records.keySet())) {
            throw new IllegalArgumentException("not a record irsa keeps on the runner Secret: " + records.keySet());
        }
        String target = target(namespace, name);
        try {
            return retry.run(target, () -> recordOnce(namespace, name, stack, records, target));
        } catch (KubernetesClientException e) {
            throw ConflictRetry.redactedFailure(client, target, "record on", e);
        }
    }

    private Change recordOnce(String namespace, String name, String stack, Map<String, String> records, String target) {
        Resource<Secret> resource = resource(namespace, name);
        Secret live = resource.get();
        if (live == null) {
            Map<String, String> annotations = new HashMap<>(records);
            annotations.values().removeIf(java.util.Objects::isNull);
            client.secrets().inNamespace(namespace).resource(new SecretBuilder()
                    .withNewMetadata().withNamespace(namespace).withName(name)
                    .withLabels(IrsaMetadata.ownershipLabels(stack)).withAnnotations(annotations).endMetadata()
                    .withType("Opaque").withData(Map.of(RunnerTokenSecret.REGISTRATION_TOKEN_KEY, "")).build()).create();
            LOG.info("created {} to record {} (no runner token yet)", target, records.keySet());
            return new Change(Change.Action.CREATED, KIND, namespace, name, List.of());
        }
        if (!IrsaMetadata.isOwnedBy(live.getMetadata().getLabels(), stack)) {
            throw new KubernetesOwnershipException(target, "exists and is not irsa's for stack '" + stack + "'; refusing to record on it");
        }
        Map<String, Map<String, String>> sections = new HashMap<>();
        sections.put(ServiceAccountOperations.ANNOTATIONS, live.getMetadata().getAnnotations());
        ObjectPatch patch = new ObjectPatch(live.getMetadata().getResourceVersion(), sections);
        records.forEach((k, v) -> {
            if (v == null) {
                patch.remove(ServiceAccountOperations.ANNOTATIONS, k);
            } else {
                patch.set(ServiceAccountOperations.ANNOTATIONS, k, v);
            }
        });
        if (patch.isEmpty()) {
            return new Change(Change.Action.UNCHANGED, KIND, namespace, name, List.of());
        }
        resource.patch(PatchContext.of(PatchType.JSON), patch.toJson());
        LOG.info("recorded {} on {}", records.keySet(), target);
        return new Change(Change.Action.UPDATED, KIND, namespace, name, List.of(records.keySet().toString()));
    }

    public Change delete(String namespace, String name, String stack) {
        String target = target(namespace, name);
        try {
            return retry.run(target, () -> {
                Resource<Secret> resource = resource(namespace, name);
                Secret live = resource.get();
                if (live == null) {
                    return new Change(Change.Action.ALREADY_ABSENT, KIND, namespace, name, List.of());
                }
                if (!IrsaMetadata.isOwnedBy(live.getMetadata().getLabels(), stack)) {
                    return new Change(Change.Action.KEPT, KIND, namespace, name, List.of("not irsa's for stack '" + stack + "'"));
                }
                resource.lockResourceVersion(live.getMetadata().getResourceVersion()).delete();
                LOG.info("deleted {}", target);
                return new Change(Change.Action.DELETED, KIND, namespace, name, List.of());
            });
        } catch (KubernetesClientException e) {
            throw ConflictRetry.redactedFailure(client, target, "delete", e);
        }
    }

    private Change ensureOnce(RunnerTokenSecret spec, String target) {
        Resource<Secret> resource = resource(spec.namespace(), spec.name());
        Secret live = resource.get();
        if (live == null) {
            client.secrets().inNamespace(spec.namespace()).resource(new SecretBuilder()
                    .withNewMetadata().withNamespace(spec.namespace()).withName(spec.name())
                    .withLabels(IrsaMetadata.ownershipLabels(spec.stack()))
                    .withAnnotations(desiredAnnotations(spec)).endMetadata()
                    .withType("Opaque")
                    .withData(desiredData(spec))
                    .build()).create();
            LOG.info("created {} (runner token {})", target, spec.token());
            return new Change(Change.Action.CREATED, KIND, spec.namespace(), spec.name(), List.of());
        }
        SecretObservation observed = observe(spec, live);
        if (!observed.ownership().ownedByStack() && !spec.adopt()) {
            throw new KubernetesOwnershipException(target,
                    "exists and is not irsa's for stack '" + spec.stack() + "' (" + observed.ownership() + "); refusing to overwrite it. Set adopt(true) to take it over");
        }
        Map<String, Map<String, String>> sections = new HashMap<>();
        sections.put(ServiceAccountOperations.LABELS, live.getMetadata().getLabels());
        sections.put(ServiceAccountOperations.ANNOTATIONS, live.getMetadata().getAnnotations());
        sections.put(DATA, live.getData());
        ObjectPatch patch = new ObjectPatch(live.getMetadata().getResourceVersion(), sections);
        IrsaMetadata.ownershipLabels(spec.stack()).forEach((k, v) -> patch.set(ServiceAccountOperations.LABELS, k, v));
        if (!observed.tokenMatches()) {
            patch.set(DATA, RunnerTokenSecret.RUNNER_TOKEN_KEY, encode(spec.token().reveal()));
        }
        patch.set(DATA, RunnerTokenSecret.REGISTRATION_TOKEN_KEY, "");
        desiredAnnotations(spec).forEach((k, v) -> patch.set(ServiceAccountOperations.ANNOTATIONS, k, v));
        if (spec.runnerId().isPresent()) {
            // the id is recorded now: it, not the registration nonce, proves the runner is irsa's
            patch.remove(ServiceAccountOperations.ANNOTATIONS, IrsaMetadata.RUNNER_REGISTRATION_ANNOTATION);
        }
        if (spec.runnerId().isEmpty() && !observed.tokenMatches()) {
            // a new token written without its runner id must not keep the id of the runner it replaced
            patch.remove(ServiceAccountOperations.ANNOTATIONS, IrsaMetadata.RUNNER_ID_ANNOTATION);
        }
        if (patch.isEmpty()) {
            return new Change(Change.Action.UNCHANGED, KIND, spec.namespace(), spec.name(), List.of());
        }
        resource.patch(PatchContext.of(PatchType.JSON), patch.toJson());
        List<String> details = observed.drift().stream().map(Drift::toString).toList();
        LOG.info("updated {}: {}", target, details);
        return new Change(Change.Action.UPDATED, KIND, spec.namespace(), spec.name(), details);
    }

    private static SecretObservation observe(RunnerTokenSecret spec, Secret live) {
        if (live == null) {
            return new SecretObservation(spec.namespace(), spec.name(), Ownership.ABSENT, false, List.of());
        }
        Map<String, String> labels = ServiceAccountOperations.orEmpty(live.getMetadata().getLabels());
        Ownership ownership = IrsaMetadata.isOwnedBy(labels, spec.stack()) ? Ownership.CREATED_BY_STACK
                : IrsaMetadata.isIrsaManaged(labels) ? Ownership.OTHER_STACK : Ownership.FOREIGN;
        List<Drift> drift = new ArrayList<>();
        IrsaMetadata.ownershipLabels(spec.stack()).forEach((k, v) -> {
            if (!v.equals(labels.get(k))) {
                drift.add(new Drift("metadata.labels[" + k + "]", v, labels.get(k)));
            }
        });
        Map<String, String> data = ServiceAccountOperations.orEmpty(live.getData());
        boolean tokenMatches = tokenMatches(spec, data);
        if (!tokenMatches) {
            drift.add(new Drift("data[" + RunnerTokenSecret.RUNNER_TOKEN_KEY + "]", "the given token",
                    data.containsKey(RunnerTokenSecret.RUNNER_TOKEN_KEY) ? "a different token" : null));
        }
        String registration = data.get(RunnerTokenSecret.REGISTRATION_TOKEN_KEY);
        if (!"".equals(registration)) {
            drift.add(new Drift("data[" + RunnerTokenSecret.REGISTRATION_TOKEN_KEY + "]", "",
                    registration == null ? null : "a non-empty value"));
        }
        Map<String, String> annotations = ServiceAccountOperations.orEmpty(live.getMetadata().getAnnotations());
        return new SecretObservation(spec.namespace(), spec.name(), ownership, tokenMatches, drift, runnerId(annotations),
                records(annotations));
    }

    /** irsa's records on the Secret other than the runner id (see {@link SecretObservation#records()}). */
    private static Map<String, String> records(Map<String, String> annotations) {
        Map<String, String> records = new HashMap<>();
        for (String key : RECORDS) {
            if (annotations.containsKey(key)) {
                records.put(key, annotations.get(key));
            }
        }
        return records;
    }

    private static Optional<Long> runnerId(Map<String, String> annotations) {
        String value = annotations.get(IrsaMetadata.RUNNER_ID_ANNOTATION);
        if (value == null) {
            return Optional.empty();
        }
        try {
            long id = Long.parseLong(value.trim());
            return id > 0 ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // edited by hand: treated as not recorded
        }
    }

    private static Map<String, String> desiredAnnotations(RunnerTokenSecret spec) {
        return spec.runnerId().map(id -> Map.of(IrsaMetadata.RUNNER_ID_ANNOTATION, Long.toString(id))).orElse(Map.of());
    }

    private static boolean tokenMatches(RunnerTokenSecret spec, Map<String, String> data) {
        String encoded = data.get(RunnerTokenSecret.RUNNER_TOKEN_KEY);
        if (encoded == null) {
            return false;
        }
        byte[] live;
        try {
            live = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(live, spec.token().reveal().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> desiredData(RunnerTokenSecret spec) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(RunnerTokenSecret.RUNNER_TOKEN_KEY, encode(spec.token().reveal()));
        data.put(RunnerTokenSecret.REGISTRATION_TOKEN_KEY, "");
        return data;
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private Resource<Secret> resource(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name);
    }

    private static String target(String namespace, String name) {
        return KIND + " " + namespace + "/" + name;
    }
}

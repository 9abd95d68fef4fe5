package dev.irsa.kubernetes;

import dev.irsa.validation.Validators;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verbs on one kind of Kubernetes object that irsa (or Helm on its behalf) will use, e.g. {@code get, create,
 * patch, delete} on {@code secrets} in namespace {@code dev}. {@code group} is the API group ({@code ""} for the
 * core group), {@code resource} the plural name, optionally with a subresource ({@code serviceaccounts/token});
 * an empty namespace means cluster-scoped (namespaces) or every namespace.
 */
public record AccessRequest(String group, String resource, List<String> verbs, Optional<String> namespace) {
    public AccessRequest {
        Objects.requireNonNull(group, "group");
        Validators.notBlank("access.resource", resource);
        verbs = List.copyOf(verbs);
        if (verbs.isEmpty()) {
            throw new dev.irsa.ValidationException("access.verbs", verbs, "at least one verb");
        }
        Objects.requireNonNull(namespace, "namespace");
    }

    /** Verbs on a namespaced resource in {@code namespace}. */
    public static AccessRequest namespaced(String group, String resource, String namespace, String... verbs) {
        return new AccessRequest(group, resource, List.of(verbs), Optional.of(Validators.namespace("access.namespace", namespace)));
    }

    /** Verbs on a cluster-scoped resource (e.g. {@code namespaces}). */
    public static AccessRequest clusterScoped(String group, String resource, String... verbs) {
        return new AccessRequest(group, resource, List.of(verbs), Optional.empty());
    }

    /** The resource without its subresource. */
    public String baseResource() {
        int slash = resource.indexOf('/');
        return slash < 0 ? resource : resource.substring(0, slash);
    }

    /** The subresource ({@code token} of {@code serviceaccounts/token}), if any. */
    public Optional<String> subresource() {
        int slash = resource.indexOf('/');
        return slash < 0 ? Optional.empty() : Optional.of(resource.substring(slash + 1));
    }

    /** {@code secrets in dev}, {@code leases.coordination.k8s.io in default}, {@code namespaces (cluster-wide)}. */
    public String describe() {
        String kind = group.isEmpty() ? resource : baseResource() + "." + group + subresource().map(s -> "/" + s).orElse("");
        return kind + namespace.map(ns -> " in " + ns).orElse(" (cluster-wide)");
    }

    /** What the API server answered for each verb: allowed, and its reason when it gives one. */
    public record Decision(AccessRequest request, String verb, boolean allowed, String reason) {
        public Decision {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(verb, "verb");
            reason = reason == null ? "" : reason;
        }
    }
}

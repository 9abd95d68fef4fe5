package dev.irsa.binding.internal;

import dev.irsa.binding.PlanLookups;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.ServiceAccountSpec;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.plan.FieldValue;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The plan resources of a {@link RoleBinding} (one class each beside this one: {@link ProviderResource}, {@link RoleResource},
 * {@link NamespaceResource}, {@link ServiceAccountResource}, {@link PodIdentityResource}), their ids, and what they share.
 */
public final class BindingResources {
    static final String TRUST = "trust_policy";
    static final String INLINE = "inline_policy.";
    static final String TAG = "tags.";

    private BindingResources() {
    }

    public static List<Resource> create(RoleBinding binding, BindingBackends backends, boolean iamOnly) {
        return create(binding, backends, iamOnly, PlanLookups.create(backends.aws()));
    }

    /**
     * The resources of many bindings for one plan: lookups are made once for all of them, and the resources
     * they share (the OIDC provider of their cluster, a namespace) come once per binding and are
     * {@linkplain Resource#merge merged} by the planner.
     */
    public static List<Resource> createAll(List<RoleBinding> bindings, BindingBackends backends, boolean iamOnly) {
        PlanLookups lookups = PlanLookups.create(backends.aws());
        List<Resource> resources = new ArrayList<>();
        bindings.forEach(b -> resources.addAll(create(b, backends, iamOnly, lookups)));
        return List.copyOf(resources);
    }

    public static List<Resource> create(RoleBinding binding, BindingBackends backends, boolean iamOnly, PlanLookups lookups) {
        Resolution resolution = new Resolution(binding, lookups);
        List<Resource> resources = new ArrayList<>();
        Optional<ResourceId> provider = Optional.empty();
        if (binding.mode() != IdentityMode.POD_IDENTITY) {
            ProviderResource p = new ProviderResource(binding, backends, resolution);
            resources.add(p);
            provider = Optional.of(p.id());
        }
        resources.add(new RoleResource(binding, backends, resolution, provider));
        if (!iamOnly && binding.serviceAccount().isPresent()) {
            KubernetesExecutor k8s = backends.requireKubernetes("the service account of " + binding);
            ServiceAccountSpec sa = binding.serviceAccount().get();
            resources.add(new NamespaceResource(binding.name(), sa.namespace(), k8s, Set.of()));
            // Both modes need the account to exist: the ServiceAccount admission refuses a pod naming a missing one.
            resources.add(new ServiceAccountResource(binding, k8s, resolution));
            if (binding.mode() == IdentityMode.POD_IDENTITY) {
                resources.add(new PodIdentityResource(binding, backends, resolution));
            }
        }
        return List.copyOf(resources);
    }

    /**
     * A namespace resource (created and marked, or a foreign one used as-is) for stacks needing another
     * namespace, or holding Helm releases: {@code releasesRemovedFirst} are the stack's releases in it, which
     * a destroy uninstalls before the namespace (planning does not count their objects as foreign).
     */
    public static Resource namespace(String stack, String namespace, KubernetesExecutor k8s, Set<String> releasesRemovedFirst) {
        return new NamespaceResource(stack, namespace, k8s, releasesRemovedFirst);
    }

    public static ResourceId roleId(RoleBinding binding) {
        return ResourceId.of("iam.role", binding.role().name());
    }

    public static ResourceId namespaceId(String namespace) {
        return ResourceId.of("kubernetes.namespace", namespace);
    }

    public static Optional<ResourceId> workloadId(RoleBinding binding) {
        return binding.serviceAccount().flatMap(sa -> switch (binding.mode()) {
            case IRSA -> serviceAccountId(binding);
            case POD_IDENTITY -> Optional.of(ResourceId.of("eks.pod-identity-association",
                    binding.cluster().flatMap(ClusterRef::clusterName).orElseThrow() + "/" + sa.namespace() + "/" + sa.name()));
            case GITLAB_OIDC -> Optional.empty();
        });
    }

    /** The service account's resource (IRSA and Pod Identity). */
    public static Optional<ResourceId> serviceAccountId(RoleBinding binding) {
        return binding.mode() == IdentityMode.GITLAB_OIDC ? Optional.empty()
                : binding.serviceAccount().map(sa -> ResourceId.of("kubernetes.service-account", sa.namespace() + "/" + sa.name()));
    }

    static ResourceId providerId(RoleBinding binding) {
        if (binding.mode() == IdentityMode.GITLAB_OIDC) {
            return ResourceId.of("iam.oidc-provider", binding.gitlabOidc().orElseThrow().issuerUrl().substring("https://".length()));
        }
        ClusterRef cluster = binding.cluster().orElseThrow();
        return ResourceId.of("iam.oidc-provider", cluster.issuerUrl().map(u -> u.substring("https://".length()))
                .orElseGet(() -> "eks:" + cluster.clusterName().orElseThrow()));
    }

    static String text(FieldValue value) {
        return value instanceof FieldValue.Known k ? k.text() : value.render();
    }

    /**
     * One field per tag ({@code tags.<key>}), so the plan shows every tag apply writes and a diff names the
     * tag that is missing; live tags irsa does not write are not desired fields, so they never differ.
     */
    static Fields.Builder putTags(Fields.Builder fields, Map<String, String> tags) {
        tags.forEach((k, v) -> fields.put(TAG + k, v));
        return fields;
    }
}

package dev.irsa.binding.internal;

import dev.irsa.binding.PlanLookups;
import dev.irsa.aws.ProviderStillTrustedException;
import dev.irsa.aws.DesiredOidcProvider;
import dev.irsa.aws.DesiredRole;
import dev.irsa.aws.ObservedOidcProvider;
import dev.irsa.aws.ObservedPodIdentityAssociation;
import dev.irsa.aws.ObservedRole;
import dev.irsa.aws.Ownership;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.RoleSpec;
import dev.irsa.binding.ServiceAccountSpec;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.NamespaceKeptException;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.kubernetes.ServiceAccountObservation;
import dev.irsa.plan.Action;
import dev.irsa.plan.ApplyContext;
import dev.irsa.plan.FieldDiff;
import dev.irsa.plan.FieldValue;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Inputs;
import dev.irsa.plan.KeptOnDestroyException;
import dev.irsa.plan.Observed;
import dev.irsa.plan.Outputs;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.Services;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.policy.TrustPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The plan resources of a {@link RoleBinding}. */
public final class BindingResources {
    private static final Logger LOG = LoggerFactory.getLogger(BindingResources.class);
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

    /**
     * The IAM OIDC provider for the cluster's (or GitLab's) issuer; one for all the bindings of a plan that
     * trust it ({@link #merge}), with every audience they need as client ids.
     */
    static final class ProviderResource implements Resource {
        private final List<RoleBinding> bindings;
        private final BindingBackends backends;
        private final Resolution resolution;
        private final Ownership ownership;

        ProviderResource(RoleBinding binding, BindingBackends backends, Resolution resolution) {
            this(List.of(binding), backends, resolution);
        }

        private ProviderResource(List<RoleBinding> bindings, BindingBackends backends, Resolution resolution) {
            this.bindings = List.copyOf(bindings);
            this.backends = backends;
            this.resolution = resolution;
            this.ownership = Ownership.of(bindings.get(0).providerOwner());
        }

        @Override
        public ResourceId id() {
            return providerId(bindings.get(0));
        }

        @Override
        public String service() {
            return Services.IAM;
        }

        /**
         * Bindings sharing the provider must agree on who owns it: it carries one {@code irsa.dev/stack} tag, and
         * a provider tagged for another owner would be refused, or deleted with that owner's roles still trusting it.
         */
        @Override
        public Resource merge(Resource other) {
            if (!(other instanceof ProviderResource more)) {
                return Resource.super.merge(other);
            }
            RoleBinding first = bindings.get(0);
            RoleBinding next = more.bindings.get(0);
            if (!first.providerOwner().equals(next.providerOwner())) {
                throw new dev.irsa.ValidationException("binding " + next.name() + ".providerOwner", next.providerOwner(),
                        "bindings sharing OIDC provider " + id().name() + " mark it with one owner, and binding " + first.name()
                                + " says '" + first.providerOwner() + "': set providerOwner(\"" + first.providerOwner()
                                + "\") on every binding of that provider");
            }
            List<RoleBinding> all = new ArrayList<>(bindings);
            all.addAll(more.bindings);
            return new ProviderResource(all, backends, resolution);
        }

        private List<String> clientIds() {
            Set<String> ids = new TreeSet<>();
            for (RoleBinding binding : bindings) {
                ids.add(binding.mode() == IdentityMode.GITLAB_OIDC
                        ? binding.gitlabOidc().orElseThrow().effectiveAudience()
                        : binding.serviceAccount().orElseThrow().audience());
            }
            return List.copyOf(ids);
        }

        @Override
        public Observed observe() {
            // The account is known (resolved with the cluster), so the provider's ARN is too: one GetOpenIDConnectProvider.
            String url = resolution.provider().issuerUrl();
            Optional<ObservedOidcProvider> live = backends.aws().oidcProviders().observe(resolution.provider());
            if (live.isEmpty()) {
                return Observed.absent();
            }
            ObservedOidcProvider p = live.get();
            Fields fields = Fields.of(f -> putTags(f.put("url", url)
                    .put("client_ids", String.join(",", new TreeSet<>(p.clientIds()))), p.tags()));
            Outputs outputs = Outputs.of(RoleBinding.PROVIDER_ARN, p.arn());
            return p.ownedBy(ownership) ? Observed.owned(fields, outputs) : Observed.foreign(fields, outputs);
        }

        @Override
        public Fields desired(Inputs inputs) {
            return Fields.of(f -> putTags(f.put("url", resolution.provider().issuerUrl())
                    .put("client_ids", String.join(",", new TreeSet<>(clientIds()))), ownership.tags()));
        }

        @Override
        public List<FieldDiff> diff(Fields desired, Observed observed) {
            // The provider may list more client ids (other tools'): only missing ones are a difference.
            List<FieldDiff> diffs = new ArrayList<>();
            for (FieldDiff d : FieldDiff.between(observed.fields(), desired)) {
                if (d.name().equals("client_ids") && d.before().isPresent()) {
                    Set<String> live = Set.of(text(d.before().get()).split(","));
                    if (live.containsAll(List.of(text(d.after().orElseThrow()).split(",")))) {
                        continue;
                    }
                }
                diffs.add(d);
            }
            return diffs;
        }

        @Override
        public Outputs apply(ApplyContext context) {
            DesiredOidcProvider desired = new DesiredOidcProvider(resolution.provider().issuerUrl(), clientIds(), List.of());
            // Planning found it absent: create without reading it again (an existing one is still found and checked).
            var result = context.change().action() == Action.CREATE
                    ? backends.aws().oidcProviders().create(resolution.provider(), desired, ownership)
                    : backends.aws().oidcProviders().ensure(resolution.provider(), desired, ownership, context.change().adopt());
            return Outputs.of(RoleBinding.PROVIDER_ARN, result.arn());
        }

        @Override
        public void delete(ApplyContext context) {
            try {
                backends.aws().oidcProviders().delete(resolution.provider(), ownership);
            } catch (ProviderStillTrustedException e) {
                // Shared by another role (another environment's of the same spec, or anyone's): it stays, and the
                // result says so instead of "deleted".
                LOG.info("keeping OIDC provider {}: still trusted by {}", id(), e.trustingRoles());
                throw new KeptOnDestroyException("still trusted by roles " + e.trustingRoles());
            }
        }
    }

    /** The IAM role: trust policy from the policy model, inline and managed policies, boundary, tags. */
    static final class RoleResource implements Resource {
        private final RoleBinding binding;
        private final BindingBackends backends;
        private final Resolution resolution;
        private final Optional<ResourceId> provider;
        private final Ownership ownership;

        RoleResource(RoleBinding binding, BindingBackends backends, Resolution resolution, Optional<ResourceId> provider) {
            this.binding = binding;
            this.backends = backends;
            this.resolution = resolution;
            this.provider = provider;
            this.ownership = Ownership.of(binding.name());
        }

        @Override
        public ResourceId id() {
            return roleId(binding);
        }

        @Override
        public String service() {
            return Services.IAM;
        }

        @Override
        public Set<ResourceId> dependsOn() {
            return provider.map(Set::of).orElse(Set.of());
        }

        /** The ERROR findings the binding accepts, each with the acceptance that lets it through. */
        @Override
        public List<String> planNotes() {
            var report = binding.lint();
            return report.acceptedErrors().stream().map(f -> "accepted lint finding "
                    + (report.accepted().contains(f.id()) ? f.id() : f.id() + "@" + f.scope()) + " (" + f.severity() + ") at "
                    + f.location() + ": " + f.message()).toList();
        }

        DesiredRole desiredRole() {
            RoleSpec role = binding.role();
            DesiredRole.Builder b = DesiredRole.builder().name(role.name()).path(role.path())
                    .maxSessionDurationSeconds(role.maxSessionDurationSeconds())
                    .trustPolicyJson(binding.trustPolicy(resolution.provider()).toJson())
                    .tags(role.tags());
            role.description().ifPresent(b::description);
            role.permissionsBoundaryArn().ifPresent(b::permissionsBoundaryArn);
            role.inlinePolicies().forEach((n, p) -> b.putInlinePolicy(n, p.toJson()));
            role.managedPolicyArns().forEach(b::addManagedPolicyArn);
            return b.build();
        }

        @Override
        public Observed observe() {
            Optional<ObservedRole> live = backends.aws().roles().observe(binding.role().name());
            if (live.isEmpty()) {
                return Observed.absent();
            }
            ObservedRole r = live.get();
            Fields.Builder f = Fields.builder()
                    .put("path", r.path())
                    .put("description", r.description() == null ? "" : r.description())
                    .put("max_session_duration", Integer.toString(r.maxSessionDurationSeconds()))
                    .put("permissions_boundary", r.permissionsBoundaryArn() == null ? "" : r.permissionsBoundaryArn())
                    .put(TRUST, r.trustPolicyJson())
                    .put("inline_policies", String.join(",", new TreeSet<>(r.inlinePolicies().keySet())))
                    .put("managed_policies", String.join(",", new TreeSet<>(r.managedPolicyArns())));
            putTags(f, r.tags());
            r.inlinePolicies().forEach((n, json) -> f.put(INLINE + n, json));
            Outputs outputs = Outputs.of(RoleBinding.ROLE_ARN, r.arn());
            return r.ownedBy(ownership) ? Observed.owned(f.build(), outputs) : Observed.foreign(f.build(), outputs);
        }

        @Override
        public Fields desired(Inputs inputs) {
            DesiredRole d = desiredRole();
            Fields.Builder f = Fields.builder()
                    .put("path", d.path())
                    .put("description", d.description() == null ? "" : d.description())
                    .put("max_session_duration", Integer.toString(d.maxSessionDurationSeconds()))
                    .put("permissions_boundary", d.permissionsBoundaryArn() == null ? "" : d.permissionsBoundaryArn())
                    .put(TRUST, d.trustPolicyJson())
                    .put("inline_policies", String.join(",", new TreeSet<>(d.inlinePolicies().keySet())))
                    .put("managed_policies", String.join(",", new TreeSet<>(d.managedPolicyArns())));
            // The tags written: the user's and the two ownership tags (apply adds them; live tags of others stay).
            Map<String, String> tags = new TreeMap<>(d.tags());
            tags.putAll(ownership.tags());
            putTags(f, tags);
            d.inlinePolicies().forEach((n, json) -> f.put(INLINE + n, json));
            return f.build();
        }

        @Override
        public List<FieldDiff> diff(Fields desired, Observed observed) {
            // Policy documents compare by meaning (IAM reorders and reformats them), everything else by text.
            return FieldDiff.between(observed.fields(), desired).stream().filter(d -> {
                if (d.before().isEmpty() || d.after().isEmpty()) {
                    return true;
                }
                String live = text(d.before().get());
                String want = text(d.after().get());
                try {
                    if (d.name().equals(TRUST)) {
                        return !TrustPolicy.fromJson(live).equivalentTo(TrustPolicy.fromJson(want));
                    }
                    if (d.name().startsWith(INLINE)) {
                        return !PermissionsPolicy.fromJson(live).equivalentTo(PermissionsPolicy.fromJson(want));
                    }
                } catch (RuntimeException unparseable) {
                    return true;   // a live document irsa cannot parse differs from what irsa wants
                }
                return true;
            }).toList();
        }

        @Override
        public Outputs apply(ApplyContext context) {
            // Planning found it absent: create without reading it again (an existing one is still found and checked).
            var result = context.change().action() == Action.CREATE
                    ? backends.aws().roles().create(desiredRole(), ownership)
                    : backends.aws().roles().ensure(desiredRole(), ownership, context.change().adopt());
            return Outputs.of(RoleBinding.ROLE_ARN, result.arn());
        }

        /** Removes the policies planning saw (the executor reads them again only if the delete conflicts). */
        @Override
        public void delete(ApplyContext context) {
            Fields seen = context.observed().fields();
            backends.aws().roles().delete(binding.role().name(), ownership, names(seen, "inline_policies"), names(seen, "managed_policies"));
        }

        private static Set<String> names(Fields fields, String field) {
            String joined = fields.get(field).map(BindingResources::text).orElse("");
            return joined.isEmpty() ? Set.of() : new TreeSet<>(List.of(joined.split(",")));
        }
    }

    /** The namespace: created and marked by irsa, or an existing one used as-is (never marked, never deleted). */
    static final class NamespaceResource implements Resource {
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
            return namespaceId(namespace);
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

    /**
     * The service account: annotated with the role ARN (IRSA), or bare, without a role annotation (Pod
     * Identity: the association names it). Created and labelled by irsa, or adopted on request.
     */
    static final class ServiceAccountResource implements Resource {
        static final String ROLE_ANNOTATION = "annotations." + IrsaMetadata.ROLE_ARN_ANNOTATION;
        static final String AUDIENCE_ANNOTATION = "annotations." + IrsaMetadata.AUDIENCE_ANNOTATION;
        private final RoleBinding binding;
        private final ServiceAccountSpec sa;
        private final KubernetesExecutor k8s;
        private final Resolution resolution;

        ServiceAccountResource(RoleBinding binding, KubernetesExecutor k8s, Resolution resolution) {
            this.binding = binding;
            this.sa = binding.serviceAccount().orElseThrow();
            this.k8s = k8s;
            this.resolution = resolution;
        }

        @Override
        public ResourceId id() {
            return serviceAccountId(binding).orElseThrow();
        }

        @Override
        public String service() {
            return Services.KUBERNETES;
        }

        @Override
        public Set<ResourceId> dependsOn() {
            return Set.of(roleId(binding), namespaceId(sa.namespace()));
        }

        private boolean annotated() {
            return binding.mode() == IdentityMode.IRSA;
        }

        ServiceAccountBinding spec(String roleArn, boolean adopt) {
            return ServiceAccountBinding.of(b -> {
                b.namespace(sa.namespace()).name(sa.name()).stack(binding.name()).adopt(adopt);
                if (annotated()) {
                    b.roleArn(roleArn);
                    if (!sa.audience().equals(ServiceAccountSpec.DEFAULT_AUDIENCE)) {
                        b.audience(sa.audience());
                    }
                }
            });
        }

        @Override
        public Observed observe() {
            ServiceAccountObservation live = k8s.observeServiceAccount(spec(resolution.roleArn(), false));
            Fields fields = Fields.of(f -> {
                f.put(ROLE_ANNOTATION, live.annotations().getOrDefault(IrsaMetadata.ROLE_ARN_ANNOTATION, ""));
                f.put(AUDIENCE_ANNOTATION, live.annotations().getOrDefault(IrsaMetadata.AUDIENCE_ANNOTATION, ""));
            });
            return switch (live.ownership()) {
                case ABSENT -> Observed.absent();
                case CREATED_BY_STACK, ADOPTED_BY_STACK -> Observed.owned(fields);
                case OTHER_STACK, FOREIGN -> Observed.foreign(fields);
            };
        }

        @Override
        public Fields desired(Inputs inputs) {
            // The ARN is known before the role exists (account + path + name), so the plan shows it.
            return Fields.of(f -> {
                f.put(ROLE_ANNOTATION, annotated() ? resolution.roleArn() : "");
                f.put(AUDIENCE_ANNOTATION, !annotated() || sa.audience().equals(ServiceAccountSpec.DEFAULT_AUDIENCE) ? "" : sa.audience());
            });
        }

        @Override
        public Outputs apply(ApplyContext context) {
            String roleArn = context.output(roleId(binding), RoleBinding.ROLE_ARN).orElseGet(resolution::roleArn);
            k8s.ensureServiceAccount(spec(roleArn, context.change().adopt() || sa.adopt()));
            return Outputs.none();
        }

        @Override
        public void delete(ApplyContext context) {
            k8s.removeServiceAccountBinding(sa.namespace(), sa.name(), binding.name());
        }
    }

    /** The EKS pod identity association (Pod Identity). */
    static final class PodIdentityResource implements Resource {
        private final RoleBinding binding;
        private final BindingBackends backends;
        private final Resolution resolution;
        private final ServiceAccountSpec sa;
        private final String cluster;
        private final Ownership ownership;

        PodIdentityResource(RoleBinding binding, BindingBackends backends, Resolution resolution) {
            this.binding = binding;
            this.backends = backends;
            this.resolution = resolution;
            this.sa = binding.serviceAccount().orElseThrow();
            this.cluster = binding.cluster().flatMap(ClusterRef::clusterName).orElseThrow();
            this.ownership = Ownership.of(binding.name());
        }

        @Override
        public ResourceId id() {
            return workloadId(binding).orElseThrow();
        }

        @Override
        public String service() {
            return Services.EKS;
        }

        @Override
        public Set<ResourceId> dependsOn() {
            return Set.of(roleId(binding), serviceAccountId(binding).orElseThrow());
        }

        @Override
        public Observed observe() {
            Optional<ObservedPodIdentityAssociation> live = backends.aws().podIdentity().observe(cluster, sa.namespace(), sa.name());
            if (live.isEmpty()) {
                return Observed.absent();
            }
            Fields fields = Fields.of(f -> f.put("role_arn", live.get().roleArn()));
            return live.get().ownedBy(ownership) ? Observed.owned(fields) : Observed.foreign(fields);
        }

        @Override
        public Fields desired(Inputs inputs) {
            return Fields.of(f -> f.put("role_arn", resolution.roleArn()));
        }

        @Override
        public Outputs apply(ApplyContext context) {
            String roleArn = context.output(roleId(binding), RoleBinding.ROLE_ARN).orElseGet(resolution::roleArn);
            backends.aws().podIdentity().ensure(cluster, sa.namespace(), sa.name(), roleArn, ownership, context.change().adopt());
            return Outputs.none();
        }

        @Override
        public void delete(ApplyContext context) {
            backends.aws().podIdentity().delete(cluster, sa.namespace(), sa.name(), ownership);
        }
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

package dev.irsa.binding;

import dev.irsa.ValidationException;
import dev.irsa.binding.internal.BindingResources;
import dev.irsa.binding.internal.BindingVerifier;
import dev.irsa.lint.Finding;
import dev.irsa.lint.LintReport;
import dev.irsa.plan.OutputKey;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.policy.OidcProvider;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.policy.PolicyLinter;
import dev.irsa.policy.TrustPolicy;
import dev.irsa.validation.Validators;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One IAM role bound to one identity: a Kubernetes service account (IRSA, the walkthrough; or EKS Pod
 * Identity) or GitLab CI jobs of a project/ref (GitLab OIDC). Immutable; everything is validated when built,
 * before any remote call.
 *
 * <pre>{@code
 * RoleBinding binding = RoleBinding.builder()
 *         .name("seed")                                        // the stack name in irsa's ownership marks
 *         .cluster(ClusterRef.eks("devops", "eu-west-1"))
 *         .role(r -> r.name("eks-cluster-role").inlinePolicy("eks-admin", PermissionsPolicy.fromJson(json)))
 *         .serviceAccount("dev", "app-deployer")
 *         .acceptLint("IRSA-P002@eks-admin")                   // iam:* granted deliberately, in eks-admin only
 *         .build();
 * List<Resource> resources = binding.resources(BindingBackends.of(awsExecutor, kubernetesExecutor));
 * }</pre>
 *
 * <p>Resources, in dependency order: {@code iam.oidc-provider} (IRSA, GitLab OIDC) → {@code iam.role} →
 * {@code kubernetes.namespace} → {@code kubernetes.service-account} (IRSA: annotated with the role; Pod
 * Identity: without a role annotation) → {@code eks.pod-identity-association} (Pod Identity).
 */
public final class RoleBinding {
    /** Output of the role resource: its ARN. */
    public static final OutputKey<String> ROLE_ARN = OutputKey.of("roleArn", String.class);
    /** Output of the OIDC provider resource: its ARN. */
    public static final OutputKey<String> PROVIDER_ARN = OutputKey.of("providerArn", String.class);

    private final String name;
    private final String providerOwner;
    private final IdentityMode mode;
    private final Optional<ClusterRef> cluster;
    private final Optional<String> accountId;
    private final String partition;
    private final RoleSpec role;
    private final Optional<ServiceAccountSpec> serviceAccount;
    private final Optional<GitLabOidcSpec> gitlabOidc;
    private final Set<String> acceptedLintIds;

    private RoleBinding(Builder b) {
        this.name = Validators.dns1123Label("binding.name", b.name);
        this.providerOwner = b.providerOwner == null ? name : Validators.dns1123Label("binding.providerOwner", b.providerOwner);
        this.mode = Objects.requireNonNull(b.mode, "mode");
        this.cluster = Optional.ofNullable(b.cluster);
        this.accountId = Optional.ofNullable(b.accountId).map(a -> Validators.accountId("binding.accountId", a));
        this.partition = Validators.partition("binding.partition", b.partition);
        if (b.role == null) {
            throw new ValidationException("role", null, "a binding needs a role");
        }
        this.role = b.role;
        this.serviceAccount = Optional.ofNullable(b.serviceAccount);
        this.gitlabOidc = Optional.ofNullable(b.gitlabOidc);
        b.acceptedLintIds.forEach(this::checkAcceptance);
        this.acceptedLintIds = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(b.acceptedLintIds));
        switch (mode) {
            case IRSA, POD_IDENTITY -> {
                if (cluster.isEmpty()) {
                    throw new ValidationException("cluster", null, mode + " needs a cluster (EKS name + region, or issuer + account)");
                }
                if (serviceAccount.isEmpty()) {
                    throw new ValidationException("serviceAccount", null, mode + " needs a service account (namespace and name)");
                }
                if (mode == IdentityMode.POD_IDENTITY && cluster.get().clusterName().isEmpty()) {
                    throw new ValidationException("cluster.name", null, "Pod Identity needs the EKS cluster name for its association");
                }
            }
            case GITLAB_OIDC -> {
                if (gitlabOidc.isEmpty()) {
                    throw new ValidationException("gitlabOidc", null, "GITLAB_OIDC needs the GitLab issuer and the project/ref whose jobs may assume the role");
                }
            }
        }
    }

    /** An acceptance is well-formed and its scope, if any, is {@code trust} or one of the role's inline policies. */
    private void checkAcceptance(String acceptance) {
        LintReport.validAcceptance("acceptLint", acceptance);
        String scope = acceptance.contains("@") ? acceptance.substring(acceptance.indexOf('@') + 1) : null;
        if (scope != null && !scope.equals("trust") && !role.inlinePolicies().containsKey(scope)) {
            throw new ValidationException("acceptLint", acceptance, "role " + role.name() + " has no inline policy named '" + scope
                    + "'; scope the acceptance to one of " + role.inlinePolicies().keySet() + " or to trust");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static RoleBinding of(Consumer<Builder> binding) {
        Builder b = builder();
        binding.accept(b);
        return b.build();
    }

    public Builder toBuilder() {
        Builder b = new Builder().name(name).mode(mode).role(role).partition(partition);
        if (!providerOwner.equals(name)) {
            b.providerOwner(providerOwner);
        }
        cluster.ifPresent(b::cluster);
        accountId.ifPresent(b::accountId);
        serviceAccount.ifPresent(b::serviceAccount);
        gitlabOidc.ifPresent(b::gitlabOidc);
        b.acceptedLintIds.addAll(acceptedLintIds);
        return b;
    }

    /** The stack name in irsa's ownership marks ({@code irsa.dev/stack}). */
    public String name() {
        return name;
    }

    /**
     * The stack name on the OIDC provider (default {@link #name()}); environments of one spec share their
     * cluster's provider, so they mark it with the spec's base name.
     */
    public String providerOwner() {
        return providerOwner;
    }

    public IdentityMode mode() {
        return mode;
    }

    public Optional<ClusterRef> cluster() {
        return cluster;
    }

    /** The account for GitLab OIDC (otherwise from the cluster); empty = the caller's account. */
    public Optional<String> accountId() {
        return accountId;
    }

    public String partition() {
        return cluster.map(ClusterRef::partition).orElse(partition);
    }

    public RoleSpec role() {
        return role;
    }

    public Optional<ServiceAccountSpec> serviceAccount() {
        return serviceAccount;
    }

    public Optional<GitLabOidcSpec> gitlabOidc() {
        return gitlabOidc;
    }

    /**
     * Lint findings the user accepted deliberately, as written: {@code IRSA-P002@eks-admin} (the inline policy
     * it is in), {@code IRSA-T004@trust}, or a bare id, which is accepted only while one policy reports it.
     */
    public Set<String> acceptedLintIds() {
        return acceptedLintIds;
    }

    /** The trust policy for this binding given its resolved OIDC provider (ignored for Pod Identity) and account. */
    public TrustPolicy trustPolicy(OidcProvider provider) {
        return switch (mode) {
            case IRSA -> TrustPolicy.irsa(s -> s.provider(provider)
                    .serviceAccount(serviceAccount.orElseThrow().namespace(), serviceAccount.orElseThrow().name())
                    .audience(serviceAccount.orElseThrow().audience()));
            case POD_IDENTITY -> TrustPolicy.podIdentity(s -> {
                s.sourceAccount(provider.accountId());
                cluster.flatMap(ClusterRef::clusterName).ifPresent(n -> cluster.flatMap(ClusterRef::region).ifPresent(r ->
                        s.sourceArn("arn:" + provider.partition() + ":eks:" + r + ":" + provider.accountId() + ":cluster/" + n)));
            });
            case GITLAB_OIDC -> TrustPolicy.gitLabOidc(s -> s.provider(provider).subject(gitlabOidc.orElseThrow().subject())
                    .audience(gitlabOidc.orElseThrow().effectiveAudience()));
        };
    }

    /** The role's ARN in {@code accountId} (deterministic: known before the role exists). */
    public String roleArn(String accountId, String partition) {
        return "arn:" + partition + ":iam::" + accountId + ":role" + role.path() + role.name();
    }

    /**
     * Lints the permissions policies (pure) and, when the provider is known, the trust. Accepted findings are
     * marked accepted, so {@link LintReport#hasErrors()} is false for them.
     *
     * @throws dev.irsa.ValidationException when a bare accepted id is reported in more than one policy
     */
    public LintReport lint(Optional<OidcProvider> provider) {
        List<Finding> findings = new ArrayList<>();
        role.inlinePolicies().forEach((policyName, policy) ->
                PolicyLinter.lintPermissions(policy).findings().forEach(f -> findings.add(
                        new Finding(f.id(), f.severity(), f.message(), f.hint(),
                                Finding.INLINE_POLICY + policyName + "]" + (f.location().isEmpty() ? "" : "." + f.location())))));
        provider.ifPresent(p -> PolicyLinter.lintTrust(trustPolicy(p)).findings().forEach(f -> findings.add(
                new Finding(f.id(), f.severity(), f.message(), f.hint(), Finding.TRUST_POLICY + (f.location().isEmpty() ? "" : "." + f.location())))));
        return new LintReport(findings).accept(acceptedLintIds.toArray(String[]::new));
    }

    /** {@link #lint(Optional)} with the provider when the cluster's issuer and account are given in the spec. */
    public LintReport lint() {
        return lint(staticProvider());
    }

    /** The provider when it is known without any lookup (issuer given, or GitLab OIDC with an account). */
    public Optional<OidcProvider> staticProvider() {
        if (mode == IdentityMode.GITLAB_OIDC) {
            return accountId.map(a -> OidcProvider.of(gitlabOidc.orElseThrow().issuerUrl(), a, partition));
        }
        ClusterRef c = cluster.orElseThrow();
        return c.resolved() ? Optional.of(OidcProvider.of(c.issuerUrl().orElseThrow(), c.accountId().orElseThrow(), c.partition()))
                : Optional.empty();
    }

    /**
     * Plan resources for this binding. Refuses (LintException) before any call when lint finds an ERROR
     * not accepted. Lookups (EKS cluster, caller account) happen lazily, once, when the plan observes.
     */
    public List<Resource> resources(BindingBackends backends) {
        lint().throwIfErrors();
        return BindingResources.create(this, backends, false);
    }

    /**
     * {@link #resources(BindingBackends)} with lookups shared by the other bindings or stacks of the same plan, so
     * each EKS DescribeCluster / STS GetCallerIdentity is made once for all of them.
     */
    public List<Resource> resources(BindingBackends backends, PlanLookups lookups) {
        lint().throwIfErrors();
        return BindingResources.create(this, backends, false, lookups);
    }

    /** Only the IAM resources (OIDC provider and role): the "delete the roles in the evening" subset. */
    public List<Resource> iamResources(BindingBackends backends) {
        lint().throwIfErrors();
        return BindingResources.create(this, backends, true);
    }

    /**
     * The resources of many bindings, for one plan: lint refuses first (before any call) as for one binding;
     * each lookup (EKS cluster, caller account) is made once for all of them; the resources they share (the
     * OIDC provider of their cluster, a namespace) are {@linkplain Resource#merge merged} by the planner, so
     * the shared object is observed once and changed once. Bindings sharing a provider must have the same
     * {@link #providerOwner()}.
     */
    public static List<Resource> resources(List<RoleBinding> bindings, BindingBackends backends) {
        bindings.forEach(b -> b.lint().throwIfErrors());
        return BindingResources.createAll(bindings, backends, false);
    }

    /** {@link #resources(List, BindingBackends)} with the IAM resources (OIDC providers and roles) only. */
    public static List<Resource> iamResources(List<RoleBinding> bindings, BindingBackends backends) {
        bindings.forEach(b -> b.lint().throwIfErrors());
        return BindingResources.createAll(bindings, backends, true);
    }

    /**
     * {@code planner.plan(name(), resources(backends))}, adopting {@link #adoptedResourceIds()}: the changes that
     * apply this binding.
     */
    public Plan plan(Planner planner, BindingBackends backends) {
        return planner.adopting(adoptedResourceIds()).plan(name, resources(backends));
    }

    /** {@code planner.plan(name(), iamResources(backends))}: the changes that apply the OIDC provider and role only. */
    public Plan planIam(Planner planner, BindingBackends backends) {
        return planner.plan(name, iamResources(backends));
    }

    /** {@code planner.destroyPlan(name(), resources(backends))}: the changes that delete what irsa owns of it. */
    public Plan destroyPlan(Planner planner, BindingBackends backends) {
        return planner.adopting(adoptedResourceIds()).destroyPlan(name, resources(backends));
    }

    /**
     * What planning this binding may take over although irsa does not own it: with {@code serviceAccount.adopt},
     * the service account and, for Pod Identity, the association naming it. Every facade and
     * {@link #plan(Planner, BindingBackends)} pass it to the planner.
     */
    public List<ResourceId> adoptedResourceIds() {
        List<ResourceId> adopt = new ArrayList<>();
        if (serviceAccount.map(ServiceAccountSpec::adopt).orElse(false)) {
            serviceAccountResourceId().ifPresent(adopt::add);
            workloadResourceId().filter(id -> !adopt.contains(id)).ifPresent(adopt::add);
        }
        return List.copyOf(adopt);
    }

    /** {@code planner.destroyPlan(name(), iamResources(backends))}: deletes its OIDC provider and role only. */
    public Plan destroyIamPlan(Planner planner, BindingBackends backends) {
        return planner.destroyPlan(name, iamResources(backends));
    }

    /** Id of the role resource in {@link #resources}; dependents (e.g. a runner stack) use it for {@link #ROLE_ARN}. */
    public ResourceId roleResourceId() {
        return BindingResources.roleId(this);
    }

    /** Id of the resource after which the identity is usable by pods (the SA or the pod identity association). */
    public Optional<ResourceId> workloadResourceId() {
        return BindingResources.workloadId(this);
    }

    /** Id of the service-account resource (IRSA and Pod Identity), to adopt an existing account. */
    public Optional<ResourceId> serviceAccountResourceId() {
        return BindingResources.serviceAccountId(this);
    }

    /** Id of the namespace resource, if this binding has a service account. */
    public Optional<ResourceId> namespaceResourceId() {
        return serviceAccount.map(sa -> BindingResources.namespaceId(sa.namespace()));
    }

    /** Proves the binding works (see {@link VerifyReport}); never prints credentials. */
    public VerifyReport verify(BindingBackends backends) {
        return new VerifyReport(name, BindingVerifier.verify(this, backends));
    }

    /** {@link #verify(BindingBackends)} with lookups shared by the other bindings verified with it (one DescribeCluster for all). */
    public VerifyReport verify(BindingBackends backends, PlanLookups lookups) {
        return new VerifyReport(name, BindingVerifier.verify(this, backends, lookups));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoleBinding other && name.equals(other.name) && providerOwner.equals(other.providerOwner)
                && mode == other.mode && cluster.equals(other.cluster) && accountId.equals(other.accountId)
                && partition.equals(other.partition) && role.equals(other.role)
                && serviceAccount.equals(other.serviceAccount) && gitlabOidc.equals(other.gitlabOidc)
                && acceptedLintIds.equals(other.acceptedLintIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, mode, cluster, role, serviceAccount, gitlabOidc, acceptedLintIds);
    }

    @Override
    public String toString() {
        return "RoleBinding{" + name + ", " + mode + ", role " + role.name()
                + serviceAccount.map(sa -> ", sa " + sa.namespace() + "/" + sa.name()).orElse("")
                + gitlabOidc.map(g -> ", " + g.subject().sub()).orElse("") + "}";
    }

    public static final class Builder {
        private String name;
        private String providerOwner;
        private IdentityMode mode = IdentityMode.IRSA;
        private ClusterRef cluster;
        private String accountId;
        private String partition = "aws";
        private RoleSpec role;
        private ServiceAccountSpec serviceAccount;
        private GitLabOidcSpec gitlabOidc;
        private final Set<String> acceptedLintIds = new java.util.LinkedHashSet<>();

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder providerOwner(String stack) {
            this.providerOwner = stack;
            return this;
        }

        public Builder mode(IdentityMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder cluster(ClusterRef cluster) {
            this.cluster = cluster;
            return this;
        }

        public Builder eksCluster(String clusterName, String region) {
            return cluster(ClusterRef.eks(clusterName, region));
        }

        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        public Builder partition(String partition) {
            this.partition = partition;
            return this;
        }

        public Builder role(RoleSpec role) {
            this.role = role;
            return this;
        }

        public Builder role(Consumer<RoleSpec.Builder> role) {
            RoleSpec.Builder b = this.role == null ? RoleSpec.builder() : this.role.toBuilder();
            role.accept(b);
            this.role = b.build();
            return this;
        }

        public Builder serviceAccount(ServiceAccountSpec serviceAccount) {
            this.serviceAccount = serviceAccount;
            return this;
        }

        public Builder serviceAccount(String namespace, String name) {
            return serviceAccount(ServiceAccountSpec.of(namespace, name));
        }

        public Builder serviceAccount(Consumer<ServiceAccountSpec.Builder> serviceAccount) {
            return serviceAccount(ServiceAccountSpec.of(serviceAccount));
        }

        public Builder gitlabOidc(GitLabOidcSpec gitlabOidc) {
            this.gitlabOidc = gitlabOidc;
            return this;
        }

        public Builder gitlabOidc(Consumer<GitLabOidcSpec.Builder> gitlabOidc) {
            return gitlabOidc(GitLabOidcSpec.of(gitlabOidc));
        }

        /**
         * Accepts lint findings where they are: {@code IRSA-P002@eks-admin} (inline policy), {@code IRSA-T004@trust};
         * a bare id only while a single policy reports it. They no longer block apply; plans list them.
         */
        public Builder acceptLint(String... findingIds) {
            if (findingIds == null) {
                throw new ValidationException("acceptLint", null, "must not be null");
            }
            for (int i = 0; i < findingIds.length; i++) {
                Validators.notBlank("acceptLint[" + (acceptedLintIds.size() + i) + "]", findingIds[i]);
            }
            acceptedLintIds.addAll(List.of(findingIds));
            return this;
        }

        public RoleBinding build() {
            return new RoleBinding(this);
        }
    }
}

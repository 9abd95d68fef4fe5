package dev.irsa;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyCheck;
import dev.irsa.kubernetes.AccessRequest;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.validation.Validators;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Checks, before any change, that everything an apply of a role binding needs is there, and says for each check
 * whether it passed and, when not, the cause and the fix. Read-only: it makes STS {@code GetCallerIdentity}, EKS
 * {@code DescribeCluster}, IAM {@code SimulatePrincipalPolicy} (and {@code GetRole} for an assumed role), one
 * Kubernetes discovery read and one {@code SelfSubjectAccessReview} per verb and resource.
 *
 * <pre>{@code
 * PreflightReport report = Preflight.builder()
 *         .endpoints(e -> e.region("eu-west-1").context("eks-dev"))   // as IrsaEndpoints; a missing piece is a failed check
 *         .build().check(binding);
 * System.out.println(report.render());
 * if (!report.passed()) System.exit(1);
 * }</pre>
 *
 * On real endpoints a missing kubeconfig, region or AWS credentials is reported as a failed check with where irsa
 * looked (instead of {@link IrsaEndpoints}' exception), and the other side is still checked. Executors you already
 * have (a sandbox) can be given instead with {@link Builder#aws} and {@link Builder#kubernetes}.
 */
public final class Preflight {
    private final Builder settings;

    private Preflight(Builder settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The Kubernetes access a binding's apply, verify and destroy need (and the stack lock's, when it has one). */
    public static List<AccessRequest> kubernetesAccess(RoleBinding binding, Optional<String> lockNamespace, boolean iamOnly) {
        return KubernetesPreflight.needed(binding, lockNamespace, iamOnly);
    }

    /** Runs every check for {@code binding}; never throws for what it finds, only for a programming error. */
    public PreflightReport check(RoleBinding binding) {
        Objects.requireNonNull(binding, "binding");
        List<AccessRequest> requested = new ArrayList<>(KubernetesPreflight.needed(binding, settings.lockNamespace, settings.iamOnly));
        requested.addAll(settings.moreAccess);
        List<AccessRequest> needed = KubernetesPreflight.merged(requested);
        List<VerifyCheck> aws = new ArrayList<>();
        List<VerifyCheck> k8s = new ArrayList<>();
        if (settings.endpoints != null) {
            onEndpoints(binding, needed, aws, k8s);
        } else {
            aws.addAll(AwsPreflight.checks(binding, settings.aws, settings.region));
            if (!needed.isEmpty()) {   // nothing of Kubernetes needed (GitLab OIDC, no lock): none checked
                k8s.add(VerifyCheck.pass(KubernetesPreflight.KUBECONFIG, "a client given by the caller"
                        + settings.kubernetes.contextName().map(c -> ", context " + c).orElse("")));
                k8s.addAll(KubernetesPreflight.checks(settings.kubernetes, needed));
            }
        }
        List<VerifyCheck> all = new ArrayList<>(aws);
        all.addAll(k8s);
        return new PreflightReport(binding.name(), all);
    }

    private void onEndpoints(RoleBinding binding, List<AccessRequest> needed, List<VerifyCheck> aws, List<VerifyCheck> k8s) {
        IrsaEndpoints.Builder endpoints = IrsaEndpoints.builder();
        settings.endpoints.accept(endpoints);
        try {
            IrsaEndpoints.Builder.AwsSide side = endpoints.awsSide();
            try (IamClient iam = side.clients().iam(); StsClient sts = side.clients().sts(); EksClient eks = side.clients().eks()) {
                aws.addAll(AwsPreflight.checks(binding, AwsExecutor.builder().iam(iam).sts(sts).eks(eks).build(), side.region()));
            } finally {
                side.opened().forEach(IrsaEndpoints::closeQuietly);
            }
        } catch (EndpointSetupException e) {
            aws.add(setupFailure(e.field(), e));
            aws.addAll(AwsPreflight.skipped(binding, e.field()));
        }
        if (needed.isEmpty()) {
            return;   // nothing of Kubernetes is needed (GitLab OIDC, no lock): no kubeconfig is looked for
        }
        IrsaEndpoints.Builder.KubernetesSide side;
        try {
            side = endpoints.kubernetesSide();
        } catch (EndpointSetupException e) {
            k8s.add(setupFailure(KubernetesPreflight.KUBECONFIG, e));
            return;
        }
        try (KubernetesExecutor executor = side.executor()) {
            k8s.add(VerifyCheck.pass(KubernetesPreflight.KUBECONFIG, side.kubeconfigFile().map(f -> "kubeconfig " + f)
                    .orElse("in-cluster service account or merged $KUBECONFIG files")
                    + executor.contextName().map(c -> ", context " + c).orElse("") + ", server " + executor.serverUrl()));
            k8s.addAll(KubernetesPreflight.checks(executor, needed));
        }
    }

    private static VerifyCheck setupFailure(String name, EndpointSetupException e) {
        return VerifyCheck.fail(name, e.problem(), e.problem() + (e.lookedAt().isEmpty() ? "" : "; looked at: " + String.join("; ", e.lookedAt())), e.fix());
    }

    /** What to check against; either {@link #endpoints} or both {@link #aws} and {@link #kubernetes}. */
    public static final class Builder {
        private Consumer<IrsaEndpoints.Builder> endpoints;
        private AwsExecutor aws;
        private String region = "the configured region";
        private KubernetesExecutor kubernetes;
        private Optional<String> lockNamespace = Optional.of("default");
        private boolean iamOnly;
        private final List<AccessRequest> moreAccess = new ArrayList<>();

        private Builder() {
        }

        /** Real endpoints, opened as {@link IrsaEndpoints} opens them (and closed again). */
        public Builder endpoints(Consumer<IrsaEndpoints.Builder> endpoints) {
            this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
            return this;
        }

        /** An AWS executor you have (e.g. a sandbox's); {@code region} only names it in messages. */
        public Builder aws(AwsExecutor aws, String region) {
            this.aws = Objects.requireNonNull(aws, "aws");
            this.region = Validators.notBlank("aws.region", region);
            return this;
        }

        /** A Kubernetes executor you have (e.g. a sandbox's). */
        public Builder kubernetes(KubernetesExecutor kubernetes) {
            this.kubernetes = Objects.requireNonNull(kubernetes, "kubernetes");
            return this;
        }

        /** Where the stack lock's Lease lives (default {@code default}); empty when runs take no lock. */
        public Builder lockNamespace(Optional<String> namespace) {
            this.lockNamespace = Objects.requireNonNull(namespace, "namespace").map(ns -> Validators.namespace("lock.namespace", ns));
            return this;
        }

        /** Only what {@code --iam-only} runs need on the cluster: the lock and the service account's token. */
        public Builder iamOnly(boolean iamOnly) {
            this.iamOnly = iamOnly;
            return this;
        }

        /** More Kubernetes access to check (e.g. a runner stack's Secret and Helm chart objects). */
        public Builder kubernetesAccess(List<AccessRequest> more) {
            this.moreAccess.addAll(more);
            return this;
        }

        public Preflight build() {
            if (endpoints == null && (aws == null || kubernetes == null)) {
                throw new ValidationException("preflight", null, "either endpoints(...) or both aws(...) and kubernetes(...)");
            }
            return new Preflight(this);
        }
    }
}

package dev.irsa.testing.internal;

import dev.irsa.SecretString;
import dev.irsa.Sleeper;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.helm.HelmExecutor;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.SandboxCall;
import dev.irsa.testing.SandboxCalls;
import dev.irsa.testing.SandboxFaults;
import dev.irsa.testing.SandboxResources;
import dev.irsa.testing.Service;
import dev.irsa.testing.aws.FakeEks;
import dev.irsa.testing.aws.FakeIam;
import dev.irsa.testing.aws.FakeSts;
import dev.irsa.testing.aws.ManualClock;
import dev.irsa.testing.gitlab.FakeGitLab;
import dev.irsa.testing.helm.FakeHelm;
import dev.irsa.testing.kubernetes.SimulatedEksCluster;
import dev.irsa.testing.oidc.FakeOidcIssuer;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.gitlab4j.api.GitLabApi;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-memory {@link IrsaSandbox}: the irsa-testing fakes wired together. Not API: create it through
 * {@link IrsaSandbox#builder()}. {@link #fakes()} gives the underlying fakes for what the sandbox API does
 * not cover (their API may change).
 */
public final class InMemoryIrsaSandbox implements IrsaSandbox {
    private static final List<String> AWS_READS = List.of("Get", "List", "Describe");

    /** The fakes behind a sandbox. */
    public record Fakes(FakeIam iam, FakeSts sts, FakeEks eks, FakeOidcIssuer issuer, SimulatedEksCluster cluster,
                        FakeGitLab gitlab, FakeHelm helm) {
    }

    private final IrsaSandbox.Builder settings;
    private final ManualClock clock = ManualClock.startingNow();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final FakeOidcIssuer issuer;
    private final FakeOidcIssuer gitlabIssuer;
    private final FakeIam iam;
    private final FakeSts sts;
    private final FakeEks eks;
    private final SimulatedEksCluster cluster;
    private final FakeGitLab gitlab;
    private final FakeHelm helm = new FakeHelm();
    private final SecretString gitlabToken;
    private long projectId;
    private final AwsExecutor awsExecutor;
    private final KubernetesExecutor kubernetesExecutor;
    private final GitLabExecutor gitLabExecutor;
    private final GitLabApi gitLabApi;
    private final SandboxFaults faults = new Faults();

    private InMemoryIrsaSandbox(IrsaSandbox.Builder settings) {
        this.settings = settings;
        try {
            issuer = started(FakeOidcIssuer.eks(settings.region(), clock).start());
            iam = FakeIam.builder().clock(clock).sleeper(clock.sleeper()).accountId(settings.accountId()).build();
            gitlabIssuer = FakeOidcIssuer.gitlab(clock);   // only its keys are needed: STS gets them here, not over HTTP
            sts = FakeSts.builder(iam).clock(clock).sleeper(clock.sleeper()).issuer(issuer).issuer(gitlabIssuer).build();
            eks = FakeEks.builder().clock(clock).sleeper(clock.sleeper()).region(settings.region()).accountId(settings.accountId()).build();
            eks.addCluster(settings.clusterName(), issuer);
            cluster = started(SimulatedEksCluster.builder().region(settings.region()).clock(clock)
                    .tokenMinter((ns, sa, audiences, seconds) -> issuer.mintServiceAccountToken(ns, sa, audiences, Duration.ofSeconds(seconds)))
                    .start());
            gitlab = started(FakeGitLab.start(clock));
            gitlabToken = SecretString.of(seedGitLab(null));
            awsExecutor = AwsExecutor.builder().iam(iam).sts(sts).eks(eks).clock(clock).sleeper(clock.sleeper()).build();
            kubernetesExecutor = started(KubernetesExecutor.builder().client(cluster.client()).clock(clock).sleeper(clock.sleeper()).build());
            GitLabConnection connection = GitLabConnection.builder().url(gitlab.url()).accessToken(gitlabToken)
                    .sleeper(clock.sleeper()).build();
            gitLabExecutor = started(new GitLabExecutor(connection));
            gitLabApi = connection.openGitLabApi();
            toClose.add(0, gitLabApi::close);
        } catch (RuntimeException e) {
            closeAll(e);
            throw e;
        }
    }

    /** Use {@link IrsaSandbox#builder()}. */
    public static InMemoryIrsaSandbox start(IrsaSandbox.Builder settings) {
        return new InMemoryIrsaSandbox(settings);
    }

    private <T extends AutoCloseable> T started(T resource) {
        toClose.add(0, resource); // closed in reverse order of start
        return resource;
    }

    /** Adds the project and the token; after a reset, the token keeps its value so handed-out clients stay valid. */
    private String seedGitLab(SecretString existing) {
        projectId = gitlab.addProject(settings.gitlabProject());
        Set<String> scopes = new LinkedHashSet<>(settings.gitlabTokenScopes());
        return existing == null
                ? gitlab.addAccessToken(scopes, false, projectId)
                : gitlab.addAccessToken(existing.reveal(), scopes, false, projectId);
    }

    public Fakes fakes() {
        return new Fakes(iam, sts, eks, issuer, cluster, gitlab, helm);
    }

    @Override
    public String region() {
        return settings.region();
    }

    @Override
    public String accountId() {
        return settings.accountId();
    }

    @Override
    public String clusterName() {
        return settings.clusterName();
    }

    @Override
    public String issuerUrl() {
        return issuer.issuerUrl();
    }

    @Override
    public java.net.URI issuerLocalUrl() {
        return issuer.localUrl();
    }

    @Override
    public String gitlabProject() {
        return settings.gitlabProject();
    }

    @Override
    public long gitlabProjectId() {
        return projectId;
    }

    @Override
    public String gitlabUrl() {
        return gitlab.url();
    }

    @Override
    public SecretString gitlabToken() {
        return gitlabToken;
    }

    @Override
    public IamClient iam() {
        return iam;
    }

    @Override
    public StsClient sts() {
        return sts;
    }

    @Override
    public EksClient eks() {
        return eks;
    }

    @Override
    public KubernetesClient kubernetesClient() {
        return cluster.client();
    }

    @Override
    public GitLabApi gitLabApi() {
        return gitLabApi;
    }

    @Override
    public AwsExecutor awsExecutor() {
        return awsExecutor;
    }

    @Override
    public KubernetesExecutor kubernetesExecutor() {
        return kubernetesExecutor;
    }

    @Override
    public GitLabExecutor gitLabExecutor() {
        return gitLabExecutor;
    }

    @Override
    public HelmExecutor helmExecutor() {
        return helm;
    }

    @Override
    public ManualClock clock() {
        return clock;
    }

    @Override
    public Sleeper sleeper() {
        return clock.sleeper();
    }

    @Override
    public SecretString serviceAccountToken(String namespace, String serviceAccount, Duration lifetime) {
        return SecretString.of(issuer.mintServiceAccountToken(namespace, serviceAccount, List.of("sts.amazonaws.com"), lifetime));
    }

    @Override
    public SecretString gitlabJobToken(String projectPath, String refType, String ref, String audience, Duration lifetime) {
        return SecretString.of(gitlabIssuer.mintGitLabToken(projectPath, refType, ref, List.of(audience), lifetime));
    }

    @Override
    public SandboxFaults faults() {
        return faults;
    }

    // ---- inspection

    @Override
    public SandboxCalls calls() {
        List<SandboxCall> all = new ArrayList<>();
        awsCalls(Service.IAM, iam.calls().all(), all);
        awsCalls(Service.STS, sts.calls().all(), all);
        awsCalls(Service.EKS, eks.calls().all(), all);
        for (String request : cluster.webhook().requests()) {
            all.add(KubernetesCalls.parse(request));
        }
        for (FakeGitLab.Call c : gitlab.calls()) {
            all.add(new SandboxCall(Service.GITLAB, c.method() + " " + c.path(), c.path(), !"GET".equals(c.method()), c.status()));
        }
        for (String c : helm.calls()) {
            int space = c.indexOf(' ');
            String operation = space < 0 ? c : c.substring(0, space);
            all.add(new SandboxCall(Service.HELM, operation, space < 0 ? "" : c.substring(space + 1),
                    FakeHelm.isChanging(c), 0));
        }
        return new SandboxCalls(all);
    }

    private static void awsCalls(Service service, List<String> operations, List<SandboxCall> into) {
        for (String op : operations) {
            into.add(new SandboxCall(service, op, "", AWS_READS.stream().noneMatch(op::startsWith), 0));
        }
    }

    @Override
    public SandboxResources resources() {
        List<SandboxResources.Role> roles = iam.roles().stream().map(r -> new SandboxResources.Role(r.name(),
                iam.rolePath(r.name()).orElse("/"), r.arn(), r.trustPolicyJson(), iam.roleTags(r.name()),
                iam.inlinePolicies(r.name()), iam.attachedPolicies(r.name()), r.maxSessionDurationSeconds())).toList();
        List<SandboxResources.OidcProvider> providers = iam.oidcProviders().stream().map(p -> new SandboxResources.OidcProvider(
                p.arn(), p.hostPath(), p.clientIds(), iam.oidcProviderTags(p.arn()))).toList();
        KubernetesClient k8s = cluster.inspectionClient();
        List<String> namespaces = k8s.namespaces().list().getItems().stream().map(n -> n.getMetadata().getName()).sorted().toList();
        List<SandboxResources.ServiceAccount> accounts = k8s.serviceAccounts().inAnyNamespace().list().getItems().stream()
                .map(sa -> new SandboxResources.ServiceAccount(sa.getMetadata().getNamespace(), sa.getMetadata().getName(),
                        labels(sa.getMetadata()), annotations(sa.getMetadata()))).toList();
        List<SandboxResources.Secret> secrets = k8s.secrets().inAnyNamespace().list().getItems().stream().map(s -> {
            Set<String> keys = new LinkedHashSet<>();
            if (s.getData() != null) {
                keys.addAll(s.getData().keySet());
            }
            if (s.getStringData() != null) {
                keys.addAll(s.getStringData().keySet());
            }
            return new SandboxResources.Secret(s.getMetadata().getNamespace(), s.getMetadata().getName(),
                    s.getType() == null ? "Opaque" : s.getType(), keys, labels(s.getMetadata()));
        }).toList();
        List<SandboxResources.Runner> runners = gitlab.runners().stream().map(r -> new SandboxResources.Runner(r.id(),
                r.runnerType(), r.description(), r.tags(), r.runUntagged(), r.locked(), r.accessLevel(), r.paused(),
                r.projectIds())).toList();
        List<SandboxResources.Release> releases = helm.releases().stream().map(r -> new SandboxResources.Release(
                r.release().namespace(), r.release().name(), r.release().revision(), r.release().status(), r.chart(),
                r.values(), r.secretValues().keySet())).toList();
        return new SandboxResources(roles, providers, eks.podIdentityAssociations(), namespaces, accounts, secrets, runners, releases);
    }

    private static Map<String, String> labels(ObjectMeta meta) {
        return meta.getLabels() == null ? Map.of() : meta.getLabels();
    }

    private static Map<String, String> annotations(ObjectMeta meta) {
        return meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    }

    // ---- lifecycle

    @Override
    public void reset() {
        iam.reset();
        sts.reset();
        eks.reset();
        cluster.reset();
        helm.reset();
        gitlab.reset();
        long before = projectId;
        seedGitLab(gitlabToken);
        if (projectId != before) {
            throw new IllegalStateException("the GitLab project got id " + projectId + " after reset, was " + before);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeAll(null);
        }
    }

    private void closeAll(RuntimeException primary) {
        RuntimeException failure = primary;
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the sandbox failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        toClose.clear();
        if (failure != null && primary == null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "IrsaSandbox{in-memory, region=" + region() + ", cluster=" + clusterName() + ", account=" + accountId()
                + ", gitlab=" + gitlabUrl() + ", project=" + gitlabProject() + ", token=****}";
    }

    // ---- faults

    private FakeAwsServiceView aws(Service service, String what) {
        return switch (service) {
            case IAM -> new FakeAwsServiceView(iam.faults());
            case STS -> new FakeAwsServiceView(sts.faults());
            case EKS -> new FakeAwsServiceView(eks.faults());
            default -> throw new IllegalArgumentException(what + " applies to IAM, STS and EKS, not " + service);
        };
    }

    private record FakeAwsServiceView(dev.irsa.testing.aws.FaultInjector faults) {
    }

    private final class Faults implements SandboxFaults {
        private final GitLabFaults gitlabFaults = new GitLabFaults() {
            @Override
            public GitLabFaults respond(int status, int times) {
                gitlab.failNext(times, status, status == 429 ? 1 : 0);
                return this;
            }

            @Override
            public GitLabFaults respond(String method, String pathRegex, int status, int times) {
                gitlab.failOn(method, pathRegex, status, times);
                return this;
            }
        };
        private final WebhookFaults webhookFaults = new WebhookFaults() {
            @Override
            public WebhookFaults missNextPods(int n) {
                cluster.webhook().missNextPods(n);
                return this;
            }
        };
        private final HelmFaults helmFaults = new HelmFaults() {
            @Override
            public HelmFaults failNext(String operation, int times, String message) {
                helm.failNext(operation, times, message);
                return this;
            }
        };

        @Override
        public SandboxFaults throttle(Service service, double probability, long seed) {
            switch (service) {
                case KUBERNETES -> cluster.webhook().throttle(probability, seed);
                case GITLAB -> gitlab.throttle(probability, seed);
                case HELM -> throw new IllegalArgumentException("Helm is not a rate-limited API: use helm().failNext");
                default -> aws(service, "throttle").faults().throttle(probability, seed);
            }
            return this;
        }

        @Override
        public SandboxFaults failAtCall(Service service, int k) {
            if (k < 1) {
                throw new IllegalArgumentException("k counts from 1 (the next call): " + k);
            }
            switch (service) {
                case KUBERNETES -> cluster.webhook().failAtRequest(k, 500);
                case GITLAB -> gitlab.failCall(k, 500);
                case HELM -> helm.failCall(k, "injected failure at call " + k);
                default -> aws(service, "failAtCall").faults().failAtCall(k);
            }
            return this;
        }

        @Override
        public SandboxFaults serverError(Service service, String operation, int times) {
            aws(service, "serverError").faults().serverError(operation, times);
            return this;
        }

        @Override
        public SandboxFaults iamPropagationDelay(Duration delay) {
            iam.propagationDelay(delay);
            return this;
        }

        @Override
        public SandboxFaults latency(Service service, Duration latency) {
            aws(service, "latency").faults().latency(latency);
            return this;
        }

        @Override
        public GitLabFaults gitlab() {
            return gitlabFaults;
        }

        @Override
        public WebhookFaults webhook() {
            return webhookFaults;
        }

        @Override
        public HelmFaults helm() {
            return helmFaults;
        }

        @Override
        public void clear() {
            iam.faults().clear();
            sts.faults().clear();
            eks.faults().clear();
            iam.propagationDelay(Duration.ZERO);
            cluster.webhook().clearFaults();
            gitlab.clearFaults();
            helm.clearFaults();
        }
    }
}

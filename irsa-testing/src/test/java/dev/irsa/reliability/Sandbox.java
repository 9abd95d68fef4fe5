package dev.irsa.reliability;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.aws.RetryPolicy;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.kubernetes.KubernetesClients;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.plan.Applier;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.testing.aws.FakeEks;
import dev.irsa.testing.aws.FakeIam;
import dev.irsa.testing.aws.FakeSts;
import dev.irsa.testing.aws.ManualClock;
import dev.irsa.testing.kubernetes.SimulatedEksCluster;
import dev.irsa.testing.oidc.FakeOidcIssuer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import dev.irsa.SecretString;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.Irsa;
import dev.irsa.gitlab.stack.RunnerStacks;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.testing.gitlab.FakeGitLab;
import dev.irsa.testing.helm.FakeHelm;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.gitlab4j.api.GitLabApi;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The walkthrough's world on fakes: account 111122223333, EKS cluster {@code devops} in eu-west-1 with its
 * OIDC issuer, IAM/STS/EKS fakes behind {@link Faults}, a simulated EKS API server whose client goes through
 * the same {@link Faults}, one {@link ManualClock} for every wait (no real sleeps), and a planner/applier
 * running one change at a time (deterministic call order).
 */
final class Sandbox implements AutoCloseable {
    static final String ACCOUNT = "111122223333";
    static final String REGION = "eu-west-1";
    static final String CLUSTER = "devops";
    static final String STACK = "seed";

    final ManualClock clock = ManualClock.at(Instant.parse("2026-11-25T12:00:00Z"));
    final FakeOidcIssuer issuer = FakeOidcIssuer.eks(REGION, clock);
    final FakeIam iam = FakeIam.builder().clock(clock).sleeper(clock.sleeper()).accountId(ACCOUNT).seed(7).build();
    final FakeSts sts = FakeSts.builder(iam).clock(clock).sleeper(clock.sleeper()).issuer(issuer).seed(7).build();
    final FakeEks eks = FakeEks.builder().clock(clock).sleeper(clock.sleeper()).region(REGION).accountId(ACCOUNT).seed(7).build();
    final SimulatedEksCluster cluster;
    final Faults faults = new Faults();
    final KubernetesClient k8sClient;
    final AwsExecutor aws;
    final KubernetesExecutor k8s;
    final BindingBackends backends;
    final ExecutionBudget budget;
    final FakeGitLab gitlab;
    final long projectId;
    final String gitlabToken;
    final GitLabApi gitlabApi;
    final FakeHelm helm = new FakeHelm();
    final RunnerStacks irsa;

    /** {@code retries}: false = irsa's own retries off (every injected failure reaches the plan), true = defaults. */
    Sandbox(boolean retries) {
        this(retries, Duration.ofMinutes(2));
    }

    /** {@code propagationTimeout}: how long verify rides out IAM propagation. */
    Sandbox(boolean retries, Duration propagationTimeout) {
        eks.addCluster(CLUSTER, issuer);
        cluster = SimulatedEksCluster.builder().region(REGION).clock(clock)
                .tokenMinter((ns, sa, auds, secs) -> issuer.mintServiceAccountToken(ns, sa, auds, Duration.ofSeconds(secs)))
                .start();
        faults.replayKubernetesThrough(cluster.client().getHttpClient());
        k8sClient = KubernetesClients.newClient(cluster.client().getConfiguration(),
                b -> b.addOrReplaceInterceptor("irsa-faults", faults.kubernetesInterceptor()));
        RetryPolicy policy = retries ? RetryPolicy.DEFAULT : RetryPolicy.DEFAULT.withTransientAttempts(1);
        aws = AwsExecutor.builder()
                .iam(faults.wrap(IamClient.class, iam, Faults.IAM))
                .sts(faults.wrap(StsClient.class, sts, Faults.STS))
                .eks(faults.wrap(EksClient.class, eks, Faults.EKS))
                .clock(clock).sleeper(clock.sleeper()).retryPolicy(policy).build();
        k8s = KubernetesExecutor.builder().client(k8sClient).clock(clock).sleeper(clock.sleeper())
                .maxAttempts(retries ? 5 : 1).build();
        backends = BindingBackends.builder().aws(aws).kubernetes(k8s)
                .sts(faults.wrap(StsClient.class, sts, Faults.STS))
                .clock(clock).sleeper(clock.sleeper()).propagationTimeout(Duration.ofMinutes(2)).build();
        budget = ExecutionBudget.builder().maxConcurrency(1).clock(clock).sleeper(clock.sleeper()).build();
        gitlab = FakeGitLab.start(clock);
        projectId = gitlab.addProject(PROJECT);
        gitlabToken = gitlab.addAccessToken(Set.of("api", "create_runner", "manage_runner"), projectId);
        GitLabConnection gitlabConnection = GitLabConnection.builder().url(gitlab.url())
                .accessToken(SecretString.of(gitlabToken)).maxAttempts(retries ? 4 : 1).sleeper(clock.sleeper()).build();
        gitlabApi = gitlabConnection.openGitLabApi();
        GitLabExecutor gitlabExecutor = new GitLabExecutor(gitlabConnection);
        this.gitlabExecutor = gitlabExecutor;
        this.propagationTimeout = propagationTimeout;
        irsa = irsaBuilder(k8s).build();
    }

    private final GitLabExecutor gitlabExecutor;
    private final Duration propagationTimeout;

    /** The sandbox's binding facade wiring over another Kubernetes executor (e.g. one with its own sleeper). */
    Irsa.Builder coreBuilder(KubernetesExecutor kubernetes) {
        return Irsa.builder().aws(aws).kubernetes(kubernetes).sts(faults.wrap(StsClient.class, sts, Faults.STS))
                .budget(budget).sleeper(clock.sleeper()).clock(clock).propagationTimeout(propagationTimeout);
    }

    /** The sandbox's runner facade wiring over another Kubernetes executor. */
    RunnerStacks.Builder irsaBuilder(KubernetesExecutor kubernetes) {
        return irsaBuilder(coreBuilder(kubernetes).build());
    }

    /** The sandbox's runner facade over another binding facade. */
    RunnerStacks.Builder irsaBuilder(Irsa core) {
        return RunnerStacks.builder().irsa(core).gitlab(gitlabExecutor).helm(faults.wrap(helm));
    }

    static final String PROJECT = "my-group/my-project";

    /** The whole walkthrough: the binding, runner app-dev-runner tagged k8s-dev-runner on node pool dev, the seed pipeline. */
    RunnerStack stack() {
        return RunnerStack.builder().name(STACK).binding(walkthrough())
                .runner(r -> r.gitlabUrl(gitlab.url()).project(PROJECT).tags("k8s-dev-runner").protectedOnly(true)
                        .locked(true).runUntagged(false).releaseName("app-dev-runner").image("ubuntu:18.04").concurrent(10)
                        .nodeSelector("nodepool", "dev"))
                .pipeline(p -> p.branch("main").path(".gitlab-ci.yml").content(seed("gitlab-ci.yml")))
                .build();
    }

    ApplyResult apply(RunnerStack stack) {
        return irsa.apply(stack);
    }

    ApplyResult destroy(RunnerStack stack) {
        return irsa.destroy(stack);
    }

    Plan plan(RunnerStack stack) {
        return irsa.plan(stack);
    }

    /** GitLab API calls received by the fake, in order, as "gitlab METHOD path". */
    List<String> gitlabCalls() {
        return gitlab.calls().stream().map(c -> "gitlab " + c.method() + " " + c.path()).toList();
    }

    /** The walkthrough binding: role eks-cluster-role with the seed admin policy (IRSA-P002 accepted), SA dev/app-deployer. */
    static RoleBinding walkthrough() {
        return RoleBinding.builder().name(STACK)
                .cluster(ClusterRef.eks(CLUSTER, REGION))
                .role(r -> r.name("eks-cluster-role").description("GitLab runner jobs deploying to devops")
                        .inlinePolicy("eks-admin", PermissionsPolicy.fromJson(seed("eks-admin-policy.json")))
                        .tag("team", "platform"))
                .serviceAccount("dev", "app-deployer")
                .acceptLint("IRSA-P002")
                .build();
    }

    static String seed(String name) {
        try (InputStream in = Sandbox.class.getResourceAsStream("/seed/" + name)) {
            if (in == null) {
                throw new IllegalStateException("seed file missing from the test classpath: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Planner planner() {
        return Planner.create(p -> p.budget(budget));
    }

    Applier applier() {
        return Applier.create(a -> a.budget(budget));
    }

    Plan plan(RoleBinding binding) {
        return planner().plan(binding.name(), binding.resources(backends));
    }

    ApplyResult apply(RoleBinding binding) {
        return applier().apply(plan(binding));
    }

    ApplyResult destroy(RoleBinding binding) {
        return applier().apply(planner().destroyPlan(binding.name(), binding.resources(backends)));
    }

    /** Every remote call made since the last reset: the fakes' own logs plus the Kubernetes API server's count. */
    int remoteCalls() {
        return faults.total() + gitlab.calls().size() + helm.calls().size();
    }

    /**
     * Everything a user could see in the account and the cluster, without ids, timestamps or resource
     * versions: roles (trust, inline/managed policies, tags, boundary, session), OIDC providers (client ids,
     * tags), namespaces, service accounts, secrets (data by fingerprint), pod identity associations. Read
     * through the uninstrumented clients.
     */
    Map<String, String> snapshot() {
        Map<String, String> s = new TreeMap<>();
        for (String role : iam.roleNames()) {
            var r = iam.getRole(b -> b.roleName(role)).role();
            s.put("iam.role/" + role, "path=" + r.path() + " desc=" + r.description() + " session=" + r.maxSessionDuration()
                    + " boundary=" + (r.permissionsBoundary() == null ? "" : r.permissionsBoundary().permissionsBoundaryArn()));
            s.put("iam.role/" + role + "/trust", iam.trustPolicy(role).orElse("?"));
            s.put("iam.role/" + role + "/tags", new TreeMap<>(iam.roleTags(role)).toString());
            s.put("iam.role/" + role + "/inline", new TreeMap<>(iam.inlinePolicies(role)).toString());
            s.put("iam.role/" + role + "/managed", new java.util.TreeSet<>(iam.attachedPolicies(role)).toString());
        }
        for (String arn : iam.oidcProviderArns()) {
            var p = iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn));
            s.put("iam.oidc-provider/" + arn, "url=" + p.url() + " clients=" + new java.util.TreeSet<>(p.clientIDList())
                    + " tags=" + new TreeMap<>(p.tags().stream().collect(java.util.stream.Collectors.toMap(
                            t -> t.key(), t -> t.value()))));
        }
        eks.podIdentityAssociations().forEach(a -> s.put("eks.pod-identity/" + a.namespace() + "/" + a.serviceAccount(),
                a.roleArn() + " tags=" + new TreeMap<>(a.tags())));
        KubernetesClient raw = cluster.client();
        raw.namespaces().list().getItems().forEach(n -> s.put("k8s.namespace/" + n.getMetadata().getName(), meta(n)));
        raw.serviceAccounts().inAnyNamespace().list().getItems().forEach(sa -> s.put(
                "k8s.serviceaccount/" + sa.getMetadata().getNamespace() + "/" + sa.getMetadata().getName(), meta(sa)));
        raw.secrets().inAnyNamespace().list().getItems().forEach(sec -> {
            Map<String, String> data = new TreeMap<>();
            if (sec.getData() != null) {
                sec.getData().forEach((k, v) -> data.put(k, fingerprint(v)));
            }
            s.put("k8s.secret/" + sec.getMetadata().getNamespace() + "/" + sec.getMetadata().getName(), meta(sec) + " data=" + data);
        });
        Map<String, String> tokens = new TreeMap<>();
        Map<String, String> runnerIds = new java.util.HashMap<>();
        for (FakeGitLab.FakeRunner r : gitlab.runners()) {
            // the registration nonce irsa puts into its runner's description is random, like an id
            String key = "gitlab.runner/" + r.description().replaceAll(" \\[irsa-registration [0-9a-f]{32}]$", " [irsa-registration <nonce>]");
            runnerIds.put(Long.toString(r.id()), "<id of " + key + ">");
            s.put(key, (s.containsKey(key) ? "DUPLICATE " : "") + r.runnerType() + " tags=" + r.tags() + " untagged=" + r.runUntagged()
                    + " locked=" + r.locked() + " access=" + r.accessLevel() + " paused=" + r.paused() + " projects=" + r.projectIds().size());
            tokens.put(fingerprint(java.util.Base64.getEncoder().encodeToString(r.token().getBytes(StandardCharsets.UTF_8))), "<token of " + key + ">");
        }
        gitlab.file(projectId, "main", ".gitlab-ci.yml").ifPresent(f -> s.put("gitlab.file/.gitlab-ci.yml", fingerprint(f)));
        // The release's token stamp (issue 16) names the runner whose token its pods hold, and a generation that
        // counts the tokens the release has seen, which depends on the history: name the runner, hide the count.
        java.util.regex.Pattern stamp = java.util.regex.Pattern.compile("(irsa\\.dev/runner-token-generation: [\"']?)(\\d+)-\\d+");
        for (FakeHelm.StoredRelease r : helm.releases()) {
            String values = stamp.matcher(r.values().replace(gitlab.url(), "<gitlab>")).replaceAll(m -> java.util.regex.Matcher
                    .quoteReplacement(m.group(1) + runnerIds.getOrDefault(m.group(2), "<id of no runner>") + "-<generation>"));
            s.put("helm.release/" + r.release().namespace() + "/" + r.release().name(), r.release().status() + " chart=" + r.chart()
                    + " values=" + fingerprint(values) + " secretValues=" + new java.util.TreeSet<>(r.secretValues().keySet()));
        }
        // Secrets hold the runner token base64-encoded: name it by the runner it belongs to (tokens are random).
        s.replaceAll((k, v) -> {
            String out = v;
            for (var t : tokens.entrySet()) {
                out = out.replace(t.getKey(), t.getValue());
            }
            return out;
        });
        // The token Secret records its runner's id, which GitLab assigns: name it by that runner too (an id of
        // no live runner stays visible as such).
        java.util.regex.Pattern runnerId = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(
                dev.irsa.kubernetes.IrsaMetadata.RUNNER_ID_ANNOTATION + "=") + "(\\d+)");
        s.replaceAll((k, v) -> runnerId.matcher(v).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                dev.irsa.kubernetes.IrsaMetadata.RUNNER_ID_ANNOTATION + "=" + runnerIds.getOrDefault(m.group(1), "<id of no runner>"))));
        // Each sandbox's issuer has its own random id: compare worlds with it replaced by a placeholder.
        String id = issuer.hostPath();
        Map<String, String> normalized = new TreeMap<>();
        s.forEach((k, v) -> normalized.put(k.replace(id, "<issuer>"), v.replace(id, "<issuer>")));
        return normalized;
    }

    private static String meta(HasMetadata o) {
        ObjectMeta m = o.getMetadata();
        return "labels=" + new TreeMap<>(m.getLabels() == null ? Map.of() : m.getLabels())
                + " annotations=" + new TreeMap<>(m.getAnnotations() == null ? Map.of() : m.getAnnotations());
    }

    static String fingerprint(String value) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        gitlabApi.close();
        gitlab.close();
        k8sClient.close();
        cluster.close();
        issuer.close();
    }
}

package dev.irsa.gitlab.stack;

import dev.irsa.SecretString;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.testing.aws.FakeEks;
import dev.irsa.testing.aws.FakeIam;
import dev.irsa.testing.aws.FakeSts;
import dev.irsa.testing.aws.ManualClock;
import dev.irsa.testing.gitlab.FakeGitLab;
import dev.irsa.testing.helm.FakeHelm;
import dev.irsa.testing.kubernetes.SimulatedEksCluster;
import dev.irsa.testing.oidc.FakeOidcIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Set;

/**
 * The walkthrough's world on the fakes: account 111122223333 with EKS cluster "devops" in eu-west-1 whose
 * issuer signs the service-account tokens the simulated API server hands out, FakeSts validating them,
 * FakeGitLab with project my-group/my-project, FakeHelm. Nothing sleeps: the manual clock advances.
 */
final class StackFixture implements AutoCloseable {
    static final String ACCOUNT = "111122223333";
    static final String REGION = "eu-west-1";
    static final String CLUSTER = "devops";
    static final String PROJECT = "my-group/my-project";

    final ManualClock clock = ManualClock.startingNow();
    final FakeOidcIssuer issuer = FakeOidcIssuer.eks(REGION, clock);
    final FakeIam iam = FakeIam.builder().clock(clock).sleeper(clock.sleeper()).accountId(ACCOUNT).build();
    final FakeSts sts = FakeSts.builder(iam).clock(clock).sleeper(clock.sleeper()).issuer(issuer).build();
    final FakeEks eks = FakeEks.builder().clock(clock).sleeper(clock.sleeper()).region(REGION).accountId(ACCOUNT).build();
    final AwsExecutor aws = AwsExecutor.builder().iam(iam).sts(sts).eks(eks).clock(clock).sleeper(clock.sleeper()).build();
    final SimulatedEksCluster cluster = SimulatedEksCluster.builder().region(REGION).clock(clock)
            .tokenMinter((ns, sa, audiences, seconds) -> issuer.mintServiceAccountToken(ns, sa, audiences, Duration.ofSeconds(seconds)))
            .start();
    final KubernetesExecutor kubernetes = KubernetesExecutor.builder().client(cluster.client()).clock(clock)
            .sleeper(clock.sleeper()).build();
    final FakeGitLab gitlab = FakeGitLab.start(clock);
    final long projectId = gitlab.addProject(PROJECT);
    final String gitlabToken = gitlab.addAccessToken(Set.of("api", "create_runner"), projectId);
    final GitLabExecutor gitlabExecutor = new GitLabExecutor(GitLabConnection.builder().url(gitlab.url())
            .accessToken(SecretString.of(gitlabToken)).sleeper(clock.sleeper()).build());
    final FakeHelm helm = new FakeHelm();
    final RunnerStacks irsa = RunnerStacks.builder().irsa(i -> i.aws(aws).kubernetes(kubernetes)
            .sts(sts).sleeper(clock.sleeper()).clock(clock)
            .budget(ExecutionBudget.create(b -> b.clock(clock).sleeper(clock.sleeper())))
            .propagationTimeout(Duration.ofMinutes(2))).gitlab(gitlabExecutor).helm(helm).build();
    /** The binding facade underneath, for role bindings on their own. */
    final dev.irsa.Irsa bindings = irsa.irsa();

    StackFixture() {
        eks.addCluster(CLUSTER, issuer);
    }

    /** The seed stack as examples/stacks/seed.yaml holds it (classpath copy). */
    static RunnerStack seed() {
        try (InputStream in = StackFixture.class.getResourceAsStream("/stacks/seed.yaml")) {
            return RunnerStack.fromYaml(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int lockChanges;

    /** Writes of the stack lock's Lease since {@link #clearCalls()} (drains the API server's request log). */
    int lockChanges() {
        kubernetesChanges();
        return lockChanges;
    }

    private int gitlabBaseline;
    private int helmBaseline;

    /** Calls that changed something since {@link #clearCalls()}: IAM, EKS, Kubernetes (non-GET), GitLab (non-GET), Helm (install, upgrade, uninstall). */
    int changingCalls() {
        long gitlabChanges = gitlab.calls().stream().skip(gitlabBaseline).filter(c -> !c.method().equals("GET")).count();
        long helmChanges = helm.calls().stream().skip(helmBaseline).filter(FakeHelm::isChanging).count();
        return iam.calls().changing().size() + eks.calls().changing().size() + (int) gitlabChanges + (int) helmChanges
                + kubernetesChanges();
    }

    /**
     * Non-GET requests the Kubernetes API server received since the last drain, apart from the stack lock's
     * (the Lease irsa-lock-<stack> every apply and destroy creates and deletes; {@link #lockChanges()}).
     */
    int kubernetesChanges() {
        int changes = 0;
        try {
            io.fabric8.mockwebserver.http.RecordedRequest request;
            while ((request = cluster.server().takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                if (request.getPath().contains("/leases")) {
                    lockChanges += "GET".equals(request.getMethod()) ? 0 : 1;
                } else if (!"GET".equals(request.getMethod())) {
                    changes++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return changes;
    }

    void clearCalls() {
        iam.calls().clear();
        eks.calls().clear();
        sts.calls().clear();
        kubernetesChanges();
        lockChanges = 0;
        gitlabBaseline = gitlab.calls().size();
        helmBaseline = helm.calls().size();
    }

    @Override
    public void close() {
        gitlabExecutor.close();
        gitlab.close();
        cluster.close();
        issuer.close();
    }
}

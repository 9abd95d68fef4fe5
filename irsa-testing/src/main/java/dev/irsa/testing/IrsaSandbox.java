package dev.irsa.testing;

import dev.irsa.SecretString;
import dev.irsa.Sleeper;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.helm.HelmExecutor;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.testing.aws.ManualClock;
import dev.irsa.testing.internal.InMemoryIrsaSandbox;
import dev.irsa.validation.Validators;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.gitlab4j.api.GitLabApi;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything irsa talks to, offline, in one object: IAM, STS and EKS (an account with a registered cluster
 * whose OIDC issuer serves discovery and keys on 127.0.0.1), the cluster's Kubernetes API with the pod
 * identity webhook, GitLab with a project and a {@code create_runner} token, and Helm. It hands out ready
 * clients and irsa's executors, all on one {@link ManualClock} so retries and IAM propagation never really
 * sleep; {@link #faults()} injects failures in one line; {@link #calls()} and {@link #resources()} show what
 * happened. {@link #close()} stops every server.
 *
 * <pre>{@code
 * try (IrsaSandbox sandbox = IrsaSandbox.builder().region("eu-west-1").gitlabProject("platform/app").start()) {
 *     ClusterIdentity cluster = sandbox.awsExecutor().identity().ofCluster(sandbox.clusterName());
 *     myTool.provision(sandbox.awsExecutor(), sandbox.kubernetesExecutor());
 *     assertThat(sandbox.resources().roles()).hasSize(1);
 *     assertThat(sandbox.calls().count(Service.IAM, "CreateRole")).isEqualTo(1);
 * }
 * }</pre>
 *
 * This is the seam for users' tests: today's implementation is in memory; an implementation backed by real
 * emulators can be chosen by the builder later without changing tests written against this interface. Use
 * one sandbox from one test thread at a time.
 */
public interface IrsaSandbox extends AutoCloseable {

    /** Starts a sandbox with the defaults of {@link Builder}. */
    static IrsaSandbox start() {
        return builder().start();
    }

    static Builder builder() {
        return new Builder();
    }

    // ---- what was set up

    String region();

    /** The AWS account id every ARN carries. */
    String accountId();

    /** The EKS cluster registered in the fake EKS (DescribeCluster answers it). */
    String clusterName();

    /** The cluster's OIDC issuer ({@code https://oidc.eks.<region>.amazonaws.com/id/<hex>}). */
    String issuerUrl();

    /** Where the issuer serves {@code /.well-known/openid-configuration} and {@code /keys} ({@code http://127.0.0.1:<port>}). */
    java.net.URI issuerLocalUrl();

    /** {@code group/project} of the GitLab project that exists. */
    String gitlabProject();

    long gitlabProjectId();

    /** Base URL of the fake GitLab on 127.0.0.1 ({@code GitLabApi} appends {@code /api/v4}). */
    String gitlabUrl();

    /** A personal access token with scopes {@code api} and {@code create_runner} maintaining the project. */
    SecretString gitlabToken();

    // ---- clients

    IamClient iam();

    StsClient sts();

    EksClient eks();

    /** A client for the simulated cluster (default namespace {@code test}); it does not retry on its own. */
    KubernetesClient kubernetesClient();

    /** A GitLab4J client authenticated with {@link #gitlabToken()}. */
    GitLabApi gitLabApi();

    // ---- irsa's executors, wired to the clients above and to the sandbox clock

    AwsExecutor awsExecutor();

    KubernetesExecutor kubernetesExecutor();

    GitLabExecutor gitLabExecutor();

    HelmExecutor helmExecutor();

    /** The clock every fake and executor reads. */
    ManualClock clock();

    /** Advances {@link #clock()} instead of sleeping; every executor waits with it. */
    Sleeper sleeper();

    /**
     * A service-account token as the cluster would issue it (signed by the cluster issuer, audience
     * {@code sts.amazonaws.com}), e.g. to call {@code sts().assumeRoleWithWebIdentity} directly.
     */
    SecretString serviceAccountToken(String namespace, String serviceAccount, Duration lifetime);

    /**
     * A GitLab CI job's {@code id_tokens} token, as {@code https://gitlab.com} signs it for a job of {@code projectPath}
     * on a {@code refType} ({@code branch} or {@code tag}) {@code ref}, for {@code audience}: the fake STS accepts it
     * (GitLab OIDC bindings use the issuer {@code https://gitlab.com} by default), so a test or the demo can assume a
     * GitLab OIDC role as a job would.
     */
    SecretString gitlabJobToken(String projectPath, String refType, String ref, String audience, Duration lifetime);

    // ---- faults and inspection

    SandboxFaults faults();

    /** Every call received since start or the last {@link #reset()}. */
    SandboxCalls calls();

    /** What exists now. */
    SandboxResources resources();

    /**
     * Back to the state right after {@link Builder#start()}: no resources, calls or faults; the cluster, the
     * GitLab project and token (same values), and every client handed out stay valid. The clock keeps its time.
     */
    void reset();

    /** Stops every server and client. Idempotent. */
    @Override
    void close();

    /** Chooses what the sandbox sets up; everything has a default. */
    final class Builder {
        private String region = "eu-west-1";
        private String clusterName = "test-cluster";
        private String accountId = "123456789012";
        private String gitlabProject = "group/project";
        private List<String> gitlabTokenScopes = List.of("api", "create_runner");

        private Builder() {
        }

        /** AWS region of the cluster and its issuer (default {@code eu-west-1}). */
        public Builder region(String region) {
            this.region = Validators.region("sandbox.region", region);
            return this;
        }

        /** Name of the EKS cluster (default {@code test-cluster}). */
        public Builder clusterName(String clusterName) {
            this.clusterName = Validators.eksClusterName("sandbox.clusterName", clusterName);
            return this;
        }

        /** The 12-digit AWS account id (default {@code 123456789012}). */
        public Builder account(String accountId) {
            this.accountId = Validators.accountId("sandbox.account", accountId);
            return this;
        }

        /** Path of the GitLab project to create (default {@code group/project}). */
        public Builder gitlabProject(String pathWithNamespace) {
            this.gitlabProject = Validators.gitlabPath("sandbox.gitlabProject", pathWithNamespace);
            return this;
        }

        /** Scopes of the personal access token (default {@code api}, {@code create_runner}). */
        public Builder gitlabTokenScopes(String... scopes) {
            this.gitlabTokenScopes = List.of(scopes);
            return this;
        }

        /** Applies {@code settings} to this builder (for {@code Consumer<Builder>} style configuration). */
        public Builder apply(Consumer<Builder> settings) {
            Objects.requireNonNull(settings, "settings").accept(this);
            return this;
        }

        public String region() {
            return region;
        }

        public String clusterName() {
            return clusterName;
        }

        public String accountId() {
            return accountId;
        }

        public String gitlabProject() {
            return gitlabProject;
        }

        public List<String> gitlabTokenScopes() {
            return gitlabTokenScopes;
        }

        /** Starts the in-memory sandbox: every server on 127.0.0.1, free ports. */
        public IrsaSandbox start() {
            return InMemoryIrsaSandbox.start(this);
        }
    }
}

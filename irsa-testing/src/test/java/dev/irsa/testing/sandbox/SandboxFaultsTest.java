package dev.irsa.testing.sandbox;

import dev.irsa.aws.ClusterIdentity;
import dev.irsa.aws.DesiredOidcProvider;
import dev.irsa.aws.DesiredRole;
import dev.irsa.aws.Ownership;
import dev.irsa.gitlab.helm.HelmChart;
import dev.irsa.gitlab.helm.HelmException;
import dev.irsa.gitlab.helm.HelmReleaseRequest;
import dev.irsa.policy.TrustPolicy;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.Service;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.gitlab4j.api.GitLabApiException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.model.StsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each fault one-liner has an effect the caller can observe. */
class SandboxFaultsTest {
    private static IrsaSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = IrsaSandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void clean() {
        sandbox.reset();
    }

    private static List<Boolean> throttledPattern(IrsaSandbox s, int calls) {
        List<Boolean> pattern = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            try {
                s.iam().listRoles();
                pattern.add(false);
            } catch (IamException e) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                pattern.add(true);
            }
        }
        return pattern;
    }

    @Test
    void throttlingWithASeedIsReproducible() {
        sandbox.faults().throttle(Service.IAM, 0.3, 42);
        List<Boolean> first = throttledPattern(sandbox, 200);
        sandbox.reset();
        sandbox.faults().throttle(Service.IAM, 0.3, 42);
        List<Boolean> second = throttledPattern(sandbox, 200);

        assertThat(second).isEqualTo(first);
        long throttled = first.stream().filter(b -> b).count();
        assertThat(throttled).isBetween(30L, 90L); // about 30% of 200
    }

    @Test
    void awsExecutorRetriesThrottlingOnTheSandboxClockWithoutSleeping() {
        sandbox.faults().throttle(Service.IAM, 0.5, 7);
        ClusterIdentity cluster = sandbox.awsExecutor().identity().ofCluster(sandbox.clusterName());
        sandbox.awsExecutor().oidcProviders().ensure(DesiredOidcProvider.forIssuer(cluster.issuerUrl()), Ownership.of("ci"), false);

        assertThat(sandbox.resources().oidcProviders()).hasSize(1);
        assertThat(sandbox.clock().slept()).isPositive();
    }

    @Test
    void failAtCallFailsExactlyThatCall() {
        sandbox.faults().failAtCall(Service.IAM, 2);
        sandbox.iam().listRoles();
        assertThatThrownBy(() -> sandbox.iam().listRoles())
                .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        sandbox.iam().listRoles();
        assertThat(sandbox.calls().count(Service.IAM, "ListRoles")).isEqualTo(3);
    }

    @Test
    void serverErrorFailsTheNamedOperation() {
        sandbox.faults().serverError(Service.IAM, "CreateRole", 1);
        assertThatThrownBy(() -> sandbox.iam().createRole(r -> r.roleName("r").assumeRolePolicyDocument("{}")))
                .isInstanceOfSatisfying(IamException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThat(sandbox.resources().roles()).isEmpty();
    }

    @Test
    void iamPropagationDelayDeniesANewRoleUntilTheClockMoves() {
        sandbox.faults().iamPropagationDelay(Duration.ofSeconds(20));
        ClusterIdentity cluster = sandbox.awsExecutor().identity().ofCluster(sandbox.clusterName());
        sandbox.awsExecutor().oidcProviders().ensure(DesiredOidcProvider.forIssuer(cluster.issuerUrl()), Ownership.of("ci"), false);
        String roleArn = sandbox.awsExecutor().roles().ensure(DesiredRole.builder().name("ci-deployer").trustPolicyJson(
                TrustPolicy.irsa(s -> s.providerArn(cluster.providerArn()).serviceAccount("ci", "deployer")).toJson()).build(),
                Ownership.of("ci"), false).arn();
        String token = sandbox.serviceAccountToken("ci", "deployer", Duration.ofHours(1)).reveal();

        assertThatThrownBy(() -> sandbox.sts().assumeRoleWithWebIdentity(r -> r.roleArn(roleArn).roleSessionName("job-1").webIdentityToken(token)))
                .isInstanceOf(StsException.class);
        sandbox.clock().advance(Duration.ofSeconds(21));
        assertThat(sandbox.sts().assumeRoleWithWebIdentity(r -> r.roleArn(roleArn).roleSessionName("job-1").webIdentityToken(token))
                .credentials()).isNotNull();
    }

    @Test
    void latencyAdvancesTheClockInsteadOfWaiting() {
        sandbox.faults().latency(Service.STS, Duration.ofSeconds(2));
        var before = sandbox.clock().instant();
        sandbox.sts().getCallerIdentity();
        assertThat(Duration.between(before, sandbox.clock().instant())).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void gitLabAnswersTheInjectedStatusAndTheExecutorRetriesIt() throws Exception {
        sandbox.faults().gitlab().respond(503, 1);
        assertThatThrownBy(() -> sandbox.gitLabApi().getProjectApi().getProject(sandbox.gitlabProject()))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(503));

        sandbox.faults().gitlab().respond(429, 2);
        assertThat(sandbox.gitLabExecutor().projectId(sandbox.gitlabProject())).isEqualTo(sandbox.gitlabProjectId());
        assertThat(sandbox.calls().of(Service.GITLAB)).extracting(c -> c.status()).containsExactly(503, 429, 429, 200);
        assertThat(sandbox.clock().slept()).isPositive();
    }

    @Test
    void gitLabThrottlingAndFailAtCall() {
        sandbox.faults().failAtCall(Service.GITLAB, 1);
        assertThatThrownBy(() -> sandbox.gitLabApi().getProjectApi().getProject(sandbox.gitlabProject()))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(500));
        sandbox.faults().throttle(Service.GITLAB, 1.0, 1);
        assertThatThrownBy(() -> sandbox.gitLabApi().getProjectApi().getProject(sandbox.gitlabProject()))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(429));
    }

    @Test
    void kubernetesThrottlingFailAtCallAndClear() {
        sandbox.faults().throttle(Service.KUBERNETES, 1.0, 3);
        assertThatThrownBy(() -> sandbox.kubernetesClient().namespaces().list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(429));
        sandbox.faults().clear();
        sandbox.kubernetesClient().namespaces().list();

        sandbox.faults().failAtCall(Service.KUBERNETES, 2);
        assertThatThrownBy(() -> sandbox.kubernetesExecutor().ensureNamespace("ci", "ci")) // get, then the create fails
                .isInstanceOf(dev.irsa.IrsaException.class).hasMessageContaining("500");
        assertThat(sandbox.resources().namespaces()).isEmpty();
        assertThat(sandbox.calls().of(Service.KUBERNETES)).extracting(c -> c.operation())
                .containsExactly("list namespaces", "list namespaces", "get namespaces", "create namespaces");
    }

    @Test
    void webhookMissesTheNextPod() {
        sandbox.kubernetesExecutor().ensureNamespace("ci", "ci");
        sandbox.kubernetesExecutor().ensureServiceAccount(dev.irsa.kubernetes.ServiceAccountBinding.of(b -> b
                .namespace("ci").name("deployer").stack("ci").roleArn("arn:aws:iam::123456789012:role/ci-deployer")));
        sandbox.faults().webhook().missNextPods(1);

        var missed = createPod("first");
        var mutated = createPod("second");

        assertThat(missed.getSpec().getContainers().get(0).getEnv()).isNullOrEmpty();
        assertThat(mutated.getSpec().getContainers().get(0).getEnv()).extracting(e -> e.getName()).contains("AWS_ROLE_ARN");
        assertThat(sandbox.kubernetesExecutor().checkCredentialInjection("ci", "deployer").podsWithoutCredentials()).hasSize(1);
    }

    private io.fabric8.kubernetes.api.model.Pod createPod(String name) {
        return sandbox.kubernetesClient().pods().inNamespace("ci").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withServiceAccountName("deployer").addNewContainer().withName("c").withImage("alpine").endContainer()
                .endSpec().build()).create();
    }

    @Test
    void helmFailsTheNextUpgradeOrTheKthCall() {
        HelmReleaseRequest request = HelmReleaseRequest.builder().releaseName("runner").namespace("ci").chart(HelmChart.gitlabRunner()).build();
        sandbox.faults().helm().failNext("upgrade", 1, "timed out waiting for the condition");
        assertThatThrownBy(() -> sandbox.helmExecutor().upgrade(request)).isInstanceOf(HelmException.class)
                .hasMessageContaining("timed out");
        sandbox.faults().failAtCall(Service.HELM, 2);
        sandbox.helmExecutor().status("runner", "ci");
        assertThatThrownBy(() -> sandbox.helmExecutor().upgrade(request)).isInstanceOf(HelmException.class);
        assertThat(sandbox.resources().releases()).isEmpty();
    }

    @Test
    void faultsThatMakeNoSenseForAServiceAreRefused() {
        assertThatThrownBy(() -> sandbox.faults().throttle(Service.HELM, 0.5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sandbox.faults().latency(Service.GITLAB, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sandbox.faults().throttle(Service.IAM, 1.5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sandbox.faults().failAtCall(Service.IAM, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

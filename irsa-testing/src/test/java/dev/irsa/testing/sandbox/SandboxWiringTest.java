package dev.irsa.testing.sandbox;

import dev.irsa.SecretString;
import dev.irsa.aws.ClusterIdentity;
import dev.irsa.aws.DesiredOidcProvider;
import dev.irsa.aws.DesiredRole;
import dev.irsa.aws.Ownership;
import dev.irsa.gitlab.api.RunnerSpec;
import dev.irsa.gitlab.helm.HelmChart;
import dev.irsa.gitlab.helm.HelmReleaseRequest;
import dev.irsa.kubernetes.RunnerTokenSecret;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.kubernetes.ServiceAccountToken;
import dev.irsa.policy.TrustPolicy;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.SandboxResources;
import dev.irsa.testing.Service;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One sandbox wires the whole IRSA chain offline: provider and role via AWS, SA via Kubernetes, token to STS. */
class SandboxWiringTest {
    private static IrsaSandbox sandbox;
    private final Ownership stack = Ownership.of("ci");

    @BeforeAll
    static void start() {
        sandbox = IrsaSandbox.builder().region("eu-central-1").clusterName("prod-eks").account("210987654321")
                .gitlabProject("platform/app").start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void clean() {
        sandbox.reset();
    }

    private String provisionRole(String namespace, String serviceAccount) {
        ClusterIdentity cluster = sandbox.awsExecutor().identity().ofCluster(sandbox.clusterName());
        sandbox.awsExecutor().oidcProviders().ensure(DesiredOidcProvider.forIssuer(cluster.issuerUrl()), stack, false);
        TrustPolicy trust = TrustPolicy.irsa(s -> s.providerArn(cluster.providerArn()).serviceAccount(namespace, serviceAccount));
        String roleArn = sandbox.awsExecutor().roles().ensure(DesiredRole.builder().name("ci-deployer")
                .trustPolicyJson(trust.toJson()).build(), stack, false).arn();
        sandbox.kubernetesExecutor().ensureNamespace(namespace, "ci");
        sandbox.kubernetesExecutor().ensureServiceAccount(ServiceAccountBinding.of(b -> b
                .namespace(namespace).name(serviceAccount).stack("ci").roleArn(roleArn)));
        return roleArn;
    }

    @Test
    void settingsReachEveryService() {
        assertThat(sandbox.eks().describeCluster(r -> r.name("prod-eks")).cluster().identity().oidc().issuer())
                .isEqualTo(sandbox.issuerUrl()).startsWith("https://oidc.eks.eu-central-1.amazonaws.com/id/");
        assertThat(sandbox.sts().getCallerIdentity().account()).isEqualTo("210987654321");
        assertThat(sandbox.accountId()).isEqualTo("210987654321");
        assertThat(sandbox.gitLabExecutor().projectId("platform/app")).isEqualTo(sandbox.gitlabProjectId());
    }

    @Test
    void serviceAccountTokenFromTheClusterAssumesTheRole() {
        String roleArn = provisionRole("ci", "deployer");

        ServiceAccountToken token = sandbox.kubernetesExecutor().requestToken("ci", "deployer", Duration.ofHours(1));
        AssumeRoleWithWebIdentityResponse assumed = sandbox.sts().assumeRoleWithWebIdentity(r -> r.roleArn(roleArn)
                .roleSessionName("job-1").webIdentityToken(token.token().reveal()));

        assertThat(assumed.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::210987654321:assumed-role/ci-deployer/job-1");
        assertThat(assumed.credentials().accessKeyId()).isNotBlank();
        assertThat(sandbox.calls().count(Service.KUBERNETES, "create serviceaccounts/token")).isEqualTo(1);
        assertThat(sandbox.calls().changingOperations(Service.IAM)).contains("CreateOpenIDConnectProvider", "CreateRole");
    }

    @Test
    void anotherServiceAccountOfTheSameClusterIsDenied() {
        String roleArn = provisionRole("ci", "deployer");
        sandbox.kubernetesClient().serviceAccounts().inNamespace("ci").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("intruder").endMetadata().build()).create();

        ServiceAccountToken token = sandbox.kubernetesExecutor().requestToken("ci", "intruder", Duration.ofHours(1));

        assertThatThrownBy(() -> sandbox.sts().assumeRoleWithWebIdentity(r -> r.roleArn(roleArn)
                .roleSessionName("job-1").webIdentityToken(token.token().reveal())))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
    }

    @Test
    void podsOfTheAnnotatedServiceAccountGetCredentials() {
        String roleArn = provisionRole("ci", "deployer");
        Pod pod = sandbox.kubernetesClient().pods().inNamespace("ci").resource(new PodBuilder()
                .withNewMetadata().withName("job").endMetadata()
                .withNewSpec().withServiceAccountName("deployer").addNewContainer().withName("build").withImage("alpine").endContainer().endSpec()
                .build()).create();

        assertThat(pod.getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple("AWS_ROLE_ARN", roleArn),
                        org.assertj.core.groups.Tuple.tuple("AWS_REGION", "eu-central-1"));
    }

    /** Looking inside a namespace is discovery plus one list per type: reads, and a list of Leases is not the stack lock. */
    @Test
    void namespaceDiscoveryAndListsAreReadsOutsideTheStackLock() {
        sandbox.kubernetesExecutor().ensureNamespace("ci", "ci");

        assertThat(sandbox.kubernetesExecutor().deleteNamespace("ci", "ci").action())
                .isEqualTo(dev.irsa.kubernetes.Change.Action.DELETED);

        assertThat(sandbox.calls().of(Service.KUBERNETES)).filteredOn(c -> c.operation().startsWith("discover "))
                .extracting(c -> c.operation()).contains("discover /api/v1", "discover /apis", "discover /apis/apps/v1")
                .hasSize(9);
        assertThat(sandbox.calls().of(Service.KUBERNETES)).filteredOn(c -> c.operation().equals("list leases"))
                .singleElement().satisfies(c -> {
                    assertThat(c.changing()).isFalse();
                    assertThat(c.stackLock()).isFalse();
                });
    }

    @Test
    void resourcesShowExactlyWhatWasCreatedWithoutSecretValues() {
        String roleArn = provisionRole("ci", "deployer");
        SecretString runnerToken = SecretString.of("glrt-never-printed-0123456789");
        sandbox.kubernetesExecutor().ensureRunnerSecret(RunnerTokenSecret.of(b -> b.namespace("ci").name("runner-token")
                .stack("ci").token(runnerToken)));

        SandboxResources now = sandbox.resources();

        assertThat(now.roles()).singleElement().satisfies(role -> {
            assertThat(role.arn()).isEqualTo(roleArn);
            assertThat(role.tags()).containsEntry("irsa.dev/managed-by", "irsa").containsEntry("irsa.dev/stack", "ci");
            assertThat(role.trustPolicy().equivalentTo(TrustPolicy.irsa(s -> s
                    .providerArn("arn:aws:iam::210987654321:oidc-provider/" + sandbox.issuerUrl().substring(8))
                    .serviceAccount("ci", "deployer")))).isTrue();
        });
        assertThat(now.oidcProviders()).singleElement().satisfies(p -> assertThat(p.clientIds()).containsExactly("sts.amazonaws.com"));
        assertThat(now.namespaces()).containsExactly("ci");
        assertThat(now.serviceAccount("ci", "deployer")).flatMap(SandboxResources.ServiceAccount::roleArn).contains(roleArn);
        assertThat(now.secret("ci", "runner-token")).map(SandboxResources.Secret::keys)
                .contains(java.util.Set.of("runner-token", "runner-registration-token"));
        assertThat(now.toString()).doesNotContain(runnerToken.reveal());
        // reading resources is not a call
        assertThat(sandbox.calls().of(Service.KUBERNETES)).noneMatch(c -> c.operation().startsWith("list"));
    }

    @Test
    void gitLabAndHelmAreReadyWithAProjectAndACreateRunnerToken() throws Exception {
        RunnerSpec spec = RunnerSpec.builder().stack("ci").name("jobs").projectId(sandbox.gitlabProjectId()).tags("irsa").build();
        sandbox.gitLabExecutor().createRunner(spec, token -> assertThat(token.reveal()).startsWith("glrt-"));
        sandbox.helmExecutor().upgrade(HelmReleaseRequest.builder().releaseName("runner").namespace("ci")
                .chart(HelmChart.gitlabRunner()).values("concurrent: 2\n").build());

        assertThat(sandbox.gitLabApi().getProjectApi().getProject("platform/app").getId()).isEqualTo(sandbox.gitlabProjectId());
        SandboxResources now = sandbox.resources();
        assertThat(now.runners()).singleElement().satisfies(r -> assertThat(r.tags()).containsExactly("irsa"));
        assertThat(now.release("ci", "runner")).map(SandboxResources.Release::values).contains("concurrent: 2\n");
        assertThat(sandbox.calls().count(Service.GITLAB, "POST /user/runners")).isEqualTo(1);
        assertThat(sandbox.calls().changingOperations(Service.HELM)).containsExactly("upgrade");
        assertThat(sandbox.toString()).doesNotContain(sandbox.gitlabToken().reveal());
    }

    @Test
    void theIssuerServesDiscoveryAndKeysOnLoopback() throws Exception {
        URI local = sandbox.issuerLocalUrl();
        assertThat(local.getHost()).isEqualTo("127.0.0.1");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> discovery = http.send(HttpRequest.newBuilder(local.resolve("/.well-known/openid-configuration")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(discovery.statusCode()).isEqualTo(200);
        assertThat(discovery.body()).contains("\"issuer\":\"" + sandbox.issuerUrl() + "\"");
    }

    @Test
    void aTokenMintedDirectlyAlsoWorksWithSts() {
        String roleArn = provisionRole("ci", "deployer");
        SecretString token = sandbox.serviceAccountToken("ci", "deployer", Duration.ofMinutes(10));
        assertThat(sandbox.sts().assumeRoleWithWebIdentity(r -> r.roleArn(roleArn).roleSessionName("direct")
                .webIdentityToken(token.reveal())).credentials()).isNotNull();
        assertThat(Optional.of(token.toString())).get().asString().doesNotContain(token.reveal());
    }
}

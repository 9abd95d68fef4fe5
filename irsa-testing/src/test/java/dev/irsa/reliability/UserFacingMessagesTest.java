package dev.irsa.reliability;

import dev.irsa.IrsaException;
import dev.irsa.SecretString;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.aws.AwsOperationException;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabException;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.testing.aws.FakeEks;
import dev.irsa.testing.aws.FakeIam;
import dev.irsa.testing.aws.FakeSts;
import dev.irsa.testing.gitlab.FakeGitLab;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Errors a user meets on real endpoints name the endpoint, the identity and the next step (issue 17): a
 * Kubernetes 403 names the server and the kubeconfig user and context; an AWS AccessDenied the action to grant
 * (AWS's own message names the caller); a GitLab 401 the GitLab URL; each points at {@code irsa preflight}.
 */
class UserFacingMessagesTest {
    @TempDir
    Path dir;

    @Test
    void aKubernetes403NamesServerUserContextAndTheNextStep() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init(java.net.InetAddress.getByName("127.0.0.1"), 0);
        try {
            server.expect().get().withPath("/api/v1/namespaces/dev/serviceaccounts/ci")
                    .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").build()).always();
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: eks, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: ci-deployer, user: {token: not-a-real-token}}]
                    contexts: [{name: eks-dev, context: {cluster: eks, user: ci-deployer}}]
                    current-context: eks-dev
                    """.formatted(server.getPort()));
            try (KubernetesExecutor k8s = KubernetesExecutor.builder().kubeconfig(kubeconfig).requestRetries(0).build()) {
                assertThatThrownBy(() -> k8s.ensureServiceAccount(ServiceAccountBinding.of(b -> b.namespace("dev").name("ci").stack("seed")
                        .roleArn("arn:aws:iam::111122223333:role/ci"))))
                        .isInstanceOf(IrsaException.class)
                        .hasMessageContaining("HTTP 403 Forbidden from http://127.0.0.1:" + server.getPort() + "/ for user ci-deployer of kubeconfig context eks-dev")
                        .hasMessageContaining("next: grant that user the verb (irsa preflight lists every verb irsa needs")
                        .hasMessageNotContaining("not-a-real-token");
            }
        } finally {
            server.destroy();
        }
    }

    @Test
    void anAwsAccessDeniedNamesTheActionToGrant() {
        FakeIam iam = FakeIam.create();
        AwsExecutor aws = AwsExecutor.builder().iam(iam).sts(FakeSts.builder(iam).build()).eks(FakeEks.builder().build()).build();
        iam.faults().fail("GetRole", 1, "AccessDenied", 403,
                "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:GetRole on resource: role ci");

        assertThatThrownBy(() -> aws.roles().observe("ci"))
                .isInstanceOfSatisfying(AwsOperationException.class, e -> assertThat(e.getMessage())
                        .contains("User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:GetRole")
                        .contains("next: grant iam:GetRole to the caller (irsa preflight lists every action irsa calls and which are denied)"));
    }

    @Test
    void aGitLab401NamesTheInstanceAndTheNextStep() {
        try (FakeGitLab gitlab = FakeGitLab.start();
             GitLabExecutor executor = new GitLabExecutor(GitLabConnection.builder().url(gitlab.url())
                     .accessToken(SecretString.of("glpat-revoked-or-wrong")).build())) {
            assertThatThrownBy(() -> executor.projectId("group/app"))
                    .isInstanceOfSatisfying(GitLabException.Unauthorized.class, e -> assertThat(e.getMessage())
                            .contains("GitLab answered 401", "from " + gitlab.url(), "IRSA_GITLAB_TOKEN", "irsa preflight shows the token's user and scopes")
                            .doesNotContain("glpat-revoked-or-wrong"));
        }
    }
}

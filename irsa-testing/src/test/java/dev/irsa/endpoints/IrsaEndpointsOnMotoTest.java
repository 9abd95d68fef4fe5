package dev.irsa.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.IrsaEndpoints;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.plan.Applier;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;
import dev.irsa.testing.aws.MotoServer;
import dev.irsa.testing.aws.MotoServerExtension;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * issue 14: the library's real-endpoint entry point, end to end on loopback: AWS on moto (real SDK wire
 * protocol), Kubernetes on fabric8's mock API server reached through a kubeconfig file, as a user's would be.
 */
@ExtendWith(MotoServerExtension.class)
class IrsaEndpointsOnMotoTest {
    static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

    @TempDir
    Path dir;

    @Test
    void aKubeconfigAndAnAwsEndpointPlanAndApplyAnIamAndServiceAccountBinding(MotoServer moto) throws IOException {
        moto.reset();
        KubernetesMockServer kubernetes = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), new KubernetesMixedDispatcher(new HashMap<>()), false);
        kubernetes.init(InetAddress.getByName("127.0.0.1"), 0);
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: tester
                current-context: mock
                users:
                - name: tester
                  user:
                    token: test-token
                """.formatted(kubernetes.getPort()));
        try (IrsaEndpoints endpoints = IrsaEndpoints.builder().region("eu-west-1").awsEndpoint(moto.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .kubeconfig(kubeconfig).context("mock").kubernetes(k -> k.requestRetries(0)).open()) {
            String account = endpoints.sts().getCallerIdentity().account();
            RoleBinding binding = RoleBinding.of(b -> b.name("ci").cluster(ClusterRef.eks("devops", "eu-west-1", ISSUER, account, "aws"))
                    .serviceAccount("dev", "app-deployer").role(r -> r.name("ci-role")));
            BindingBackends backends = endpoints.bindingBackends();

            Plan plan = binding.plan(Planner.create(), backends);
            assertThat(plan.changes()).extracting(c -> c.id().type())
                    .contains("iam.oidc-provider", "iam.role", "kubernetes.service-account");
            Applier.create().apply(plan).orThrow();

            assertThat(endpoints.awsClients().iam().getRole(r -> r.roleName("ci-role")).role().arn())
                    .isEqualTo("arn:aws:iam::" + account + ":role/ci-role");
            assertThat(endpoints.kubernetes().namespaceOwnership("dev", "ci")).isNotNull();
            Plan again = binding.plan(Planner.create(), backends);
            assertThat(again.hasChanges()).as(again.render()).isFalse();
            Applier.create().apply(binding.destroyPlan(Planner.create(), backends)).orThrow();
            assertThat(binding.destroyPlan(Planner.create(), backends).hasChanges()).isFalse();
        } finally {
            kubernetes.destroy();
        }
    }
}

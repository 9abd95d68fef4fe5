package dev.irsa.kubernetes;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialInjectionTest {
    private static final String NS = "gitlab-runner";
    private final CrudServer k8s = new CrudServer();
    private final KubernetesExecutor executor = KubernetesExecutor.builder().client(k8s.client).sleeper(k8s.sleeps::add)
            .clock(Clock.fixed(Instant.parse("2026-11-25T10:15:30.123Z"), ZoneOffset.UTC)).build();

    @AfterEach
    void close() {
        k8s.close();
    }

    @BeforeEach
    void boundServiceAccountAndWorkloads() {
        executor.ensureServiceAccount(ServiceAccountBinding.of(b -> b.namespace(NS).name("ci-jobs").stack("demo")
                .roleArn("arn:aws:iam::123456789012:role/gitlab-jobs")));
        k8s.client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata().withName("builder").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withServiceAccountName("ci-jobs")
                .addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build()).create();
        k8s.client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder().withNewMetadata().withName("builder-5d8f")
                .withOwnerReferences(owner("apps/v1", "Deployment", "builder")).endMetadata().build()).create();
        k8s.client.apps().statefulSets().inNamespace(NS).resource(new StatefulSetBuilder().withNewMetadata().withName("cache").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withServiceAccountName("ci-jobs")
                .addNewContainer().withName("redis").withImage("redis").endContainer().endSpec().endTemplate().endSpec().build()).create();
    }

    private static io.fabric8.kubernetes.api.model.OwnerReference owner(String apiVersion, String kind, String name) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(name + "-uid").withController(true).build();
    }

    private void pod(String name, String serviceAccount, io.fabric8.kubernetes.api.model.OwnerReference owner, boolean injected) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount)
                .addNewContainer().withName("main").withImage("busybox").endContainer()
                .addNewContainer().withName("sidecar").withImage("busybox").endContainer()
                .endSpec();
        if (owner != null) {
            pod.editMetadata().withOwnerReferences(owner).endMetadata();
        }
        Pod p = pod.build();
        if (injected) {
            p.getSpec().getContainers().forEach(c -> {
                c.getEnv().add(new io.fabric8.kubernetes.api.model.EnvVar("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/gitlab-jobs", null));
                c.getEnv().add(new io.fabric8.kubernetes.api.model.EnvVar("AWS_WEB_IDENTITY_TOKEN_FILE",
                        "/var/run/secrets/eks.amazonaws.com/serviceaccount/token", null));
            });
        }
        k8s.client.pods().inNamespace(NS).resource(p).create();
    }

    @Test
    void reportsPodsWithoutCredentialsWithTheirWorkload() {
        pod("builder-5d8f-abcde", "ci-jobs", owner("apps/v1", "ReplicaSet", "builder-5d8f"), false);
        pod("cache-0", "ci-jobs", owner("apps/v1", "StatefulSet", "cache"), false);
        pod("lonely", "ci-jobs", null, false);
        pod("builder-5d8f-fresh", "ci-jobs", owner("apps/v1", "ReplicaSet", "builder-5d8f"), true);
        pod("other-app", "default", null, false);

        CredentialInjectionReport report = executor.checkCredentialInjection(NS, "ci-jobs");

        assertThat(report.serviceAccountHasRole()).isTrue();
        assertThat(report.podsChecked()).isEqualTo(4);
        assertThat(report.allInjected()).isFalse();
        assertThat(report.podsWithoutCredentials()).containsExactlyInAnyOrder(
                new PodWithoutCredentials("builder-5d8f-abcde", List.of("main", "sidecar"), new Workload("Deployment", NS, "builder")),
                new PodWithoutCredentials("cache-0", List.of("main", "sidecar"), new Workload("StatefulSet", NS, "cache")),
                new PodWithoutCredentials("lonely", List.of("main", "sidecar"), new Workload("Pod", NS, "lonely")));
    }

    @Test
    void restartsDeploymentsAndStatefulSetsLikeKubectlRolloutRestart() {
        pod("builder-5d8f-abcde", "ci-jobs", owner("apps/v1", "ReplicaSet", "builder-5d8f"), false);
        pod("cache-0", "ci-jobs", owner("apps/v1", "StatefulSet", "cache"), false);
        pod("lonely", "ci-jobs", null, false);
        k8s.takeRequests();

        List<Change> changes = executor.restartWorkloads(executor.checkCredentialInjection(NS, "ci-jobs"));

        assertThat(changes).extracting(Change::target, Change::action).containsExactlyInAnyOrder(
                org.assertj.core.api.Assertions.tuple("Deployment gitlab-runner/builder", Change.Action.UPDATED),
                org.assertj.core.api.Assertions.tuple("StatefulSet gitlab-runner/cache", Change.Action.UPDATED),
                org.assertj.core.api.Assertions.tuple("Pod gitlab-runner/lonely", Change.Action.KEPT));
        assertThat(k8s.client.apps().deployments().inNamespace(NS).withName("builder").get().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("kubectl.kubernetes.io/restartedAt", "2026-11-25T10:15:30Z");
        assertThat(k8s.client.apps().statefulSets().inNamespace(NS).withName("cache").get().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("kubectl.kubernetes.io/restartedAt", "2026-11-25T10:15:30Z");
        var patches = k8s.takeRecorded().stream().filter(r -> r.method().equals("PATCH")).toList();
        assertThat(patches).hasSize(2).allSatisfy(p -> {
            assertThat(p.contentType()).startsWith("application/merge-patch+json");
            assertThat(p.body()).isEqualTo("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2026-11-25T10:15:30Z\"}}}}}");
        });
    }

    @Test
    void allInjectedWhenEveryPodHasTheEnvironment() {
        pod("builder-5d8f-fresh", "ci-jobs", owner("apps/v1", "ReplicaSet", "builder-5d8f"), true);
        CredentialInjectionReport report = executor.checkCredentialInjection(NS, "ci-jobs");
        assertThat(report.allInjected()).isTrue();
        assertThat(report.podsChecked()).isEqualTo(1);
        assertThat(report.workloadsToRestart()).isEmpty();
    }

    @Test
    void restartOfAWorkloadThatIsGoneIsSuccess() {
        assertThat(executor.restartWorkload(new Workload("Deployment", NS, "gone")).action()).isEqualTo(Change.Action.ALREADY_ABSENT);
    }

    @Test
    void reportsAnUnannotatedServiceAccount() {
        k8s.client.serviceAccounts().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("plain").endMetadata().build()).create();
        pod("p", "plain", null, false);
        CredentialInjectionReport report = executor.checkCredentialInjection(NS, "plain");
        assertThat(report.serviceAccountHasRole()).isFalse();
        assertThat(report.podsWithoutCredentials()).hasSize(1);
    }
}

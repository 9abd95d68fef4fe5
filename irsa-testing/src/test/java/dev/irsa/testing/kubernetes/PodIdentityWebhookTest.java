package dev.irsa.testing.kubernetes;

import dev.irsa.kubernetes.Change;
import dev.irsa.kubernetes.CredentialInjectionReport;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.kubernetes.Workload;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class PodIdentityWebhookTest {
    private static final String NS = "gitlab-runner";
    private static final String ROLE = "arn:aws:iam::123456789012:role/gitlab-jobs";

    private final SimulatedEksCluster eks = SimulatedEksCluster.builder().region("eu-west-1").start();
    private final KubernetesExecutor executor = KubernetesExecutor.builder().client(eks.client()).sleeper(d -> { }).build();

    @AfterEach
    void close() {
        eks.close();
    }

    private void bind(Function<ServiceAccountBinding.Builder, ServiceAccountBinding.Builder> extra) {
        executor.ensureNamespace(NS, "demo");
        executor.ensureServiceAccount(extra.apply(ServiceAccountBinding.builder().namespace(NS).name("ci-jobs").stack("demo").roleArn(ROLE)).build());
    }

    private Pod createPod(String name, String serviceAccount) {
        return eks.client().pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withServiceAccountName(serviceAccount)
                .addNewInitContainer().withName("init").withImage("busybox").endInitContainer()
                .addNewContainer().withName("build").withImage("alpine").addNewEnv().withName("AWS_REGION").withValue("us-west-2").endEnv().endContainer()
                .addNewContainer().withName("helper").withImage("gitlab-runner-helper").endContainer()
                .endSpec().build()).create();
    }

    private static Map<String, String> env(io.fabric8.kubernetes.api.model.Container c) {
        return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void injectsEnvironmentVolumeAndMountIntoEveryContainer() {
        bind(b -> b);

        createPod("job-1", "ci-jobs");

        Pod stored = eks.client().pods().inNamespace(NS).withName("job-1").get();
        assertThat(env(stored.getSpec().getContainers().get(1))).containsOnly(
                entry("AWS_STS_REGIONAL_ENDPOINTS", "regional"),
                entry("AWS_DEFAULT_REGION", "eu-west-1"),
                entry("AWS_REGION", "eu-west-1"),
                entry("AWS_ROLE_ARN", ROLE),
                entry("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"));
        // A value the container already sets is kept, like the real webhook does.
        assertThat(env(stored.getSpec().getContainers().get(0))).containsEntry("AWS_REGION", "us-west-2").containsEntry("AWS_ROLE_ARN", ROLE);
        assertThat(env(stored.getSpec().getInitContainers().get(0))).containsEntry("AWS_ROLE_ARN", ROLE);
        Stream.of(stored.getSpec().getInitContainers(), stored.getSpec().getContainers()).flatMap(List::stream).forEach(c ->
                assertThat(c.getVolumeMounts()).singleElement().satisfies(m -> {
                    assertThat(m.getName()).isEqualTo("aws-token");
                    assertThat(m.getMountPath()).isEqualTo("/var/run/secrets/eks.amazonaws.com/serviceaccount");
                    assertThat(m.getReadOnly()).isTrue();
                }));
        Volume volume = stored.getSpec().getVolumes().stream().filter(v -> v.getName().equals("aws-token")).findFirst().orElseThrow();
        var token = volume.getProjected().getSources().get(0).getServiceAccountToken();
        assertThat(token.getAudience()).isEqualTo("sts.amazonaws.com");
        assertThat(token.getExpirationSeconds()).isEqualTo(86400L);
        assertThat(token.getPath()).isEqualTo("token");
        assertThat(eks.webhook().mutatedPods()).containsExactly(NS + "/job-1");
    }

    @Test
    void honoursTheAudienceExpirationAndRegionalEndpointAnnotations() {
        bind(b -> b.audience("sts.example.internal").tokenExpiration(Duration.ofHours(2)).stsRegionalEndpoints(false));

        createPod("job-1", "ci-jobs");

        Pod stored = eks.client().pods().inNamespace(NS).withName("job-1").get();
        assertThat(env(stored.getSpec().getContainers().get(1))).doesNotContainKey("AWS_STS_REGIONAL_ENDPOINTS").containsKey("AWS_ROLE_ARN");
        var token = stored.getSpec().getVolumes().get(0).getProjected().getSources().get(0).getServiceAccountToken();
        assertThat(token.getAudience()).isEqualTo("sts.example.internal");
        assertThat(token.getExpirationSeconds()).isEqualTo(7200L);
    }

    @Test
    void podsOfOtherOrUnannotatedAccountsAndPodsCreatedBeforeTheAnnotationGetNothing() {
        executor.ensureNamespace(NS, "demo");
        eks.client().serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("ci-jobs").endMetadata().build()).create();
        createPod("early", "ci-jobs");
        createPod("default-sa", "default");

        executor.ensureServiceAccount(ServiceAccountBinding.of(b -> b.namespace(NS).name("ci-jobs").stack("demo").roleArn(ROLE).adopt(true)));
        createPod("late", "ci-jobs");

        assertThat(eks.client().pods().inNamespace(NS).withName("early").get().getSpec().getVolumes()).isEmpty();
        assertThat(env(eks.client().pods().inNamespace(NS).withName("early").get().getSpec().getContainers().get(1))).isEmpty();
        assertThat(eks.client().pods().inNamespace(NS).withName("default-sa").get().getSpec().getVolumes()).isEmpty();
        assertThat(eks.webhook().mutatedPods()).containsExactly(NS + "/late");
        CredentialInjectionReport report = executor.checkCredentialInjection(NS, "ci-jobs");
        assertThat(report.podsChecked()).isEqualTo(2);
        assertThat(report.podsWithoutCredentials()).singleElement().satisfies(p -> {
            assertThat(p.pod()).isEqualTo("early");
            assertThat(p.containers()).containsExactly("init", "build", "helper");
        });
    }

    @Test
    void aPodNamingAMissingServiceAccountIsRefusedLikeTheAdmissionPlugin() {
        executor.ensureNamespace(NS, "demo");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> createPod("orphan", "nobody"))
                .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("serviceaccount \"nobody\" not found");
                });
        assertThat(eks.client().pods().inNamespace(NS).withName("orphan").get()).isNull();
        assertThat(eks.webhook().mutatedPods()).isEmpty();
    }

    @Test
    void aMissedPodIsFoundByTheCheckAndItsDeploymentRestarted() {
        bind(b -> b);
        eks.client().apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata().withName("jobs").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withServiceAccountName("ci-jobs")
                .addNewContainer().withName("build").withImage("alpine").endContainer().endSpec().endTemplate().endSpec().build()).create();
        eks.client().apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder().withNewMetadata().withName("jobs-7c9")
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment").withName("jobs").withUid("u1").withController(true).build())
                .endMetadata().build()).create();
        eks.webhook().missNextPods(1);

        for (String name : List.of("jobs-7c9-a", "jobs-7c9-b")) {
            eks.client().pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name)
                    .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("jobs-7c9").withUid("u2").withController(true).build())
                    .endMetadata().withNewSpec().withServiceAccountName("ci-jobs").addNewContainer().withName("build").withImage("alpine").endContainer()
                    .endSpec().build()).create();
        }

        assertThat(eks.webhook().missedPods()).containsExactly(NS + "/jobs-7c9-a");
        assertThat(eks.webhook().mutatedPods()).containsExactly(NS + "/jobs-7c9-b");
        CredentialInjectionReport report = executor.checkCredentialInjection(NS, "ci-jobs");
        assertThat(report.workloadsToRestart()).containsExactly(new Workload("Deployment", NS, "jobs"));

        List<Change> restarted = executor.restartWorkloads(report);

        assertThat(restarted).singleElement().extracting(Change::action).isEqualTo(Change.Action.UPDATED);
        assertThat(eks.client().apps().deployments().inNamespace(NS).withName("jobs").get().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("kubectl.kubernetes.io/restartedAt");
    }
}

package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.binding.VerifyCheck;
import dev.irsa.binding.VerifyReport;
import dev.irsa.plan.Action;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ResourceId;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The seed stack in {@code mode: pod-identity}: the job pods run as dev/app-deployer, so that service account
 * must exist. Kubernetes' ServiceAccount admission plugin "ensures the ServiceAccount referenced by the pod
 * exists" and refuses the pod otherwise (kubernetes plugin/pkg/admission/serviceaccount/admission.go,
 * NewServiceAccount; "error looking up service account dev/app-deployer"), and EKS Pod Identity does not
 * create the account: the association only names it (the simulated API server refuses such pods the same way).
 */
class PodIdentityServiceAccountTest {
    static final ResourceId SERVICE_ACCOUNT = ResourceId.of("kubernetes.service-account", "dev/app-deployer");
    static final ResourceId ASSOCIATION = ResourceId.of("eks.pod-identity-association", "devops/dev/app-deployer");

    static RunnerStack podIdentitySeed(String extraServiceAccountLine) {
        try (InputStream in = StackFixture.class.getResourceAsStream("/stacks/seed.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("mode: irsa", "mode: pod-identity")
                    .replace("  name: app-deployer\n", "  name: app-deployer\n" + extraServiceAccountLine);
            return RunnerStack.fromYaml(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServiceAccount account(StackFixture world) {
        return world.cluster.client().serviceAccounts().inNamespace("dev").withName("app-deployer").get();
    }

    private static Pod jobPod(StackFixture world, String name) {
        return world.cluster.client().pods().inNamespace("dev").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withServiceAccountName("app-deployer").addNewContainer().withName("build").withImage("amazon/aws-cli")
                .endContainer().endSpec().build()).create();
    }

    @Test
    void applyCreatesTheJobPodsAccountVerifyChecksItAndDestroyRemovesIt() {
        RunnerStack seed = podIdentitySeed("");
        try (StackFixture world = new StackFixture()) {
            Plan plan = world.irsa.plan(seed);
            assertThat(plan.change(SERVICE_ACCOUNT)).hasValueSatisfying(c -> assertThat(c.action()).isEqualTo(Action.CREATE));
            assertThat(plan.change(ASSOCIATION)).hasValueSatisfying(c -> assertThat(c.dependsOn()).contains(SERVICE_ACCOUNT));

            world.irsa.apply(seed).orThrow();
            ServiceAccount created = account(world);
            assertThat(created).isNotNull();
            assertThat(created.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "irsa")
                    .containsEntry("irsa.dev/stack", "seed");
            // Pod Identity: the association names the account; an IRSA annotation would hand the pods another identity.
            assertThat(created.getMetadata().getAnnotations()).doesNotContainKey("eks.amazonaws.com/role-arn");
            assertThat(world.eks.podIdentityAssociations()).singleElement()
                    .satisfies(a -> assertThat(a.namespace() + "/" + a.serviceAccount()).isEqualTo("dev/app-deployer"));
            assertThat(jobPod(world, "job-1").getSpec().getServiceAccountName()).isEqualTo("app-deployer");

            VerifyReport report = world.irsa.verify(seed);
            assertThat(report.passed()).as(report.render()).isTrue();
            assertThat(report.check("service-account")).hasValueSatisfying(c -> assertThat(c.status()).isEqualTo(VerifyCheck.Status.PASS));
            assertThat(world.irsa.plan(seed).hasChanges()).as(world.irsa.plan(seed).render()).isFalse();

            // Deleted out of band: job pods are refused, and verify says why and what to do.
            world.cluster.client().serviceAccounts().inNamespace("dev").withName("app-deployer").delete();
            assertThatThrownBy(() -> jobPod(world, "job-2")).isInstanceOfSatisfying(KubernetesClientException.class,
                    e -> assertThat(e.getCode()).isEqualTo(403));
            VerifyReport broken = world.irsa.verify(seed);
            assertThat(broken.passed()).isFalse();
            assertThat(broken.check("service-account")).hasValueSatisfying(c -> {
                assertThat(c.status()).isEqualTo(VerifyCheck.Status.FAIL);
                assertThat(c.detail()).contains("dev/app-deployer does not exist");
                assertThat(c.cause()).hasValueSatisfying(cause -> assertThat(cause).contains("refuses every pod"));
                assertThat(c.fix()).hasValueSatisfying(fix -> assertThat(fix).contains("run apply"));
            });
            assertThat(world.irsa.plan(seed).change(SERVICE_ACCOUNT)).hasValueSatisfying(c -> assertThat(c.action()).isEqualTo(Action.CREATE));
            world.irsa.apply(seed).orThrow();
            assertThat(account(world)).isNotNull();

            world.irsa.destroy(seed).orThrow();
            assertThat(account(world)).isNull();
            assertThat(world.eks.podIdentityAssociations()).isEmpty();
        }
    }

    /**
     * An IRSA annotation on the Pod Identity account makes the IRSA webhook inject AWS_ROLE_ARN and the token
     * file, and the SDKs' default chains read web identity before container credentials (AWS SDK for Java 2.x
     * DefaultCredentialsProvider: "Web Identity Token credentials ..." precedes "Credentials delivered through
     * the Amazon EC2 container service"), so the pods would run as the annotated role, not the associated one.
     */
    @Test
    void anIrsaAnnotationOnThePodIdentityAccountFailsVerifyAndApplyRemovesIt() {
        RunnerStack seed = podIdentitySeed("");
        try (StackFixture world = new StackFixture()) {
            world.irsa.apply(seed).orThrow();
            String other = "arn:aws:iam::111122223333:role/other";
            world.cluster.client().serviceAccounts().inNamespace("dev").withName("app-deployer")
                    .edit(sa -> new ServiceAccountBuilder(sa).editMetadata().addToAnnotations("eks.amazonaws.com/role-arn", other).endMetadata().build());

            VerifyCheck check = world.irsa.verify(seed).check("service-account").orElseThrow();
            assertThat(check.status()).isEqualTo(VerifyCheck.Status.FAIL);
            assertThat(check.cause()).hasValueSatisfying(c -> assertThat(c).contains(other).contains("before Pod Identity"));
            assertThat(world.irsa.plan(seed).change(SERVICE_ACCOUNT)).hasValueSatisfying(c -> assertThat(c.action()).isEqualTo(Action.UPDATE));

            world.irsa.apply(seed).orThrow();
            assertThat(account(world).getMetadata().getAnnotations()).doesNotContainKey("eks.amazonaws.com/role-arn");
            assertThat(world.irsa.verify(seed).passed()).isTrue();
        }
    }

    @Test
    void anExistingAccountIsRefusedUnlessAdoptedAndAnAdoptedOneIsKeptOnDestroy() {
        try (StackFixture world = new StackFixture()) {
            world.cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("dev").endMetadata().build()).create();
            world.cluster.client().serviceAccounts().inNamespace("dev").resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName("app-deployer").addToLabels("team", "platform").endMetadata().build()).create();

            Plan refused = world.irsa.plan(podIdentitySeed(""));
            assertThat(refused.change(SERVICE_ACCOUNT)).hasValueSatisfying(c -> assertThat(c.action()).isEqualTo(Action.REFUSE));

            RunnerStack adopting = podIdentitySeed("  adopt: true\n");
            world.irsa.apply(adopting).orThrow();
            assertThat(account(world).getMetadata().getLabels()).containsEntry("irsa.dev/stack", "seed").containsEntry("team", "platform");
            VerifyReport report = world.irsa.verify(adopting);
            assertThat(report.passed()).as(report.render()).isTrue();

            world.irsa.destroy(adopting).orThrow();
            assertThat(account(world)).isNotNull();
            assertThat(account(world).getMetadata().getLabels()).doesNotContainKey("irsa.dev/stack").containsEntry("team", "platform");
        }
    }
}

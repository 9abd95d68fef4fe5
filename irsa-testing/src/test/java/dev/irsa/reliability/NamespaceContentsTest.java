package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.kubernetes.NamespaceKeptException;
import dev.irsa.plan.Action;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Change;
import dev.irsa.plan.ChangeOutcome;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ResourceId;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 1: destroy deleted namespace {@code dev} although it held objects irsa does not own, and on
 * a real cluster deleting a namespace deletes everything in it (the namespace controller lists every
 * namespaced type discovery serves and deletes its objects: kubernetes
 * {@code pkg/controller/namespace/deletion/namespaced_resources_deleter.go}, {@code deleteAllContent}). irsa
 * now looks at every namespaced type the API server serves, custom resources included, keeps the namespace
 * when anything in it is not irsa's or cannot be listed, and says why in the plan and the result.
 */
class NamespaceContentsTest {
    private static final ResourceId DEV = ResourceId.of("kubernetes.namespace", "dev");

    /** The exact attack: a Service, a 10Gi PVC, a CronJob and a Role nobody told irsa about. */
    @Test
    void destroyKeepsANamespaceHoldingOthersObjectsSaysWhyAndRemovesEverythingIrsaOwned() {
        try (Sandbox sb = new Sandbox(true)) {
            Map<String, String> before = sb.snapshot();
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            KubernetesClient k8s = sb.cluster.inspectionClient();
            k8s.services().inNamespace("dev").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                    .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
            k8s.persistentVolumeClaims().inNamespace("dev").resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("data")
                    .endMetadata().withNewSpec().addToAccessModes("ReadWriteOnce").withNewResources()
                    .addToRequests("storage", new Quantity("10Gi")).endResources().endSpec().build()).create();
            k8s.batch().v1().cronjobs().inNamespace("dev").resource(new CronJobBuilder().withNewMetadata().withName("nightly").endMetadata()
                    .withNewSpec().withSchedule("0 3 * * *").withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec()
                    .addNewContainer().withName("backup").withImage("busybox").endContainer().withRestartPolicy("OnFailure")
                    .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build()).create();
            k8s.rbac().roles().inNamespace("dev").resource(new RoleBuilder().withNewMetadata().withName("reader").endMetadata()
                    .addToRules(new PolicyRuleBuilder().addToApiGroups("").addToResources("pods").addToVerbs("get").build()).build()).create();

            Plan plan = sb.irsa.destroyPlan(stack);
            Change namespace = plan.change(DEV).orElseThrow();
            assertThat(namespace.action()).as(plan.render()).isEqualTo(Action.NO_OP);
            assertThat(namespace.reason()).as("the plan says why")
                    .contains("kept: holds ").contains("Service/web").contains("PersistentVolumeClaim/data")
                    .contains("CronJob/nightly").contains("Role/reader").contains("(not irsa's)");
            assertThat(plan.render()).contains("kubernetes.namespace/dev will be kept: holds");

            ApplyResult destroyed = sb.destroy(stack).orThrow();
            assertThat(destroyed.outcome(DEV).orElseThrow().detail()).as("the result says why").contains("Service/web");

            assertThat(k8s.namespaces().withName("dev").get()).as("namespace dev is kept").isNotNull();
            assertThat(k8s.services().inNamespace("dev").withName("web").get()).isNotNull();
            assertThat(k8s.persistentVolumeClaims().inNamespace("dev").withName("data").get()).isNotNull();
            assertThat(k8s.batch().v1().cronjobs().inNamespace("dev").withName("nightly").get()).isNotNull();
            assertThat(k8s.rbac().roles().inNamespace("dev").withName("reader").get()).isNotNull();
            Map<String, String> after = new TreeMap<>(sb.snapshot());
            assertThat(after.remove("k8s.namespace/dev")).as("the namespace irsa made, still labelled").contains("irsa.dev/stack=seed");
            assertThat(after).as("everything else irsa owned is gone").isEqualTo(before);
        }
    }

    /** A custom resource is as much someone's data as a ConfigMap: discovery finds the CRD's type. */
    @Test
    void aCustomResourceKeepsTheNamespace() {
        try (Sandbox sb = new Sandbox(true)) {
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            KubernetesClient k8s = sb.cluster.inspectionClient();
            k8s.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                    .withNewMetadata().withName("backups.example.com").endMetadata()
                    .withNewSpec().withGroup("example.com").withScope("Namespaced")
                    .withNewNames().withKind("Backup").withPlural("backups").withSingular("backup").endNames()
                    .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build()).create();
            ResourceDefinitionContext backups = new ResourceDefinitionContext.Builder().withGroup("example.com").withVersion("v1")
                    .withPlural("backups").withKind("Backup").withNamespaced(true).build();
            k8s.genericKubernetesResources(backups).inNamespace("dev").resource(new GenericKubernetesResourceBuilder()
                    .withApiVersion("example.com/v1").withKind("Backup").withNewMetadata().withName("nightly-db").endMetadata().build()).create();

            assertThat(sb.irsa.destroyPlan(stack).change(DEV).orElseThrow().reason()).contains("Backup/nightly-db");
            sb.destroy(stack).orThrow();

            assertThat(k8s.namespaces().withName("dev").get()).isNotNull();
            assertThat(k8s.genericKubernetesResources(backups).inNamespace("dev").withName("nightly-db").get()).isNotNull();
        }
    }

    /** Without discovery nobody can say what the namespace holds: kept, and the plan says so. */
    @Test
    void failingDiscoveryKeepsTheNamespace() {
        try (Sandbox sb = new Sandbox(true)) {
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            sb.cluster.server().expect().get().withPath("/apis").andReturn(503, new StatusBuilder().withCode(503)
                    .withReason("ServiceUnavailable").withMessage("the server is currently unable to handle the request").build()).always();

            assertThat(sb.irsa.destroyPlan(stack).change(DEV).orElseThrow().reason())
                    .contains("kept: could not discover the API server's resource types: HTTP 503");
            sb.destroy(stack).orThrow();

            assertThat(sb.cluster.inspectionClient().namespaces().withName("dev").get()).isNotNull();
            assertThat(sb.cluster.inspectionClient().serviceAccounts().inNamespace("dev").withName("app-deployer").get())
                    .as("irsa's own objects still go").isNull();
        }
    }

    /** A type irsa may not list could hold anything: kept. */
    @Test
    void aForbiddenListKeepsTheNamespace() {
        try (Sandbox sb = new Sandbox(true)) {
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            sb.cluster.server().expect().get().withPath("/apis/batch/v1/namespaces/dev/cronjobs").andReturn(403, new StatusBuilder()
                    .withCode(403).withReason("Forbidden").withMessage("cronjobs.batch is forbidden").build()).always();

            assertThat(sb.irsa.destroyPlan(stack).change(DEV).orElseThrow().reason())
                    .contains("kept: could not list cronjobs.batch: HTTP 403 Forbidden");
            sb.destroy(stack).orThrow();

            assertThat(sb.cluster.inspectionClient().namespaces().withName("dev").get()).isNotNull();
        }
    }

    /** What Kubernetes puts in every namespace, and events, do not make it "in use": the namespace still goes. */
    @Test
    void aNamespaceHoldingOnlyIrsasObjectsAndKubernetesDefaultsIsDeleted() {
        try (Sandbox sb = new Sandbox(true)) {
            Map<String, String> before = sb.snapshot();
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            KubernetesClient k8s = sb.cluster.inspectionClient();
            // The serviceaccount controller's "default", the root-ca-cert-publisher's ConfigMap, and an event.
            k8s.serviceAccounts().inNamespace("dev").resource(new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build()).create();
            k8s.configMaps().inNamespace("dev").resource(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt").endMetadata()
                    .addToData("ca.crt", "-----BEGIN CERTIFICATE-----").build()).create();
            k8s.v1().events().inNamespace("dev").resource(new EventBuilder().withNewMetadata().withName("app-deployer.1").endMetadata()
                    .withReason("Created").withMessage("created").build()).create();

            Plan plan = sb.irsa.destroyPlan(stack);
            assertThat(plan.change(DEV).orElseThrow().action()).as(plan.render()).isEqualTo(Action.DELETE);
            sb.destroy(stack).orThrow();

            assertThat(k8s.namespaces().withName("dev").get()).isNull();
            Map<String, String> after = new TreeMap<>(sb.snapshot());
            after.remove("k8s.serviceaccount/dev/default");   // the fabric8 mock does not cascade a namespace delete
            assertThat(after).isEqualTo(before);
        }
    }

    /** Planned as deletable, then someone adds a Service while destroy runs: the check right before the delete keeps it. */
    @Test
    void anObjectAddedAfterThePlanStillKeepsTheNamespace() {
        try (Sandbox sb = new Sandbox(true)) {
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            KubernetesClient k8s = sb.cluster.inspectionClient();
            ApplyListener addService = new ApplyListener() {
                @Override
                public void started(String name, Change change, Instant at) {
                    if (change.id().type().equals("helm.release")) {
                        k8s.services().inNamespace("dev").resource(new ServiceBuilder().withNewMetadata().withName("late").endMetadata()
                                .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
                    }
                }
            };

            ApplyResult destroyed = sb.irsa.destroy(stack, addService);

            ChangeOutcome namespace = destroyed.outcome(DEV).orElseThrow();
            assertThat(namespace.change().action()).as("planned as a delete").isEqualTo(Action.DELETE);
            assertThat(namespace.status()).isEqualTo(ChangeOutcome.Status.FAILED);
            assertThat(namespace.error()).get().isInstanceOfSatisfying(NamespaceKeptException.class,
                    e -> assertThat(e.getMessage()).isEqualTo("namespace dev kept: holds Service/late (not irsa's)"));
            assertThat(k8s.namespaces().withName("dev").get()).isNotNull();
            assertThat(k8s.services().inNamespace("dev").withName("late").get()).isNotNull();
            assertThat(destroyed.failures()).as("only the namespace").hasSize(1);
        }
    }
}

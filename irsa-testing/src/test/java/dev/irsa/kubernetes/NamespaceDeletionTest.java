package dev.irsa.kubernetes;

import dev.irsa.SecretString;
import dev.irsa.testing.kubernetes.SimulatedEksCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What keeps a namespace irsa created, on the simulated cluster (which serves API discovery): anything
 * that is not irsa's, in any namespaced type; not what Kubernetes puts in every namespace, not events, not
 * what is already on its way out.
 */
class NamespaceDeletionTest {
    private static final String NS = "gitlab-runner";
    private final SimulatedEksCluster cluster = SimulatedEksCluster.builder().start();
    private final KubernetesClient k8s = cluster.inspectionClient();
    private final KubernetesExecutor executor = KubernetesExecutor.of(cluster.client());

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void deletesIrsasObjectsThenTheNamespaceIgnoringWhatKubernetesPutsEverywhereListingEachTypeOnce() {
        executor.ensureNamespace(NS, "demo");
        executor.ensureServiceAccount(ServiceAccountBinding.of(b -> b.namespace(NS).name("ci-jobs").stack("demo")
                .roleArn("arn:aws:iam::123456789012:role/gitlab-jobs")));
        executor.ensureRunnerSecret(RunnerTokenSecret.of(b -> b.namespace(NS).name("runner-token").stack("demo")
                .token(SecretString.of("glrt-test-0123456789"))));
        // What kube-controller-manager creates in every namespace: the serviceaccount controller's "default",
        // the root-ca-cert-publisher's ConfigMap (1.20+), and before 1.24 the tokens controller's Secret for "default".
        k8s.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build()).create();
        k8s.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt").endMetadata().build()).create();
        k8s.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("default-token-x7k2p")
                .addToAnnotations("kubernetes.io/service-account.name", "default").endMetadata()
                .withType("kubernetes.io/service-account-token").build()).create();
        // Events expire by themselves (kube-apiserver --event-ttl, default 1h).
        k8s.v1().events().inNamespace(NS).resource(new EventBuilder().withNewMetadata().withName("ci-jobs.1").endMetadata()
                .withReason("Created").build()).create();
        int before = cluster.webhook().requests().size();

        Change c = executor.deleteNamespace(NS, "demo");

        assertThat(c.action()).as(c.toString()).isEqualTo(Change.Action.DELETED);
        assertThat(c.details()).containsExactlyInAnyOrder("deleted ServiceAccount/ci-jobs", "deleted Secret/runner-token");
        assertThat(k8s.namespaces().withName(NS).get()).isNull();
        assertThat(k8s.serviceAccounts().inNamespace(NS).withName("ci-jobs").get()).isNull();
        List<String> lists = cluster.webhook().requests().subList(before, cluster.webhook().requests().size()).stream()
                .filter(r -> r.startsWith("GET ") && r.contains("/namespaces/" + NS + "/")).map(r -> r.replaceAll("\\?.*", "")).toList();
        assertThat(lists).as("each deletable type listed once; no events, subresources or create-only types")
                .doesNotHaveDuplicates().hasSize(24)
                .contains("GET /api/v1/namespaces/" + NS + "/services", "GET /apis/batch/v1/namespaces/" + NS + "/cronjobs",
                        "GET /apis/rbac.authorization.k8s.io/v1/namespaces/" + NS + "/roles")
                .noneMatch(r -> r.endsWith("/events") || r.endsWith("/bindings") || r.contains("/log"));
    }

    @Test
    void aForeignObjectKeepsTheNamespaceAndIsNamed() {
        executor.ensureNamespace(NS, "demo");
        k8s.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("someone-elses").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build()).create();

        assertThat(executor.observeNamespace(NS, "demo").foreignObjects()).containsExactly("Pod/someone-elses");
        Change c = executor.deleteNamespace(NS, "demo");

        assertThat(c.action()).isEqualTo(Change.Action.KEPT);
        assertThat(c.details()).containsExactly("holds Pod/someone-elses (not irsa's)");
        assertThat(k8s.namespaces().withName(NS).get()).isNotNull();
    }

    /**
     * What is already going does not keep the namespace: an object someone asked to delete (it waits for a
     * finalizer), and dependents whose owners are gone, which the garbage collector removes (kubernetes
     * {@code pkg/controller/garbagecollector/garbagecollector.go}, {@code attemptToDeleteItem}) — e.g. the
     * ReplicaSet and Pod of a Deployment {@code helm uninstall} just deleted.
     */
    @Test
    void objectsOnTheirWayOutDoNotKeepIt() {
        executor.ensureNamespace(NS, "demo");
        k8s.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("finalizing")
                .addToFinalizers("example.com/cleanup").endMetadata().build()).create();
        k8s.configMaps().inNamespace(NS).withName("finalizing").delete();
        var replicaSet = k8s.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder().withNewMetadata().withName("runner-5d9f")
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment").withName("runner")
                        .withUid("4b1c0d2e-gone").build()).endMetadata().withNewSpec().endSpec().build()).create();
        k8s.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("runner-5d9f-abcde")
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("runner-5d9f")
                        .withUid(replicaSet.getMetadata().getUid()).build()).endMetadata()
                .withNewSpec().addNewContainer().withName("runner").withImage("gitlab-runner").endContainer().endSpec().build()).create();
        assertThat(k8s.configMaps().inNamespace(NS).withName("finalizing").get().getMetadata().getDeletionTimestamp()).isNotNull();

        assertThat(executor.deleteNamespace(NS, "demo").action()).isEqualTo(Change.Action.DELETED);
    }

    /** An owner irsa cannot look up by uid (a cluster-scoped Node) may well exist: its dependent keeps the namespace. */
    @Test
    void aDependentOfAnOwnerThatCannotBeCheckedKeepsIt() {
        executor.ensureNamespace(NS, "demo");
        k8s.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("node-cache")
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName("ip-10-0-1-1")
                        .withUid("9f0e-node").build()).endMetadata().build()).create();

        assertThat(executor.deleteNamespace(NS, "demo").details()).containsExactly("holds ConfigMap/node-cache (not irsa's)");
    }

    /**
     * Planning a destroy, the stack's Helm release is still installed; the destroy uninstalls it before the
     * namespace, so what Helm marked as that release's (helm {@code meta.helm.sh/release-name} and its
     * {@code sh.helm.release.v1} record) does not count. Another release's objects do.
     */
    @Test
    void destroyPlanningDiscountsTheStacksOwnHelmReleaseOnly() {
        executor.ensureNamespace(NS, "demo");
        k8s.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("runner-gitlab-runner")
                .addToAnnotations("meta.helm.sh/release-name", "runner").addToAnnotations("meta.helm.sh/release-namespace", NS)
                .addToLabels("app.kubernetes.io/managed-by", "Helm").endMetadata().build()).create();
        k8s.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("sh.helm.release.v1.runner.v1")
                .addToLabels("owner", "helm").addToLabels("name", "runner").endMetadata().withType("helm.sh/release.v1").build()).create();
        k8s.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("theirs")
                .addToAnnotations("meta.helm.sh/release-name", "theirs").addToAnnotations("meta.helm.sh/release-namespace", NS)
                .endMetadata().build()).create();

        assertThat(executor.namespaceKeepReason(NS, "demo", Set.of("runner"))).hasValue("holds ConfigMap/theirs (not irsa's)");
        assertThat(executor.namespaceKeepReason(NS, "demo", Set.of()).orElseThrow())
                .contains("ConfigMap/runner-gitlab-runner", "Secret/sh.helm.release.v1.runner.v1", "ConfigMap/theirs");
    }
}

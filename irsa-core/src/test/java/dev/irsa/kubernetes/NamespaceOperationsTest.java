package dev.irsa.kubernetes;

import dev.irsa.ValidationException;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class NamespaceOperationsTest {
    private final CrudServer k8s = new CrudServer();
    private final KubernetesExecutor executor = k8s.executor();

    @AfterEach
    void close() {
        k8s.close();
    }

    @Test
    void createsWithOwnershipLabelsAndReapplyChangesNothing() {
        assertThat(executor.ensureNamespace("gitlab-runner", "demo").action()).isEqualTo(Change.Action.CREATED);
        assertThat(k8s.client.namespaces().withName("gitlab-runner").get().getMetadata().getLabels())
                .containsOnly(entry("app.kubernetes.io/managed-by", "irsa"), entry("irsa.dev/stack", "demo"));
        k8s.takeRequests();

        assertThat(executor.ensureNamespace("gitlab-runner", "demo").action()).isEqualTo(Change.Action.UNCHANGED);
        assertThat(CrudServer.writes(k8s.takeRequests())).isEmpty();
        assertThat(executor.observeNamespace("gitlab-runner", "demo").ownership()).isEqualTo(Ownership.CREATED_BY_STACK);
    }

    @Test
    void usesAForeignNamespaceAsItIsAndNeverDeletesIt() {
        k8s.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shared").endMetadata().build()).create();

        Change ensured = executor.ensureNamespace("shared", "demo");
        assertThat(ensured.action()).isEqualTo(Change.Action.UNCHANGED);
        assertThat(ensured.details()).singleElement().asString().contains("not irsa's");
        assertThat(k8s.client.namespaces().withName("shared").get().getMetadata().getLabels()).isNullOrEmpty();

        Change deleted = executor.deleteNamespace("shared", "demo");
        assertThat(deleted.action()).isEqualTo(Change.Action.KEPT);
        assertThat(k8s.client.namespaces().withName("shared").get()).isNotNull();
    }

    /**
     * fabric8's CRUD mock serves no API discovery (it answers {@code /api/v1} with a list of the objects it
     * stores): irsa cannot tell what the namespace holds, so it keeps it and says why, and deletes nothing inside.
     * (Deletion with discovery: irsa-testing's NamespaceDeletionTest, on the simulated cluster.)
     */
    @Test
    void withoutDiscoveryTheNamespaceIsKeptAndNothingInsideIsDeleted() {
        executor.ensureNamespace("gitlab-runner", "demo");
        executor.ensureServiceAccount(ServiceAccountBinding.of(b -> b.namespace("gitlab-runner").name("ci-jobs").stack("demo")
                .roleArn("arn:aws:iam::123456789012:role/gitlab-jobs")));

        assertThat(executor.observeNamespace("gitlab-runner", "demo").keepReason())
                .hasValue("could not discover the API server's resource types: no APIResourceList for v1");
        Change c = executor.deleteNamespace("gitlab-runner", "demo");

        assertThat(c.action()).isEqualTo(Change.Action.KEPT);
        assertThat(c.details()).singleElement().asString().contains("could not discover");
        assertThat(k8s.client.namespaces().withName("gitlab-runner").get()).isNotNull();
        assertThat(k8s.client.serviceAccounts().inNamespace("gitlab-runner").withName("ci-jobs").get()).isNotNull();
    }

    @Test
    void deleteOfAnAbsentNamespaceIsSuccess() {
        assertThat(executor.deleteNamespace("never-there", "demo").action()).isEqualTo(Change.Action.ALREADY_ABSENT);
        assertThat(executor.observeNamespace("never-there", "demo").exists()).isFalse();
    }

    @Test
    void anotherStacksNamespaceIsKept() {
        executor.ensureNamespace("gitlab-runner", "other");
        assertThat(executor.observeNamespace("gitlab-runner", "demo").ownership()).isEqualTo(Ownership.OTHER_STACK);
        assertThat(executor.deleteNamespace("gitlab-runner", "demo").action()).isEqualTo(Change.Action.KEPT);
    }

    @Test
    void badNamesFailBeforeAnyRequest() {
        int before = k8s.server.getRequestCount();
        assertThatThrownBy(() -> executor.ensureNamespace("Gitlab_Runner", "demo"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("namespace"));
        assertThatThrownBy(() -> executor.ensureNamespace("a".repeat(64), "demo")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> executor.deleteNamespace("gitlab-runner", "bad stack"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("stack"));
        assertThat(k8s.server.getRequestCount()).isEqualTo(before);
    }
}

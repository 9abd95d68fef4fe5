package dev.irsa.kubernetes;

import dev.irsa.binding.internal.BindingResources;
import dev.irsa.plan.Action;
import dev.irsa.plan.Applier;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;
import dev.irsa.plan.Presence;
import dev.irsa.plan.Resource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The namespace as a plan resource: planning an apply reads only the namespace object (one GET), while
 * planning a destroy (and the delete itself) looks inside and keeps a namespace holding anything that is not
 * irsa's or whose contents cannot be listed. Deletion with discovery: irsa-testing's NamespaceDeletionTest.
 */
class NamespaceResourceTest {
    private static final String NS = "gitlab-runner";
    private final CrudServer k8s = new CrudServer();
    private final KubernetesExecutor executor = k8s.executor();
    private final Resource namespace = BindingResources.namespace("demo", NS, executor, java.util.Set.of());

    @AfterEach
    void close() {
        k8s.close();
    }

    private void foreignPod(String name) {
        k8s.client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build()).create();
    }

    @Test
    void planningAnApplyReadsTheNamespaceObjectOnly() {
        executor.ensureNamespace(NS, "demo");
        foreignPod("build-1");
        k8s.takeRequests();

        Plan plan = Planner.create().plan("demo", List.of(namespace));

        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(Action.NO_OP);
            assertThat(c.observed()).isEqualTo(Presence.OWNED);
        });
        assertThat(k8s.takeRequests()).containsExactly("GET /api/v1/namespaces/" + NS);
    }

    @Test
    void ownershipAloneIsOneGetForEveryCase() {
        executor.ensureNamespace("other-stack", "other");
        k8s.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shared").endMetadata().build()).create();
        executor.ensureNamespace(NS, "demo");
        k8s.takeRequests();

        assertThat(executor.namespaceOwnership(NS, "demo")).isEqualTo(Ownership.CREATED_BY_STACK);
        assertThat(executor.namespaceOwnership("other-stack", "demo")).isEqualTo(Ownership.OTHER_STACK);
        assertThat(executor.namespaceOwnership("shared", "demo")).isEqualTo(Ownership.FOREIGN);
        assertThat(executor.namespaceOwnership("never-there", "demo")).isEqualTo(Ownership.ABSENT);
        assertThat(k8s.takeRequests()).hasSize(4).allMatch(r -> r.startsWith("GET /api/v1/namespaces/"));
    }

    /** Destroy planning looks inside; without discovery (fabric8's CRUD mock serves none) the namespace is kept, and the plan says why. */
    @Test
    void destroyPlanKeepsANamespaceWhoseContentsCannotBeListed() {
        executor.ensureNamespace(NS, "demo");

        Plan destroy = Planner.create().destroyPlan("demo", List.of(namespace));

        assertThat(destroy.changes()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(Action.NO_OP);
            assertThat(c.observed()).isEqualTo(Presence.OWNED);
            assertThat(c.reason()).isEqualTo("kept: could not discover the API server's resource types: no APIResourceList for v1");
        });
        assertThat(destroy.render()).contains("kubernetes.namespace/" + NS + " will be kept: could not discover");
        assertThat(Applier.create().apply(destroy).succeeded()).isTrue();
        assertThat(k8s.client.namespaces().withName(NS).get()).isNotNull();
    }
}

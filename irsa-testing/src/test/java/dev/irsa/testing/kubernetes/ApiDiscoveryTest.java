package dev.irsa.testing.kubernetes;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated cluster answers API discovery like a real API server (fabric8's CRUD mock answers
 * {@code /api/v1} with a list of stored objects): APIResourceLists with namespaced flags and verbs, an
 * APIGroupList with preferred versions, and the types of the custom resource definitions created in it.
 */
class ApiDiscoveryTest {
    private final SimulatedEksCluster cluster = SimulatedEksCluster.builder().start();
    private final KubernetesClient client = cluster.client();

    @AfterEach
    void close() {
        cluster.close();
    }

    @Test
    void servesTheCoreGroupAndTheNamedGroupsWithVerbs() {
        APIResourceList core = client.getApiResources("v1");
        assertThat(core.getGroupVersion()).isEqualTo("v1");
        APIResource services = core.getResources().stream().filter(r -> r.getName().equals("services")).findFirst().orElseThrow();
        assertThat(services.getKind()).isEqualTo("Service");
        assertThat(services.getNamespaced()).isTrue();
        assertThat(services.getVerbs()).contains("list", "delete");
        assertThat(core.getResources()).anySatisfy(r -> {
            assertThat(r.getName()).isEqualTo("namespaces");
            assertThat(r.getNamespaced()).isFalse();
        });

        assertThat(client.getApiGroups().getGroups()).extracting(APIGroup::getName)
                .contains("apps", "batch", "rbac.authorization.k8s.io", "coordination.k8s.io", "networking.k8s.io", "policy");
        assertThat(client.getApiGroup("batch").getPreferredVersion().getGroupVersion()).isEqualTo("batch/v1");
        assertThat(client.getApiResources("batch/v1").getResources()).extracting(APIResource::getName).contains("cronjobs", "jobs");
        assertThat(client.getAPIVersions().getVersions()).containsExactly("v1");
        assertThat(client.getApiResources("nothing.example.com/v1")).as("404, as on a real server").isNull();
    }

    @Test
    void servesTheTypesOfCustomResourceDefinitionsOnceCreated() {
        assertThat(client.getApiGroups().getGroups()).extracting(APIGroup::getName).doesNotContain("example.com");

        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("backups.example.com").endMetadata()
                .withNewSpec().withGroup("example.com").withScope("Namespaced")
                .withNewNames().withKind("Backup").withPlural("backups").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build()).create();

        assertThat(client.getApiGroup("example.com").getPreferredVersion().getGroupVersion()).isEqualTo("example.com/v1");
        assertThat(client.getApiResources("example.com/v1").getResources()).singleElement().satisfies(r -> {
            assertThat(r.getName()).isEqualTo("backups");
            assertThat(r.getKind()).isEqualTo("Backup");
            assertThat(r.getNamespaced()).isTrue();
            assertThat(r.getVerbs()).contains("list", "delete");
        });
    }

    /**
     * Every GET of the simulated cluster passes through discovery first; it listed the stored custom resource
     * definitions (a scan of the whole store) before looking at the path, so each GET cost O(objects stored)
     * and the many-stacks benchmark's planning of 200 stacks was bound by the mock server (issue 14).
     */
    @Test
    void aGetThatIsNotADiscoveryPathReadsNoStoredDefinitions() {
        java.util.concurrent.atomic.AtomicInteger definitionReads = new java.util.concurrent.atomic.AtomicInteger();
        io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher crud = new io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher() {
            @Override
            public io.fabric8.mockwebserver.http.MockResponse handleGet(String path) {
                if (path.contains("customresourcedefinitions")) {
                    definitionReads.incrementAndGet();
                }
                return super.handleGet(path);
            }
        };
        ApiDiscovery discovery = new ApiDiscovery(crud);

        assertThat(discovery.answer("/api/v1/namespaces/dev")).isEmpty();
        assertThat(discovery.answer("/api/v1/namespaces/dev/serviceaccounts/app-deployer")).isEmpty();
        assertThat(discovery.answer("/apis/coordination.k8s.io/v1/namespaces/dev/leases/irsa-lock-seed")).isEmpty();
        assertThat(discovery.answer("/api")).isPresent();
        assertThat(definitionReads).as("no discovery document needs the stored definitions").hasValue(0);

        assertThat(discovery.answer("/apis/apps/v1")).isPresent();
        assertThat(definitionReads).hasValue(1);
    }
}

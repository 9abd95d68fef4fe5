package dev.irsa.testing.kubernetes;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API server's legacy discovery documents, which fabric8's CRUD mock does not serve (it answers
 * {@code /api/v1} with a list of every stored object): {@code /api} (APIVersions), {@code /api/v1} and
 * {@code /apis/<group>/<version>} (APIResourceList: name, kind, namespaced, verbs), {@code /apis}
 * (APIGroupList with each group's preferred version) and {@code /apis/<group>} (APIGroup). Shapes as in
 * Kubernetes' {@code staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go}; verbs as a 1.30 API server
 * lists them ({@code kubectl api-resources -o wide}).
 *
 * <p>Served: the core group and apps, batch, rbac, coordination, networking, policy and apiextensions
 * (the kinds irsa, the chart and the tests use, see {@link #BUILT_IN}), plus every CustomResourceDefinition
 * stored in the cluster, at its first served version, read at each request (as a real API server
 * serves an established CRD).
 */
final class ApiDiscovery {
    private static final List<String> ALL = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final List<String> NO_COLLECTION_DELETE = List.of("create", "delete", "get", "list", "patch", "update", "watch");
    private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    /** groupVersion → resources; the core group's is {@code v1}. */
    private static final Map<String, List<APIResource>> BUILT_IN = new LinkedHashMap<>();

    static {
        BUILT_IN.put("v1", List.of(
                resource("bindings", "Binding", true, List.of("create")),
                resource("configmaps", "ConfigMap", true, ALL),
                resource("endpoints", "Endpoints", true, ALL),
                resource("events", "Event", true, ALL),
                resource("limitranges", "LimitRange", true, ALL),
                resource("namespaces", "Namespace", false, NO_COLLECTION_DELETE),
                resource("nodes", "Node", false, ALL),
                resource("persistentvolumeclaims", "PersistentVolumeClaim", true, ALL),
                resource("persistentvolumes", "PersistentVolume", false, ALL),
                resource("pods", "Pod", true, ALL),
                resource("pods/log", "Pod", true, List.of("get")),
                resource("podtemplates", "PodTemplate", true, ALL),
                resource("replicationcontrollers", "ReplicationController", true, ALL),
                resource("resourcequotas", "ResourceQuota", true, ALL),
                resource("secrets", "Secret", true, ALL),
                resource("serviceaccounts", "ServiceAccount", true, ALL),
                resource("serviceaccounts/token", "TokenRequest", true, List.of("create")),
                resource("services", "Service", true, ALL)));
        BUILT_IN.put("apps/v1", List.of(
                resource("controllerrevisions", "ControllerRevision", true, ALL),
                resource("daemonsets", "DaemonSet", true, ALL),
                resource("deployments", "Deployment", true, ALL),
                resource("replicasets", "ReplicaSet", true, ALL),
                resource("statefulsets", "StatefulSet", true, ALL)));
        BUILT_IN.put("batch/v1", List.of(
                resource("cronjobs", "CronJob", true, ALL),
                resource("jobs", "Job", true, ALL)));
        BUILT_IN.put("rbac.authorization.k8s.io/v1", List.of(
                resource("clusterrolebindings", "ClusterRoleBinding", false, ALL),
                resource("clusterroles", "ClusterRole", false, ALL),
                resource("rolebindings", "RoleBinding", true, ALL),
                resource("roles", "Role", true, ALL)));
        BUILT_IN.put("coordination.k8s.io/v1", List.of(resource("leases", "Lease", true, ALL)));
        BUILT_IN.put("networking.k8s.io/v1", List.of(
                resource("ingressclasses", "IngressClass", false, ALL),
                resource("ingresses", "Ingress", true, ALL),
                resource("networkpolicies", "NetworkPolicy", true, ALL)));
        BUILT_IN.put("policy/v1", List.of(resource("poddisruptionbudgets", "PodDisruptionBudget", true, ALL)));
        BUILT_IN.put("apiextensions.k8s.io/v1", List.of(
                resource("customresourcedefinitions", "CustomResourceDefinition", false, ALL)));
    }

    private final KubernetesCrudDispatcher crud;

    ApiDiscovery(KubernetesCrudDispatcher crud) {
        this.crud = crud;
    }

    /** The discovery document at {@code path} (no query), or empty when {@code path} is not a discovery path. */
    Optional<MockResponse> answer(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (trimmed.equals("/api")) {
            return ok(new APIVersionsBuilder().withVersions("v1").build());
        }
        // Only a discovery path reads the stored CRDs (a list over the whole store): every other GET of the
        // cluster passes through here, and listing for each of them made a GET cost O(objects stored).
        if (trimmed.equals("/api/v1")) {
            return ok(list("v1", served().get("v1")));
        }
        if (trimmed.equals("/apis")) {
            APIGroupListBuilder groups = new APIGroupListBuilder();
            groups(served()).values().forEach(groups::addToGroups);
            return ok(groups.build());
        }
        String[] parts = trimmed.split("/");   // "", "apis", group[, version]
        if (parts.length == 3 && parts[1].equals("apis")) {
            APIGroup group = groups(served()).get(parts[2]);
            return group == null ? Optional.empty() : ok(group);
        }
        if (parts.length == 4 && parts[1].equals("apis")) {
            String groupVersion = parts[2] + "/" + parts[3];
            List<APIResource> resources = served().get(groupVersion);
            // An unserved group version is a 404 on a real API server, not an empty list.
            return resources == null ? Optional.of(new MockResponse().setResponseCode(404)) : ok(list(groupVersion, resources));
        }
        return Optional.empty();
    }

    private Map<String, List<APIResource>> served() {
        Map<String, List<APIResource>> served = new LinkedHashMap<>(BUILT_IN);
        for (CustomResourceDefinition crd : customResourceDefinitions()) {
            var names = crd.getSpec().getNames();
            crd.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getServed).findFirst().ifPresent(v -> {
                String groupVersion = crd.getSpec().getGroup() + "/" + v.getName();
                List<APIResource> resources = new ArrayList<>(served.getOrDefault(groupVersion, List.of()));
                resources.add(resource(names.getPlural(), names.getKind(), "Namespaced".equals(crd.getSpec().getScope()), ALL));
                served.put(groupVersion, List.copyOf(resources));
            });
        }
        return served;
    }

    private List<CustomResourceDefinition> customResourceDefinitions() {
        MockResponse stored = crud.handleGet(CRDS);
        if (stored.code() != 200 || stored.getBody() == null) {
            return List.of();
        }
        CustomResourceDefinitionList list = Serialization.unmarshal(
                new String(stored.getBody().getBytes(), StandardCharsets.UTF_8), CustomResourceDefinitionList.class);
        return list.getItems() == null ? List.of() : list.getItems();
    }

    /** group → APIGroup, its versions in the order served, the first preferred. */
    private static Map<String, APIGroup> groups(Map<String, List<APIResource>> served) {
        Map<String, List<GroupVersionForDiscovery>> versions = new LinkedHashMap<>();
        served.keySet().stream().filter(gv -> gv.contains("/")).forEach(gv -> versions
                .computeIfAbsent(gv.substring(0, gv.indexOf('/')), g -> new ArrayList<>())
                .add(new GroupVersionForDiscovery(gv, gv.substring(gv.indexOf('/') + 1))));
        Map<String, APIGroup> groups = new LinkedHashMap<>();
        versions.forEach((name, vs) -> groups.put(name, new APIGroupBuilder().withName(name).withVersions(vs)
                .withPreferredVersion(vs.get(0)).build()));
        return groups;
    }

    private static Object list(String groupVersion, List<APIResource> resources) {
        return new APIResourceListBuilder().withGroupVersion(groupVersion).withResources(resources).build();
    }

    private static APIResource resource(String name, String kind, boolean namespaced, List<String> verbs) {
        return new APIResourceBuilder().withName(name).withKind(kind).withNamespaced(namespaced)
                .withSingularName("").withVerbs(verbs).build();
    }

    private static Optional<MockResponse> ok(Object body) {
        return Optional.of(new MockResponse().setResponseCode(200).setBody(Serialization.asJson(body)));
    }
}

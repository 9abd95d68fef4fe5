package dev.irsa.kubernetes.internal;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a namespace holds, found the way Kubernetes' namespace controller finds what deleting a
 * namespace removes (kubernetes {@code pkg/controller/namespace/deletion/namespaced_resources_deleter.go},
 * {@code deleteAllContent}): API discovery of every group's preferred version, the namespaced resources
 * whose verbs include {@code delete} (custom resources included), one list per resource. There is no
 * "everything in a namespace" call, and a label selector cannot stand in: unlabelled objects must count.
 *
 * <p>What could not be seen (discovery unanswered, a list forbidden, a deletable type without the
 * {@code list} verb) is reported in {@link Listing#unseen()}: then nobody can say the namespace is empty.
 */
final class NamespaceContents {
    /** Core and {@code events.k8s.io} events: records that expire on their own (kube-apiserver {@code --event-ttl}, default 1h), not objects anyone keeps. */
    private static final Set<String> TRANSIENT = Set.of("/events", "events.k8s.io/events");

    private NamespaceContents() {
    }

    /** An object and the type it was listed as (to delete it without another discovery read). */
    record Found(GenericKubernetesResource object, ResourceDefinitionContext type) {
        String id() {
            return object.getKind() + "/" + object.getMetadata().getName();
        }
    }

    /**
     * @param objects the objects found, in discovery order
     * @param unseen  why some part could not be listed, e.g. {@code could not list services: HTTP 403 Forbidden}
     * @param namespacedKinds {@code group/Kind} of every namespaced type discovery served (for owner references)
     */
    record Listing(List<Found> objects, List<String> unseen, Set<String> namespacedKinds) {
        Listing {
            objects = List.copyOf(objects);
            unseen = List.copyOf(unseen);
            namespacedKinds = Set.copyOf(namespacedKinds);
        }
    }

    /** One discovery read for the core group, one for the group list, one per group, then one list per type. */
    static Listing list(KubernetesClient client, String namespace) {
        List<String> unseen = new ArrayList<>();
        List<APIResourceList> discovered = discover(client, unseen);
        List<Found> objects = new ArrayList<>();
        Set<String> namespacedKinds = new LinkedHashSet<>();
        for (APIResourceList list : discovered) {
            String[] gv = splitGroupVersion(list.getGroupVersion());
            for (APIResource r : list.getResources()) {
                if (!Boolean.TRUE.equals(r.getNamespaced()) || r.getName().contains("/")) {
                    continue;   // cluster-scoped, or a subresource (pods/log)
                }
                namespacedKinds.add(gv[0] + "/" + r.getKind());
                List<String> verbs = r.getVerbs() == null ? List.of() : r.getVerbs();
                if (!verbs.contains("delete") || TRANSIENT.contains(gv[0] + "/" + r.getName())) {
                    continue;   // a namespace delete leaves it alone, or it expires by itself
                }
                String type = r.getName() + (gv[0].isEmpty() ? "" : "." + gv[0]);
                if (!verbs.contains("list")) {
                    unseen.add("cannot list " + type + " (the API server does not serve list for it)");
                    continue;
                }
                ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(gv[0])
                        .withVersion(gv[1]).withPlural(r.getName()).withKind(r.getKind()).withNamespaced(true).build();
                try {
                    client.genericKubernetesResources(context).inNamespace(namespace).list().getItems().forEach(o -> {
                        // A list item carries no apiVersion/kind of its own on the wire.
                        o.setApiVersion(list.getGroupVersion());
                        o.setKind(r.getKind());
                        objects.add(new Found(o, context));
                    });
                } catch (KubernetesClientException e) {
                    unseen.add("could not list " + type + ": " + ConflictRetry.describe(client, e));
                }
            }
        }
        return new Listing(objects, unseen, namespacedKinds);
    }

    /** The core group's resources and each other group's preferred version, like client-go's ServerPreferredResources. */
    private static List<APIResourceList> discover(KubernetesClient client, List<String> unseen) {
        List<APIResourceList> lists = new ArrayList<>();
        try {
            lists.add(checked("v1", client.getApiResources("v1")));
            APIGroupList groups = client.getApiGroups();
            if (groups == null || groups.getGroups() == null || !"APIGroupList".equals(groups.getKind())) {
                throw new IllegalStateException("/apis did not answer an APIGroupList");
            }
            for (APIGroup group : groups.getGroups()) {
                String groupVersion = group.getPreferredVersion() != null ? group.getPreferredVersion().getGroupVersion()
                        : group.getVersions().isEmpty() ? null : group.getVersions().get(0).getGroupVersion();
                if (groupVersion == null) {
                    continue;
                }
                try {
                    lists.add(checked(groupVersion, client.getApiResources(groupVersion)));
                } catch (KubernetesClientException | IllegalStateException e) {
                    unseen.add("could not discover the resources of " + groupVersion + ": " + describe(client, e));
                }
            }
        } catch (KubernetesClientException | IllegalStateException e) {
            unseen.add("could not discover the API server's resource types: " + describe(client, e));
        }
        return lists;
    }

    /** An answer that is not this group version's APIResourceList (404, a proxy's page, a list of objects) is no answer. */
    private static APIResourceList checked(String groupVersion, APIResourceList list) {
        if (list == null || !groupVersion.equals(list.getGroupVersion()) || list.getResources() == null) {
            throw new IllegalStateException("no APIResourceList for " + groupVersion);
        }
        return list;
    }

    private static String describe(KubernetesClient client, RuntimeException e) {
        return e instanceof KubernetesClientException k ? ConflictRetry.describe(client, k) : Objects.toString(e.getMessage());
    }

    /** {@code apps/v1} → {@code [apps, v1]}; {@code v1} → {@code ["", v1]}. */
    static String[] splitGroupVersion(String groupVersion) {
        int slash = groupVersion.indexOf('/');
        return slash < 0 ? new String[] {"", groupVersion} : new String[] {groupVersion.substring(0, slash), groupVersion.substring(slash + 1)};
    }
}

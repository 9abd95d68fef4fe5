package dev.irsa.kubernetes.internal;

import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.NamespaceObservation;
import dev.irsa.kubernetes.Ownership;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a namespace may be deleted, from what {@link NamespaceContents} found in it: only when everything
 * it holds is this stack's (deleted first), put there by Kubernetes, or already on its way out.
 *
 * @param stackObjects objects irsa made for this stack (deleted before the namespace)
 * @param foreign      {@code Kind/name} of objects that are nobody irsa knows; any one keeps the namespace
 * @param unseen       what could not be listed; any one keeps the namespace
 */
record NamespaceVerdict(List<NamespaceContents.Found> stackObjects, List<String> foreign, List<String> unseen) {
    /** Helm 3 marks what a release creates with these (helm {@code pkg/action/validate.go}, {@code setMetadataVisitor}; since 3.2). */
    static final String HELM_RELEASE_NAME = "meta.helm.sh/release-name";
    static final String HELM_RELEASE_NAMESPACE = "meta.helm.sh/release-namespace";

    NamespaceVerdict {
        stackObjects = List.copyOf(stackObjects);
        foreign = List.copyOf(foreign);
        unseen = List.copyOf(unseen);
    }

    /** What this verdict says about the namespace, as the public observation. */
    NamespaceObservation observation(String namespace, Ownership ownership, Map<String, String> labels) {
        return new NamespaceObservation(namespace, ownership, labels, foreign,
                stackObjects.stream().map(NamespaceContents.Found::id).toList(), unseen);
    }

    /**
     * @param releasesRemovedFirst Helm releases of this stack that the same destroy uninstalls before the
     *                             namespace (at plan time their objects are still there; at delete time pass none)
     */
    static NamespaceVerdict judge(NamespaceContents.Listing listing, String namespace, String stack, Set<String> releasesRemovedFirst) {
        return judge(listing, namespace, stack, releasesRemovedFirst, Set.of());
    }

    /**
     * @param stacksRemovedFirst other stacks whose objects the same destroy deletes before the namespace (many
     *                           bindings in one plan sharing it; at delete time pass none)
     */
    static NamespaceVerdict judge(NamespaceContents.Listing listing, String namespace, String stack, Set<String> releasesRemovedFirst,
                                  Set<String> stacksRemovedFirst) {
        List<NamespaceContents.Found> own = new ArrayList<>();
        Set<String> goingUids = new HashSet<>();
        Set<String> presentUids = new HashSet<>();
        List<GenericKubernetesResource> rest = new ArrayList<>();
        for (NamespaceContents.Found found : listing.objects()) {
            GenericKubernetesResource o = found.object();
            presentUids.add(o.getMetadata().getUid());
            if (o.getMetadata().getDeletionTimestamp() != null) {
                goingUids.add(o.getMetadata().getUid());     // someone already asked for its deletion
            } else if (IrsaMetadata.isOwnedBy(o.getMetadata().getLabels(), stack)) {
                own.add(found);
                goingUids.add(o.getMetadata().getUid());
            } else if (isPutThereByKubernetes(o)) {
                continue;
            } else if (stacksRemovedFirst.stream().anyMatch(other -> IrsaMetadata.isOwnedBy(o.getMetadata().getLabels(), other))) {
                goingUids.add(o.getMetadata().getUid());
            } else if (ofRelease(o, namespace, releasesRemovedFirst)) {
                goingUids.add(o.getMetadata().getUid());
            } else {
                rest.add(o);
            }
        }
        // The garbage collector deletes an object once none of its owners remain (kubernetes
        // pkg/controller/garbagecollector/garbagecollector.go, attemptToDeleteItem: no "solid" owner left),
        // e.g. the ReplicaSet and Pods of a Deployment `helm uninstall` just removed. Owners in the namespace
        // are known by uid; an owner of a cluster-scoped or unknown kind cannot be checked and keeps the object.
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            for (var it = rest.iterator(); it.hasNext(); ) {
                GenericKubernetesResource o = it.next();
                if (collected(o, listing.namespacedKinds(), presentUids, goingUids)) {
                    goingUids.add(o.getMetadata().getUid());
                    it.remove();
                    progressed = true;
                }
            }
        }
        Set<String> foreign = new LinkedHashSet<>();
        rest.forEach(o -> foreign.add(o.getKind() + "/" + o.getMetadata().getName()));
        return new NamespaceVerdict(own, List.copyOf(foreign), listing.unseen());
    }

    private static boolean collected(GenericKubernetesResource o, Set<String> namespacedKinds, Set<String> presentUids, Set<String> goingUids) {
        List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
        if (owners == null || owners.isEmpty()) {
            return false;
        }
        for (OwnerReference owner : owners) {
            String group = NamespaceContents.splitGroupVersion(owner.getApiVersion() == null ? "" : owner.getApiVersion())[0];
            boolean checkable = namespacedKinds.contains(group + "/" + owner.getKind());
            boolean gone = checkable && (!presentUids.contains(owner.getUid()) || goingUids.contains(owner.getUid()));
            if (!gone) {
                return false;
            }
        }
        return true;
    }

    private static boolean ofRelease(GenericKubernetesResource o, String namespace, Set<String> releases) {
        if (releases.isEmpty()) {
            return false;
        }
        Map<String, String> annotations = ServiceAccountOperations.orEmpty(o.getMetadata().getAnnotations());
        String release = annotations.get(HELM_RELEASE_NAME);
        if (release != null && releases.contains(release) && namespace.equals(annotations.get(HELM_RELEASE_NAMESPACE))) {
            return true;
        }
        // Helm's own record of the release: Secret sh.helm.release.v1.<name>.v<revision>, labels owner=helm, name=<name>.
        Map<String, String> labels = ServiceAccountOperations.orEmpty(o.getMetadata().getLabels());
        String recorded = labels.get("name");
        return "Secret".equals(o.getKind()) && "helm".equals(labels.get("owner")) && recorded != null && releases.contains(recorded);
    }

    /**
     * Every namespace gets these from kube-controller-manager; they do not make it "in use": the
     * {@code default} ServiceAccount (serviceaccount controller), the {@code kube-root-ca.crt} ConfigMap
     * (root-ca-cert-publisher, Kubernetes 1.20+) and, before 1.24, the {@code default} account's token Secret
     * (tokens controller, type {@code kubernetes.io/service-account-token}).
     */
    private static boolean isPutThereByKubernetes(GenericKubernetesResource o) {
        String name = o.getMetadata().getName();
        return switch (o.getKind()) {
            case "ServiceAccount" -> "default".equals(name);
            case "ConfigMap" -> "kube-root-ca.crt".equals(name);
            case "Secret" -> "kubernetes.io/service-account-token".equals(o.getAdditionalProperties().get("type"))
                    && "default".equals(ServiceAccountOperations.orEmpty(o.getMetadata().getAnnotations()).get("kubernetes.io/service-account.name"));
            default -> false;
        };
    }
}

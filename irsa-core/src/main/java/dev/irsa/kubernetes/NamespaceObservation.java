package dev.irsa.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A namespace as found, with what it holds across every namespaced type the API server serves.
 *
 * @param foreignObjects objects that are not irsa's (besides what Kubernetes puts in every namespace and
 *                       what is already being deleted), e.g. {@code Service/web}; they keep irsa from deleting
 *                       the namespace
 * @param stackObjects   objects irsa made for this stack inside it, e.g. {@code ServiceAccount/ci-jobs}
 * @param unseen         what could not be listed and why, e.g. {@code could not list services: HTTP 403 Forbidden};
 *                       nobody can then say the namespace is empty, so it is kept too
 */
public record NamespaceObservation(String namespace, Ownership ownership, Map<String, String> labels,
                                   List<String> foreignObjects, List<String> stackObjects, List<String> unseen) {
    public NamespaceObservation {
        labels = Map.copyOf(labels);
        foreignObjects = List.copyOf(foreignObjects);
        stackObjects = List.copyOf(stackObjects);
        unseen = List.copyOf(unseen);
    }

    public boolean exists() {
        return ownership != Ownership.ABSENT;
    }

    /**
     * Why irsa must keep this namespace although it created it, e.g. {@code holds Service/web,
     * PersistentVolumeClaim/data (not irsa's)}; empty when it may be deleted (or is not irsa's at all).
     */
    public Optional<String> keepReason() {
        List<String> parts = new ArrayList<>();
        if (!foreignObjects.isEmpty()) {
            parts.add("holds " + String.join(", ", foreignObjects) + " (not irsa's)");
        }
        parts.addAll(unseen);
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
    }
}

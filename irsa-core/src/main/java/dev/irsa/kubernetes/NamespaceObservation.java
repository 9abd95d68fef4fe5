package dev.irsa.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * A namespace as found.
 *
 * @param foreignObjects objects that are not irsa's (besides what Kubernetes puts in every namespace), e.g.
 *                       {@code Pod build-1}; they keep irsa from deleting the namespace
 * @param stackObjects   objects irsa made for this stack inside it
 */
public record NamespaceObservation(String namespace, Ownership ownership, Map<String, String> labels,
                                   List<String> foreignObjects, List<String> stackObjects) {
    public NamespaceObservation {
        labels = Map.copyOf(labels);
        foreignObjects = List.copyOf(foreignObjects);
        stackObjects = List.copyOf(stackObjects);
    }

    public boolean exists() {
        return ownership != Ownership.ABSENT;
    }
}

package dev.irsa.kubernetes;

import java.util.List;
import java.util.Map;

/**
 * A service account as found, compared with a {@link ServiceAccountBinding}.
 *
 * @param drift every annotation/label that differs from the binding (empty when in sync or absent)
 */
public record ServiceAccountObservation(String namespace, String name, Ownership ownership,
                                        Map<String, String> annotations, Map<String, String> labels,
                                        List<Drift> drift) {
    public ServiceAccountObservation {
        annotations = Map.copyOf(annotations);
        labels = Map.copyOf(labels);
        drift = List.copyOf(drift);
    }

    public boolean exists() {
        return ownership != Ownership.ABSENT;
    }

    /** Exists, is this stack's, and matches the binding. */
    public boolean inSync() {
        return ownership.ownedByStack() && drift.isEmpty();
    }
}

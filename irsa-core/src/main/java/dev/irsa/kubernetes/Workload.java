package dev.irsa.kubernetes;

import java.util.Set;

/**
 * The controller that owns a pod, followed up the owner chain (Pod → ReplicaSet → Deployment).
 *
 * @param kind {@code Deployment}, {@code StatefulSet}, {@code DaemonSet}, {@code Job}, {@code CronJob},
 *             {@code ReplicaSet} (bare), or {@code Pod} (no controller)
 */
public record Workload(String kind, String namespace, String name) {
    private static final Set<String> RESTARTABLE = Set.of("Deployment", "StatefulSet", "DaemonSet");

    /** Whether {@code kubectl rollout restart} works on it. */
    public boolean restartable() {
        return RESTARTABLE.contains(kind);
    }

    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}

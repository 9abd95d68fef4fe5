package dev.irsa.kubernetes;

import java.util.List;
import java.util.Objects;

/**
 * What one ensure/delete call did to one Kubernetes object. A re-apply of an unchanged spec yields only
 * {@link Action#UNCHANGED} (and {@link Action#ALREADY_ABSENT} for deletes), so a plan engine can count
 * mutating calls with {@link #isMutation()}.
 *
 * @param action  what happened
 * @param kind    Kubernetes kind, e.g. {@code ServiceAccount}
 * @param namespace namespace of the object ({@code null} for a Namespace itself)
 * @param name    object name
 * @param details what differed or why nothing was done, in words (never secret values)
 */
public record Change(Action action, String kind, String namespace, String name, List<String> details) {

    public enum Action {
        CREATED, UPDATED, UNCHANGED, DELETED,
        /** A delete found nothing: success. */
        ALREADY_ABSENT,
        /** Deliberately left in place (not irsa's, or still holding foreign objects); see details. */
        KEPT
    }

    public Change {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        details = List.copyOf(details);
    }

    public boolean isMutation() {
        return action == Action.CREATED || action == Action.UPDATED || action == Action.DELETED;
    }

    /** {@code ServiceAccount ci/runner-jobs}. */
    public String target() {
        return kind + " " + (namespace == null ? name : namespace + "/" + name);
    }

    @Override
    public String toString() {
        return action + " " + target() + (details.isEmpty() ? "" : " " + details);
    }
}

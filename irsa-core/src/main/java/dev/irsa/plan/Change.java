package dev.irsa.plan;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One entry of a {@link Plan}: what will happen to one resource and why. Pure data; sensitive field
 * values print as {@code (sensitive value)}.
 *
 * @param id        the resource
 * @param action    what will happen
 * @param reason    why, in words (e.g. {@code "does not exist"}, {@code "2 fields differ"},
 *                  {@code "not managed by irsa"})
 * @param diffs     the fields that will change, before -> after, sorted by field name
 * @param observed  what observing the resource found
 * @param adopt     whether apply takes over an existing object that irsa does not own yet
 * @param dependsOn the resources this one depends on
 */
public record Change(ResourceId id, Action action, String reason, List<FieldDiff> diffs, Presence observed,
                     boolean adopt, SortedSet<ResourceId> dependsOn) {

    public Change {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(observed, "observed");
        diffs = List.copyOf(diffs);
        dependsOn = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(dependsOn));
    }

    static Change of(ResourceId id, Action action, String reason, List<FieldDiff> diffs, Presence observed,
                     boolean adopt, Set<ResourceId> dependsOn) {
        return new Change(id, action, reason, diffs, observed, adopt, new TreeSet<>(dependsOn));
    }

    /** The diff of one field, if it changes. */
    public java.util.Optional<FieldDiff> diff(String field) {
        return diffs.stream().filter(d -> d.name().equals(field)).findFirst();
    }

    @Override
    public String toString() {
        return action + " " + id + " (" + reason + ")" + (diffs.isEmpty() ? "" : " " + diffs);
    }
}

package dev.irsa.plan;

import java.util.Objects;

/**
 * What {@link Resource#observe()} found: whether the object exists and whether irsa owns it, its live
 * fields (compared with the desired ones) and, when it exists, the outputs it publishes for dependents.
 *
 * <pre>{@code
 * Observed.absent();
 * Observed.owned(Fields.of(Map.of("path", "/ci/")), Outputs.of(ROLE_ARN, arn));
 * Observed.foreign(Fields.of(Map.of("path", "/")));
 * }</pre>
 *
 * @param presence absent, owned or foreign
 * @param fields   the live fields (empty when absent)
 * @param outputs  what the live object publishes for dependents (empty when absent)
 */
public record Observed(Presence presence, Fields fields, Outputs outputs) {
    private static final Observed ABSENT = new Observed(Presence.ABSENT, Fields.empty(), Outputs.none());

    public Observed {
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(outputs, "outputs");
        if (presence == Presence.ABSENT && (!fields.isEmpty() || !outputs.equals(Outputs.none()))) {
            throw new IllegalArgumentException("an absent resource has no fields and no outputs");
        }
    }

    public static Observed absent() {
        return ABSENT;
    }

    public static Observed owned(Fields fields, Outputs outputs) {
        return new Observed(Presence.OWNED, fields, outputs);
    }

    public static Observed owned(Fields fields) {
        return owned(fields, Outputs.none());
    }

    public static Observed foreign(Fields fields, Outputs outputs) {
        return new Observed(Presence.FOREIGN, fields, outputs);
    }

    /** Present, not irsa's, used as it is: never changed, never deleted, nothing to adopt. */
    public static Observed external(Fields fields) {
        return new Observed(Presence.EXTERNAL, fields, Outputs.none());
    }

    public static Observed foreign(Fields fields) {
        return foreign(fields, Outputs.none());
    }

    public boolean exists() {
        return presence != Presence.ABSENT;
    }
}

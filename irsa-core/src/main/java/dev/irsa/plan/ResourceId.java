package dev.irsa.plan;

import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one resource in a plan: a {@code type} (dotted, e.g. {@code aws.iam.role}) and a {@code name}
 * unique within that type (e.g. {@code eks-cluster-role}). Printed as {@code type/name}; ids sort by
 * type then name, which is the tie-break that keeps plans in a stable order.
 *
 * <pre>{@code
 * ResourceId role = ResourceId.of("aws.iam.role", "eks-cluster-role");
 * role.toString();                              // "aws.iam.role/eks-cluster-role"
 * ResourceId.parse("aws.iam.role/eks-cluster-role").equals(role);   // true
 * }</pre>
 *
 * @param type the kind of resource, lower-case dotted words
 * @param name the resource's name within its type; may contain '/' (e.g. {@code namespace/name})
 */
public record ResourceId(String type, String name) implements Comparable<ResourceId> {
    private static final Pattern TYPE = Pattern.compile("[a-z0-9]+([.-][a-z0-9]+)*");
    private static final Comparator<ResourceId> ORDER =
            Comparator.comparing(ResourceId::type).thenComparing(ResourceId::name);

    public ResourceId {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("resource type must be lower-case dotted words: " + type);
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("resource name must not be blank (type " + type + ")");
        }
    }

    public static ResourceId of(String type, String name) {
        return new ResourceId(type, name);
    }

    /** The inverse of {@link #toString()}: splits at the first {@code '/'}. */
    public static ResourceId parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("expected type/name, got: " + text);
        }
        return new ResourceId(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public int compareTo(ResourceId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return type + '/' + name;
    }
}

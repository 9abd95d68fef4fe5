package dev.irsa.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The values one resource publishes for its dependents ({@link Resource#observe()} publishes them for a
 * resource that already exists, {@link Resource#apply} for one it just created or changed). Typed by
 * {@link OutputKey}; {@link #toString()} prints only the key names, never values.
 *
 * <pre>{@code
 * Outputs outputs = Outputs.builder().put(ROLE_ARN, "arn:aws:iam::111122223333:role/ci").build();
 * outputs.get(ROLE_ARN);   // Optional[arn:aws:iam::111122223333:role/ci]
 * }</pre>
 */
public final class Outputs {
    private static final Outputs NONE = new Outputs(Map.of());

    private final Map<OutputKey<?>, Object> values;

    private Outputs(Map<OutputKey<?>, Object> values) {
        this.values = values;
    }

    public static Outputs none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static <T> Outputs of(OutputKey<T> key, T value) {
        return builder().put(key, value).build();
    }

    public <T> Optional<T> get(OutputKey<T> key) {
        return Optional.ofNullable(values.get(key)).map(key.type()::cast);
    }

    /** These outputs with {@code newer}'s values replacing or adding to them. */
    public Outputs overriddenBy(Outputs newer) {
        if (newer.values.isEmpty()) {
            return this;
        }
        Map<OutputKey<?>, Object> merged = new LinkedHashMap<>(values);
        merged.putAll(newer.values);
        return new Outputs(Map.copyOf(merged));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Outputs other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Key names only: outputs may hold secrets. */
    @Override
    public String toString() {
        return "Outputs" + values.keySet();
    }

    public static final class Builder {
        private final Map<OutputKey<?>, Object> values = new LinkedHashMap<>();

        private Builder() {
        }

        public <T> Builder put(OutputKey<T> key, T value) {
            values.put(Objects.requireNonNull(key, "key"), key.type().cast(Objects.requireNonNull(value, "value")));
            return this;
        }

        public Outputs build() {
            return values.isEmpty() ? NONE : new Outputs(Map.copyOf(values));
        }
    }
}

package dev.irsa.plan;

import dev.irsa.SecretString;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The fields of a resource, desired or observed: names to {@link FieldValue}s, sorted by name so plans
 * print in a stable order. Only the fields a resource puts in its desired state are compared; a field
 * left out means "whatever is there is fine".
 *
 * <pre>{@code
 * Fields fields = Fields.builder()
 *         .put("path", "/ci/")
 *         .putSensitive("token", runnerToken)          // SecretString
 *         .putUnknown("roleArn")                        // (known after apply)
 *         .build();
 * }</pre>
 */
public final class Fields {
    private static final Fields EMPTY = new Fields(new TreeMap<>());

    private final SortedMap<String, FieldValue> values;

    private Fields(SortedMap<String, FieldValue> values) {
        this.values = Collections.unmodifiableSortedMap(values);
    }

    public static Fields empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Fields of(Consumer<Builder> fields) {
        Builder builder = builder();
        fields.accept(builder);
        return builder.build();
    }

    /** Plain text fields, e.g. {@code Fields.of(Map.of("path", "/ci/"))}. */
    public static Fields of(Map<String, String> plain) {
        Builder builder = builder();
        plain.forEach(builder::put);
        return builder.build();
    }

    public Optional<FieldValue> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** All fields, sorted by name. */
    public SortedMap<String, FieldValue> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fields other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Sensitive values print as {@code (sensitive value)}. */
    @Override
    public String toString() {
        return values.toString();
    }

    public static final class Builder {
        private final SortedMap<String, FieldValue> values = new TreeMap<>();

        private Builder() {
        }

        public Builder put(String name, FieldValue value) {
            values.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder put(String name, String text) {
            return put(name, FieldValue.of(text));
        }

        /** A plain value when present, {@code (known after apply)} when empty. */
        public Builder put(String name, Optional<String> text) {
            return put(name, text.map(FieldValue::of).orElse(FieldValue.unknown()));
        }

        public Builder putSensitive(String name, SecretString secret) {
            return put(name, FieldValue.sensitive(secret));
        }

        public Builder putUnknown(String name) {
            return put(name, FieldValue.unknown());
        }

        public Builder putAll(Fields fields) {
            values.putAll(fields.values);
            return this;
        }

        public Fields build() {
            return values.isEmpty() ? EMPTY : new Fields(new TreeMap<>(values));
        }
    }
}

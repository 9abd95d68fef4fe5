package dev.irsa.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One field that differs between the live object and the desired state: {@code before -> after}.
 * {@code before} is empty when the field (or the whole object) does not exist yet; {@code after} is empty
 * only in a destroy plan. Sensitive values print as {@code (sensitive value)}.
 *
 * @param name   the field's name
 * @param before the live value, if any
 * @param after  the desired value, if any (may be {@link FieldValue#unknown()})
 */
public record FieldDiff(String name, Optional<FieldValue> before, Optional<FieldValue> after) {

    public FieldDiff {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    public static FieldDiff change(String name, FieldValue before, FieldValue after) {
        return new FieldDiff(name, Optional.of(before), Optional.of(after));
    }

    public static FieldDiff add(String name, FieldValue after) {
        return new FieldDiff(name, Optional.empty(), Optional.of(after));
    }

    public static FieldDiff remove(String name, FieldValue before) {
        return new FieldDiff(name, Optional.of(before), Optional.empty());
    }

    /**
     * The default comparison: every desired field whose live value is missing or not
     * {@linkplain FieldValue#sameAs the same}. Live fields the desired state does not mention are ignored.
     */
    public static List<FieldDiff> between(Fields observed, Fields desired) {
        List<FieldDiff> diffs = new ArrayList<>();
        for (Map.Entry<String, FieldValue> field : desired.asMap().entrySet()) {
            Optional<FieldValue> live = observed.get(field.getKey());
            if (live.isEmpty() || !field.getValue().sameAs(live.get())) {
                diffs.add(new FieldDiff(field.getKey(), live, Optional.of(field.getValue())));
            }
        }
        return List.copyOf(diffs);
    }

    /** Every desired field as an addition: the diff of a resource about to be created. */
    public static List<FieldDiff> creating(Fields desired) {
        return desired.asMap().entrySet().stream().map(e -> add(e.getKey(), e.getValue())).toList();
    }

    /** Every live field as a removal: the diff of a resource about to be destroyed. */
    public static List<FieldDiff> destroying(Fields observed) {
        return observed.asMap().entrySet().stream().map(e -> remove(e.getKey(), e.getValue())).toList();
    }

    /** {@code name: before -> after}, sensitive values masked. */
    @Override
    public String toString() {
        return name + ": " + before.map(FieldValue::render).orElse("(none)") + " -> "
                + after.map(FieldValue::render).orElse("(none)");
    }
}

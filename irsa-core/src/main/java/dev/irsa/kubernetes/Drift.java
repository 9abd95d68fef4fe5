package dev.irsa.kubernetes;

/**
 * One field of a live object that differs from what irsa wants.
 *
 * @param field   e.g. {@code metadata.annotations[eks.amazonaws.com/role-arn]}
 * @param desired the wanted value ({@code null}: the field should be absent); secret values are described, never shown
 * @param actual  the live value ({@code null}: absent); secret values are described, never shown
 */
public record Drift(String field, String desired, String actual) {
    @Override
    public String toString() {
        return field + ": wanted " + show(desired) + ", found " + show(actual);
    }

    private static String show(String v) {
        return v == null ? "<absent>" : '"' + v + '"';
    }
}

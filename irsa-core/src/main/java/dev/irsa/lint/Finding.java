package dev.irsa.lint;

import java.util.Objects;

/**
 * One lint result. {@code id} is stable across releases (e.g. {@code IRSA-T001}) so callers can accept
 * a finding deliberately; {@code location} points into the document (e.g. {@code Statement[0].Condition}).
 */
public record Finding(String id, Severity severity, String message, String hint, String location) {
    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        hint = hint == null ? "" : hint;
        location = location == null ? "" : location;
    }

    /** One line, starting with the id and the severity: {@code IRSA-P002 ERROR Statement[0]: ... (fix: ...)}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(id).append(' ').append(severity);
        if (!location.isEmpty()) {
            b.append(' ').append(location).append(':');
        }
        b.append(' ').append(message);
        if (!hint.isEmpty()) {
            b.append(" (fix: ").append(hint).append(')');
        }
        return b.toString();
    }
}

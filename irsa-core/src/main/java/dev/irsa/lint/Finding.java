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

    /**
     * The policy this finding is in, the scope an acceptance names after {@code @}
     * ({@code IRSA-P002@eks-admin}): the inline policy name for {@code role.inlinePolicies[<name>]...},
     * {@code trust} for {@code role.trustPolicy...}, and empty for a finding of a single linted document.
     */
    public String scope() {
        if (location.startsWith(INLINE_POLICY)) {
            int end = location.indexOf(']', INLINE_POLICY.length());
            return end < 0 ? "" : location.substring(INLINE_POLICY.length(), end);
        }
        return location.startsWith(TRUST_POLICY) ? "trust" : "";
    }

    /** Location prefix of findings in a role's inline policy, followed by its name and {@code ]}. */
    public static final String INLINE_POLICY = "role.inlinePolicies[";
    /** Location prefix of findings in a role's trust policy. */
    public static final String TRUST_POLICY = "role.trustPolicy";

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

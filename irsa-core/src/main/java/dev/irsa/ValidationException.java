package dev.irsa;

import java.util.Objects;

/**
 * Bad input, found before any remote call. Says which field, which value and which rule.
 *
 * <pre>{@code
 * try {
 *     Validators.namespace("serviceAccount.namespace", "My_NS");
 * } catch (ValidationException e) {
 *     e.field();   // "serviceAccount.namespace"
 *     e.value();   // "My_NS"
 *     e.rule();    // "a DNS-1123 label: lower-case letters, digits and '-', ..."
 * }
 * }</pre>
 */
public class ValidationException extends IrsaException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;
    private final String rule;

    public ValidationException(String field, Object value, String rule) {
        this(field, value, rule, message(field, value, rule));
    }

    /** For subtypes whose message reads better than {@code field: value is invalid: rule}; it must escape input itself. */
    protected ValidationException(String field, Object value, String rule, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
        this.value = value == null ? null : String.valueOf(value);
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** The field path, e.g. {@code role.name} or {@code serviceAccount.namespace}. */
    public String field() {
        return field;
    }

    /**
     * The rejected value as given ({@code null} when it was missing). Long values are shortened, and control
     * characters escaped, in the message only: escape this before printing it ({@link SafeText}).
     */
    public String value() {
        return value;
    }

    /** The rule the value breaks, in words. */
    public String rule() {
        return rule;
    }

    /** Field, value and rule may all carry input: the message escapes control characters (see {@link SafeText}). */
    private static String message(String field, Object value, String rule) {
        String shown = value == null ? "<missing>" : '"' + SafeText.shorten(String.valueOf(value), 120) + '"';
        return SafeText.shorten(field, 300) + ": " + shown + " is invalid: " + SafeText.escape(rule);
    }
}

package dev.irsa.plan;

import dev.irsa.SafeText;
import dev.irsa.SecretString;
import java.util.Objects;

/**
 * One value of a resource field as a plan sees it: a plain {@linkplain Known known} text, a
 * {@linkplain Sensitive sensitive} value that is compared but never shown, or {@linkplain Unknown unknown}
 * until a dependency has been applied (printed {@code (known after apply)}, like Terraform).
 *
 * <p>Values are text on purpose: a resource renders structured values (a policy document, a tag map)
 * in a canonical form, so comparing and printing them is stable.
 */
public sealed interface FieldValue permits FieldValue.Known, FieldValue.Sensitive, FieldValue.Unknown {

    static FieldValue of(String text) {
        return new Known(text);
    }

    static FieldValue sensitive(SecretString secret) {
        return new Sensitive(secret);
    }

    static FieldValue unknown() {
        return Unknown.INSTANCE;
    }

    /** How a plan prints this value: quoted text, {@code (sensitive value)} or {@code (known after apply)}. */
    String render();

    /**
     * Whether this (desired) value is the same as {@code observed}. An unknown value never matches: it may
     * change once its dependency is applied.
     */
    boolean sameAs(FieldValue observed);

    /** A plain value, printed quoted. */
    record Known(String text) implements FieldValue {
        public Known {
            Objects.requireNonNull(text, "text");
        }

        /**
         * Quoted on one line: quotes and backslashes escaped, then every character that is not printable text
         * (newlines, ESC and other controls, bidi overrides) as {@link SafeText} writes it, so a value from a
         * spec or a live object (a pipeline file, a policy) can neither drive the terminal nor forge a plan line.
         */
        @Override
        public String render() {
            return '"' + SafeText.escape(text.replace("\\", "\\\\").replace("\"", "\\\"")) + '"';
        }

        @Override
        public boolean sameAs(FieldValue observed) {
            return observed instanceof Known other && text.equals(other.text);
        }

        @Override
        public String toString() {
            return render();
        }
    }

    /** A secret value: compared like any other, printed as {@code (sensitive value)} everywhere. */
    record Sensitive(SecretString secret) implements FieldValue {
        public Sensitive {
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String render() {
            return "(sensitive value)";
        }

        @Override
        public boolean sameAs(FieldValue observed) {
            return observed instanceof Sensitive other && secret.equals(other.secret);
        }

        @Override
        public String toString() {
            return render();
        }
    }

    /** A value that depends on a resource not applied yet. */
    enum Unknown implements FieldValue {
        INSTANCE;

        @Override
        public String render() {
            return "(known after apply)";
        }

        @Override
        public boolean sameAs(FieldValue observed) {
            return false;
        }

        @Override
        public String toString() {
            return render();
        }
    }
}

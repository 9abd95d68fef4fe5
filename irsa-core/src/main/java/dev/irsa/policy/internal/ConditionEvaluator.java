package dev.irsa.policy.internal;

import software.amazon.awssdk.policybuilder.iam.IamCondition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * IAM condition semantics over a request context of multi-valued string keys (absent key = no entry).
 * Values of one key are OR'd; keys and operators are AND'd.
 */
public final class ConditionEvaluator {
    private ConditionEvaluator() {
    }

    public record Result(boolean matched, String explanation) {
    }

    /** A parsed operator: set qualifier, base operator, IfExists. {@code base == null} when unsupported. */
    public record Operator(String text, Qualifier qualifier, Base base, boolean ifExists) {
        public static Operator parse(String text) {
            String rest = text;
            Qualifier q = Qualifier.NONE;
            if (rest.startsWith("ForAnyValue:")) {
                q = Qualifier.FOR_ANY_VALUE;
                rest = rest.substring("ForAnyValue:".length());
            } else if (rest.startsWith("ForAllValues:")) {
                q = Qualifier.FOR_ALL_VALUES;
                rest = rest.substring("ForAllValues:".length());
            }
            boolean ifExists = rest.endsWith("IfExists") && !rest.equals("IfExists");
            if (ifExists) {
                rest = rest.substring(0, rest.length() - "IfExists".length());
            }
            Base base = Base.byName(rest);
            return new Operator(text, q, base, ifExists);
        }
    }

    public enum Qualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    /** Base operators and how one request value matches one policy value. */
    public enum Base {
        STRING_EQUALS("StringEquals", false, (policy, actual) -> actual.equals(policy)),
        STRING_NOT_EQUALS("StringNotEquals", true, (policy, actual) -> actual.equals(policy)),
        STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", false, (policy, actual) -> actual.equalsIgnoreCase(policy)),
        STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", true, (policy, actual) -> actual.equalsIgnoreCase(policy)),
        STRING_LIKE("StringLike", false, Wildcard::matches),
        STRING_NOT_LIKE("StringNotLike", true, Wildcard::matches),
        // ArnEquals and ArnLike both take wildcards in IAM; matched over the whole ARN here.
        ARN_EQUALS("ArnEquals", false, Wildcard::matches),
        ARN_LIKE("ArnLike", false, Wildcard::matches),
        ARN_NOT_EQUALS("ArnNotEquals", true, Wildcard::matches),
        ARN_NOT_LIKE("ArnNotLike", true, Wildcard::matches),
        BOOL("Bool", false, (policy, actual) -> actual.equalsIgnoreCase(policy)),
        NULL("Null", false, (policy, actual) -> false);

        final String name;
        final boolean negated;
        final BiPredicate<String, String> matches;

        Base(String name, boolean negated, BiPredicate<String, String> matches) {
            this.name = name;
            this.negated = negated;
            this.matches = matches;
        }

        static Base byName(String name) {
            for (Base b : values()) {
                if (b.name.equals(name)) {
                    return b;
                }
            }
            return null;
        }

        public boolean negated() {
            return negated;
        }

        public String operatorName() {
            return name;
        }
    }

    /** IAM action matching: case-insensitive, {@code *} and {@code ?} wildcards. */
    public static boolean actionMatches(String policyAction, String action) {
        return Wildcard.matchesIgnoreCase(policyAction, action);
    }

    public static Result evaluate(List<IamCondition> conditions, Map<String, List<String>> context) {
        if (conditions.isEmpty()) {
            return new Result(true, "no conditions");
        }
        // operator -> key (case-insensitive) -> policy values, in document order
        Map<String, Map<String, List<String>>> grouped = new LinkedHashMap<>();
        Map<String, String> keyNames = new LinkedHashMap<>();
        for (IamCondition c : conditions) {
            String key = c.key().value().toLowerCase(Locale.ROOT);
            keyNames.putIfAbsent(key, c.key().value());
            grouped.computeIfAbsent(c.operator().value(), o -> new LinkedHashMap<>())
                    .computeIfAbsent(key, k -> new ArrayList<>()).add(c.value());
        }
        int count = 0;
        for (var byOperator : grouped.entrySet()) {
            Operator op = Operator.parse(byOperator.getKey());
            for (var byKey : byOperator.getValue().entrySet()) {
                count++;
                String keyName = keyNames.get(byKey.getKey());
                List<String> expected = byKey.getValue();
                List<String> actual = context.get(byKey.getKey());
                String failure = check(op, keyName, expected, actual);
                if (failure != null) {
                    return new Result(false, "condition " + op.text() + " " + keyName + ": " + failure);
                }
            }
        }
        return new Result(true, "all " + count + " condition" + (count == 1 ? "" : "s") + " matched");
    }

    /** Null when the condition holds, otherwise why not. */
    private static String check(Operator op, String key, List<String> expected, List<String> actual) {
        if (op.base() == null) {
            return "unsupported condition operator '" + op.text() + "'; it is treated as not matching";
        }
        boolean present = actual != null && !actual.isEmpty();
        String has = present ? "request has " + quote(actual) : "the request has no value for this key (the token lacks the claim or IAM does not expose it)";
        if (op.base() == Base.NULL) {
            boolean wantAbsent = expected.stream().anyMatch(v -> v.equalsIgnoreCase("true"));
            boolean wantPresent = expected.stream().anyMatch(v -> v.equalsIgnoreCase("false"));
            boolean ok = present ? wantPresent : wantAbsent;
            return ok ? null : "Null expects the key to be " + (present ? "absent" : "present") + "; " + has;
        }
        if (!present) {
            if (op.ifExists() || op.qualifier() == Qualifier.FOR_ALL_VALUES) {
                return null;
            }
            if (op.base().negated() && op.qualifier() == Qualifier.NONE) {
                return null;
            }
            return "expected " + describe(op, expected) + "; " + has;
        }
        boolean holds;
        switch (op.qualifier()) {
            case FOR_ALL_VALUES -> holds = actual.stream().allMatch(v -> valueHolds(op.base(), expected, v));
            case FOR_ANY_VALUE -> holds = actual.stream().anyMatch(v -> valueHolds(op.base(), expected, v));
            default -> {
                if (op.base().negated()) {
                    // every request value must avoid every policy value
                    holds = actual.stream().allMatch(v -> valueHolds(op.base(), expected, v));
                } else {
                    holds = actual.stream().anyMatch(v -> valueHolds(op.base(), expected, v));
                }
            }
        }
        return holds ? null : "expected " + describe(op, expected) + "; " + has;
    }

    /** For a positive base: the value matches some policy value; for a negated base: it matches none. */
    private static boolean valueHolds(Base base, List<String> expected, String value) {
        boolean any = expected.stream().anyMatch(e -> base.matches.test(e, value));
        return base.negated() ? !any : any;
    }

    private static String describe(Operator op, List<String> expected) {
        String what = switch (op.base()) {
            case STRING_LIKE, ARN_LIKE, ARN_EQUALS -> "a value matching one of the patterns ";
            case STRING_NOT_LIKE, ARN_NOT_LIKE, ARN_NOT_EQUALS -> "no value matching any of the patterns ";
            case STRING_NOT_EQUALS, STRING_NOT_EQUALS_IGNORE_CASE -> "none of ";
            case STRING_EQUALS_IGNORE_CASE -> "one of (ignoring case) ";
            default -> "one of ";
        };
        String scope = switch (op.qualifier()) {
            case FOR_ALL_VALUES -> "every request value to be ";
            case FOR_ANY_VALUE -> "at least one request value to be ";
            default -> "";
        };
        return scope + what + quote(expected)
                + (op.base() == Base.STRING_EQUALS && expected.stream().anyMatch(Wildcard::hasWildcard)
                ? " (a '*' or '?' under StringEquals is a literal character, not a wildcard)" : "");
    }

    private static String quote(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ", ").append('"').append(values.get(i)).append('"');
        }
        return b.append(']').toString();
    }
}

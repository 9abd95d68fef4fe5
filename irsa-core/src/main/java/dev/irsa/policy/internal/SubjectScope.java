package dev.irsa.policy.internal;

import dev.irsa.policy.internal.ConditionEvaluator.Base;
import dev.irsa.policy.internal.ConditionEvaluator.Operator;
import dev.irsa.policy.internal.ConditionEvaluator.Qualifier;

/**
 * What a {@code sub} or {@code aud} condition value can match, decided from IAM matching semantics rather
 * than from its spelling. Under {@code StringLike}, {@code ArnLike} and {@code ArnEquals} a {@code *} matches
 * any run of characters (also empty) and a {@code ?} any one character; under {@code StringEquals} they are
 * literal.
 *
 * <p>A subject pattern is pinned to one namespace (IRSA) or one project (GitLab) only when its literal
 * prefix, the part before the first wildcard, already holds the whole namespace or project path and the
 * {@code :} after it: {@code system:serviceaccount:dev:app-*}, {@code project_path:g/p:ref_type:branch:ref:*}.
 * Namespaces and project paths never contain {@code :}, so nothing after that colon can change which one
 * matches. Any other wildcard pattern that can match such a subject at all ({@code ?*},
 * {@code system:serviceaccount:?*:*}, {@code system:serviceaccount:dev*:x}, {@code project_path:g/*}) can
 * match more than one.
 */
public final class SubjectScope {
    static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    static final String PROJECT_PREFIX = "project_path:";

    private SubjectScope() {
    }

    /**
     * Whether the operator constrains the key on every request that reaches it: not negated, no
     * {@code IfExists}, no set qualifier, a string or ARN comparison. Only such conditions can pin a value;
     * the others can only narrow one that is pinned already.
     */
    public static boolean positive(Operator op) {
        return op.base() != null && !op.base().negated() && op.base() != Base.NULL && op.base() != Base.BOOL
                && !op.ifExists() && op.qualifier() == Qualifier.NONE;
    }

    /** Whether {@code *} and {@code ?} are wildcards under this operator (StringLike, ArnLike, ArnEquals and their negations). */
    public static boolean wildcardOperator(Operator op) {
        return op.base() == Base.STRING_LIKE || op.base() == Base.STRING_NOT_LIKE || op.base() == Base.ARN_LIKE
                || op.base() == Base.ARN_EQUALS || op.base() == Base.ARN_NOT_LIKE || op.base() == Base.ARN_NOT_EQUALS;
    }

    /** Whether {@code value} under {@code op} is a pattern (matches more than the one literal string). */
    public static boolean isPattern(Operator op, String value) {
        return wildcardOperator(op) && Wildcard.hasWildcard(value);
    }

    /**
     * Whether the subject value under {@code op} can match subjects of more than one namespace or project
     * (or, for other issuers, starts with a wildcard and so can match every subject).
     */
    public static boolean admitsManyScopes(Operator op, String value) {
        if (!isPattern(op, value)) {
            return false;
        }
        String literal = literalPrefix(value);
        for (String prefix : new String[] {SERVICE_ACCOUNT_PREFIX, PROJECT_PREFIX}) {
            if (literal.startsWith(prefix)) {
                return literal.indexOf(':', prefix.length()) < 0;
            }
            if (prefix.startsWith(literal)) {
                return true; // the wildcard comes before the namespace / project is spelled out
            }
        }
        return false; // cannot match an IRSA or GitLab subject; another issuer's pattern with a literal start
    }

    /** The value up to its first {@code *} or {@code ?}. */
    static String literalPrefix(String value) {
        int star = value.indexOf('*');
        int question = value.indexOf('?');
        int end = star < 0 ? question : question < 0 ? star : Math.min(star, question);
        return end < 0 ? value : value.substring(0, end);
    }
}

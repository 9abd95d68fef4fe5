package dev.irsa.policy.internal;

/**
 * IAM {@code StringLike} matching: {@code *} matches any sequence (also empty), {@code ?} exactly one
 * character, everything else itself, case-sensitively. There is no escape character, as in IAM.
 * Iterative with single backtrack point: O(pattern x value) worst case, no regex, no recursion.
 */
public final class Wildcard {
    private Wildcard() {
    }

    public static boolean matches(String pattern, String value) {
        int p = 0;
        int v = 0;
        int starP = -1;
        int starV = 0;
        while (v < value.length()) {
            // '*' first: a literal '*' in the value must not be consumed as a plain character match.
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starV = v;
            } else if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
                p++;
                v++;
            } else if (starP >= 0) {
                p = starP + 1;
                v = ++starV;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Action names compare case-insensitively in IAM ({@code IAM:passrole} is {@code iam:PassRole}). */
    public static boolean matchesIgnoreCase(String pattern, String value) {
        return matches(pattern.toLowerCase(java.util.Locale.ROOT), value.toLowerCase(java.util.Locale.ROOT));
    }

    public static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }
}

package dev.irsa.policy;

import dev.irsa.policy.internal.Wildcard;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * StringLike matching against an independent reference: a memoised recursive matcher written from
 * IAM's definition ('*' any sequence, '?' one character, everything else literal, case-sensitive).
 */
class WildcardPropertiesTest {

    /** Reference: dynamic programming over (pattern index, value index), no shared code with production. */
    static boolean reference(String pattern, String value) {
        Boolean[][] memo = new Boolean[pattern.length() + 1][value.length() + 1];
        return ref(pattern, 0, value, 0, memo);
    }

    private static boolean ref(String p, int i, String v, int j, Boolean[][] memo) {
        if (memo[i][j] != null) {
            return memo[i][j];
        }
        boolean result;
        if (i == p.length()) {
            result = j == v.length();
        } else if (p.charAt(i) == '*') {
            result = ref(p, i + 1, v, j, memo) || (j < v.length() && ref(p, i, v, j + 1, memo));
        } else if (j < v.length() && (p.charAt(i) == '?' || p.charAt(i) == v.charAt(j))) {
            result = ref(p, i + 1, v, j + 1, memo);
        } else {
            result = false;
        }
        memo[i][j] = result;
        return result;
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars('a', 'b', 'A', '*', '?', ':').ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars('a', 'b', 'A', ':', '*', '?').ofMaxLength(14);
    }

    @Property(tries = 3000)
    void productionAgreesWithReference(@ForAll("patterns") String pattern, @ForAll("values") String value) {
        assertThat(Wildcard.matches(pattern, value)).as("%s ~ %s", pattern, value).isEqualTo(reference(pattern, value));
    }

    @Property(tries = 500)
    void everyStringMatchesItselfWhenItHasNoWildcards(@ForAll("values") String value) {
        String literal = value.replace("*", "").replace("?", "");
        assertThat(Wildcard.matches(literal, literal)).isTrue();
    }

    @Property(tries = 500)
    void starMatchesEverythingAndQuestionMarksCountCharacters(@ForAll("values") String value) {
        assertThat(Wildcard.matches("*", value)).isTrue();
        assertThat(Wildcard.matches("?".repeat(value.length()), value)).isTrue();
        assertThat(Wildcard.matches("?".repeat(value.length() + 1), value)).isFalse();
    }

    @Property(tries = 500)
    void evaluatorUsesStringLikeSemantics(@ForAll("subPatterns") String pattern, @ForAll("subValues") String sub) {
        OidcProvider cluster = TrustPolicyTest.CLUSTER;
        String json = """
                {"Statement":[{"Effect":"Allow","Principal":{"Federated":"%s"},"Action":"sts:AssumeRoleWithWebIdentity",
                 "Condition":{"StringLike":{"%s:sub":"%s"}}}]}""".formatted(cluster.arn(), cluster.hostPath(), pattern);
        WebIdentityRequest request = new WebIdentityRequest(cluster.arn(), java.util.Map.of("sub", sub));
        assertThat(TrustEvaluator.evaluate(json, request).allowed()).isEqualTo(reference(pattern, sub));
    }

    @Provide
    Arbitrary<String> subPatterns() {
        return Arbitraries.strings().withChars('a', 'b', '*', '?', ':', '-').ofMinLength(1).ofMaxLength(10);
    }

    @Provide
    Arbitrary<String> subValues() {
        return Arbitraries.strings().withChars('a', 'b', ':', '-').ofMaxLength(10);
    }

    @Example
    void knownCases() {
        assertThat(Wildcard.matches("system:serviceaccount:dev:*", "system:serviceaccount:dev:app")).isTrue();
        assertThat(Wildcard.matches("a*b*c", "abbbc")).isTrue();
        assertThat(Wildcard.matches("a*b*c", "acb")).isFalse();
        assertThat(Wildcard.matches("", "")).isTrue();
        assertThat(Wildcard.matches("", "a")).isFalse();
        assertThat(Wildcard.matches("A", "a")).isFalse();
    }
}

package dev.irsa.policy;

import dev.irsa.ValidationException;
import dev.irsa.lint.Finding;
import dev.irsa.lint.LintOptions;
import dev.irsa.lint.LintReport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The linter's verdict on a trust against what irsa's own evaluator admits (issue 13 findings 2 and 7).
 * Patterns come from an alphabet with {@code *}, {@code ?}, letters, {@code -} and {@code :} under the string
 * and ARN operators, negated and {@code IfExists} ones included. Candidates are fixed service accounts /
 * projects plus adversarial ones derived from each pattern ({@code ?} replaced by a letter, {@code *} by
 * nothing, by {@code kube-system} or by a letter).
 *
 * <p>IAM semantics pinned here (condition operators,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
 * StringLike is case-sensitive, {@code *} matches any run of characters and {@code ?} exactly one;
 * StringEquals compares exactly (wildcard characters are literal); ArnEquals and ArnLike also take both
 * wildcards; the negated operators hold when no policy value matches; conditions and keys are AND'd, values
 * of one key OR'd. {@link WildcardPropertiesTest} checks the matcher itself against a reference.
 */
class TrustScopePropertiesTest {
    static final OidcProvider CLUSTER = TrustPolicyTest.CLUSTER;
    static final String HOST = TrustPolicyTest.HOST;
    static final String AUD = "sts.amazonaws.com";
    static final LintOptions OPT_IN = LintOptions.builder().allowWildcardSubjects(true).build();

    /** The two subject shapes whose scope (namespace / project path) must be pinned. */
    enum Shape {
        SERVICE_ACCOUNT("system:serviceaccount:", ""),
        GITLAB("project_path:", "ref_type:branch:ref:");

        final String prefix;
        final String beforeRef;

        Shape(String prefix, String beforeRef) {
            this.prefix = prefix;
            this.beforeRef = beforeRef;
        }

        String subject(String scope, String rest) {
            return prefix + scope + ":" + beforeRef + rest;
        }

        /** The namespace / project of a well-formed subject (neither part empty, no ':' in them), else null. */
        String scopeOf(String sub) {
            if (!sub.startsWith(prefix)) {
                return null;
            }
            String tail = sub.substring(prefix.length());
            int colon = tail.indexOf(':');
            if (colon <= 0 || !tail.substring(colon + 1).startsWith(beforeRef)) {
                return null;
            }
            String rest = tail.substring(colon + 1 + beforeRef.length());
            return rest.isEmpty() || rest.contains(":") ? null : tail.substring(0, colon);
        }
    }

    record Condition(String operator, List<String> values) {
    }

    static final List<String> OPERATORS = List.of("StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnLike", "ArnEquals",
            "StringNotEquals", "StringNotLike", "ArnNotLike", "StringLikeIfExists", "StringEqualsIfExists");
    static final List<String> WILDCARD_OPERATORS = List.of("StringLike", "ArnLike", "ArnEquals");

    @Provide
    Arbitrary<Shape> shapes() {
        return Arbitraries.of(Shape.class);
    }

    Arbitrary<String> part(String alphabet) {
        return Arbitraries.strings().withChars(alphabet).ofMinLength(1).ofMaxLength(6);
    }

    /** A sub value: mostly well-shaped with a pattern scope/name, sometimes a raw string or a damaged prefix. */
    Arbitrary<String> subValue(Shape shape) {
        Arbitrary<String> segment = part("ab-*?");
        Arbitrary<String> wellShaped = Combinators.combine(segment, segment).as(shape::subject);
        Arbitrary<String> raw = part("ab-*?:");
        Arbitrary<String> rawAfterPrefix = raw.map(r -> shape.prefix + r);
        Arbitrary<String> damagedPrefix = Combinators.combine(Arbitraries.integers().between(0, shape.prefix.length() - 1),
                Arbitraries.of("*", "?", "?*", ""), segment, segment)
                .as((at, wildcard, scope, rest) -> shape.subject(scope, rest).substring(0, at) + wildcard
                        + shape.subject(scope, rest).substring(at + 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, wellShaped), net.jqwik.api.Tuple.of(2, rawAfterPrefix),
                net.jqwik.api.Tuple.of(1, raw), net.jqwik.api.Tuple.of(2, damagedPrefix));
    }

    Arbitrary<Condition> condition(Arbitrary<String> value) {
        return Combinators.combine(Arbitraries.of(OPERATORS), value.list().ofMinSize(1).ofMaxSize(2)).as(Condition::new);
    }

    @Provide
    Arbitrary<Map.Entry<Shape, List<Condition>>> subConditions() {
        return shapes().flatMap(shape -> condition(subValue(shape)).list().ofMinSize(1).ofMaxSize(2)
                .map(conditions -> Map.entry(shape, conditions)));
    }

    @Provide
    Arbitrary<List<Condition>> audConditions() {
        Arbitrary<String> aud = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(AUD)),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().withChars("st.*?").ofMinLength(1).ofMaxLength(5)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("sts.*", "*.amazonaws.com", "*", "?*", "sts.amazonaws.co?")));
        return condition(aud).list().ofMinSize(1).ofMaxSize(2);
    }

    // ---- the properties ---------------------------------------------------------------------------

    @Property(tries = 600)
    void whenLintSaysTheSubIsPinnedTheEvaluatorAdmitsOnlyNamespacesOrProjectsSpelledOut(
            @ForAll("subConditions") Map.Entry<Shape, List<Condition>> generated) {
        Shape shape = generated.getKey();
        List<Condition> sub = generated.getValue();
        String json = trust(sub, List.of(new Condition("StringEquals", List.of(AUD))));
        LintReport report = PolicyLinter.lintTrust(TrustPolicy.fromJson(json), OPT_IN);
        Set<String> admitted = admittedScopes(json, shape, candidates(shape, sub), AUD);
        Set<String> spelled = spelledScopes(shape, sub);

        boolean pinnedByLint = ids(report).stream().noneMatch(id -> id.equals("IRSA-T001") || id.equals("IRSA-T005"));
        if (pinnedByLint) {
            assertThat(admitted).as("lint calls %s pinned; spelled %s", json, spelled).allMatch(scope -> spelled(spelled, scope));
        }
        Set<String> unspelled = admitted.stream().filter(scope -> !spelled(spelled, scope)).collect(Collectors.toSet());
        if (!unspelled.isEmpty()) {
            assertThat(ids(report)).as("evaluator admits %s of %s", unspelled, json).containsAnyOf("IRSA-T001", "IRSA-T005");
        }
    }

    /** The other direction on well-shaped patterns: a wildcard in the scope is reported and really admits two scopes. */
    @Property(tries = 300)
    void aWildcardInTheNamespaceOrProjectIsReportedAndAdmitsTwoOfThem(@ForAll("shapes") Shape shape,
            @ForAll("wildcardSegments") String scope, @ForAll("segments") String rest, @ForAll("wildcardOperators") String operator) {
        List<Condition> sub = List.of(new Condition(operator, List.of(shape.subject(scope, rest))));
        String json = trust(sub, List.of(new Condition("StringEquals", List.of(AUD))));
        assertThat(PolicyLinter.lintTrust(TrustPolicy.fromJson(json), OPT_IN).errors()).extracting(Finding::id).containsExactly("IRSA-T005");
        assertThat(admittedScopes(json, shape, candidates(shape, sub), AUD)).as(json).hasSizeGreaterThanOrEqualTo(2);
    }

    @Property(tries = 400)
    void whenLintSaysTheAudIsPinnedTheEvaluatorAdmitsOnlyAudiencesSpelledOut(@ForAll("audConditions") List<Condition> aud) {
        List<Condition> sub = List.of(new Condition("StringEquals", List.of(Shape.SERVICE_ACCOUNT.subject("dev", "app"))));
        String json = trust(sub, aud);
        LintReport report = PolicyLinter.lintTrust(TrustPolicy.fromJson(json));
        Set<String> admitted = new LinkedHashSet<>();
        for (String candidate : audienceCandidates(aud)) {
            if (TrustEvaluator.evaluate(json, new WebIdentityRequest(CLUSTER.arn(), Map.of("sub", "system:serviceaccount:dev:app", "aud", candidate))).allowed()) {
                admitted.add(candidate);
            }
        }
        Set<String> unspelled = admitted.stream().filter(a -> !spelledAudience(aud, a)).collect(Collectors.toSet());
        boolean pinnedByLint = ids(report).stream().noneMatch(id -> id.equals("IRSA-T002") || id.equals("IRSA-T014"));
        if (pinnedByLint) {
            assertThat(unspelled).as("lint calls the aud of %s pinned", json).isEmpty();
        }
        if (!unspelled.isEmpty()) {
            assertThat(ids(report)).as("evaluator admits audiences %s of %s", unspelled, json).containsAnyOf("IRSA-T002", "IRSA-T014");
        }
        boolean onlyWildcardPatterns = aud.size() == 1 && aud.stream().allMatch(c -> WILDCARD_OPERATORS.contains(c.operator())
                && c.values().stream().anyMatch(v -> v.contains("*") || v.contains("?")));
        if (onlyWildcardPatterns) {
            assertThat(ids(report)).as(json).contains("IRSA-T014");
            assertThat(admitted).as("a pattern admits more than one audience: %s", json).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    /** The builder never makes a trust that admits two namespaces: it refuses, or pins the one it was given. */
    @Property(tries = 300)
    void serviceAccountPatternPinsItsNamespaceOrRefuses(@ForAll("builderSegments") String namespace, @ForAll("builderSegments") String name) {
        TrustPolicy trust;
        try {
            trust = TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccountPattern(namespace, name));
        } catch (ValidationException refused) {
            assertThat(refused.getMessage()).containsAnyOf("namespace", "name");
            return;
        }
        String json = trust.toJson();
        List<Condition> sub = List.of(new Condition("StringLike", List.of(Shape.SERVICE_ACCOUNT.subject(namespace, name))));
        assertThat(admittedScopes(json, Shape.SERVICE_ACCOUNT, candidates(Shape.SERVICE_ACCOUNT, sub), AUD)).isSubsetOf(namespace);
        assertThat(PolicyLinter.lintTrust(trust).hasErrors()).isFalse();
    }

    @Example
    void theReviewersPatternIsRefusedByTheBuilderAndReportedByLint() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccountPattern("?*", "*")))
                .isInstanceOf(ValidationException.class);
        List<Condition> sub = List.of(new Condition("StringLike", List.of("system:serviceaccount:?*:*")));
        String json = trust(sub, List.of(new Condition("StringEquals", List.of(AUD))));
        assertThat(admittedScopes(json, Shape.SERVICE_ACCOUNT, candidates(Shape.SERVICE_ACCOUNT, sub), AUD)).contains("kube-system");
        assertThat(ids(PolicyLinter.lintTrust(TrustPolicy.fromJson(json), OPT_IN))).contains("IRSA-T005");
    }

    @Provide
    Arbitrary<String> segments() {
        return part("ab-*?");
    }

    @Provide
    Arbitrary<String> wildcardSegments() {
        return part("ab-*?").filter(s -> s.contains("*") || s.contains("?"));
    }

    @Provide
    Arbitrary<String> wildcardOperators() {
        return Arbitraries.of(WILDCARD_OPERATORS);
    }

    @Provide
    Arbitrary<String> builderSegments() {
        return Arbitraries.strings().withChars("ab-.*?").ofMinLength(1).ofMaxLength(6);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static List<String> ids(LintReport report) {
        return report.findings().stream().map(Finding::id).toList();
    }

    static String trust(List<Condition> sub, List<Condition> aud) {
        Map<String, Map<String, List<String>>> byOperator = new LinkedHashMap<>();
        sub.forEach(c -> byOperator.computeIfAbsent(c.operator(), o -> new LinkedHashMap<>())
                .computeIfAbsent(HOST + ":sub", k -> new ArrayList<>()).addAll(c.values()));
        aud.forEach(c -> byOperator.computeIfAbsent(c.operator(), o -> new LinkedHashMap<>())
                .computeIfAbsent(HOST + ":aud", k -> new ArrayList<>()).addAll(c.values()));
        String conditions = byOperator.entrySet().stream().map(op -> "\"" + op.getKey() + "\":{"
                + op.getValue().entrySet().stream().map(k -> "\"" + k.getKey() + "\":["
                        + k.getValue().stream().distinct().map(v -> "\"" + v + "\"").collect(Collectors.joining(",")) + "]")
                .collect(Collectors.joining(",")) + "}").collect(Collectors.joining(","));
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + CLUSTER.arn()
                + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{" + conditions + "}}]}";
    }

    /** Fixed subjects plus, for every value, the subjects its wildcards can turn into. */
    static Set<String> candidates(Shape shape, List<Condition> conditions) {
        Set<String> out = new LinkedHashSet<>();
        for (String scope : List.of("dev", "kube-system", "a", "b", "ab", "prod")) {
            for (String rest : List.of("app", "default", "a", "main")) {
                out.add(shape.subject(scope, rest));
            }
        }
        conditions.forEach(c -> c.values().forEach(v -> out.addAll(instances(v))));
        return out;
    }

    /** Strings a pattern matches: '?' as a letter, '*' as nothing, as kube-system, as a letter; and the value itself. */
    static List<String> instances(String pattern) {
        return List.of(pattern, pattern.replace('?', 'a').replace("*", ""), pattern.replace('?', 'b').replace("*", "kube-system"),
                pattern.replace('?', 'a').replace("*", "a"), pattern.replace('?', 'A').replace("*", ""));
    }

    static Set<String> audienceCandidates(List<Condition> aud) {
        Set<String> out = new LinkedHashSet<>(List.of(AUD, "https://attacker.example", "STS.AMAZONAWS.COM", "s", ""));
        aud.forEach(c -> c.values().forEach(v -> out.addAll(instances(v))));
        return out;
    }

    /** The namespaces / projects among the candidates the evaluator lets in. */
    static Set<String> admittedScopes(String json, Shape shape, Set<String> candidates, String aud) {
        Set<String> admitted = new LinkedHashSet<>();
        for (String sub : candidates) {
            String scope = shape.scopeOf(sub);
            if (scope != null && TrustEvaluator.evaluate(json, new WebIdentityRequest(CLUSTER.arn(), Map.of("sub", sub, "aud", aud))).allowed()) {
                admitted.add(scope);
            }
        }
        return admitted;
    }

    /** Whether the operator pins on every request: not negated, no IfExists (the linter's own notion is not reused). */
    static boolean positive(String operator) {
        return !operator.contains("Not") && !operator.endsWith("IfExists");
    }

    /**
     * Namespaces / projects written out literally in a positive sub condition: the whole value under
     * StringEquals*, the part before the first wildcard under the wildcard operators, when a ':' closes it.
     * Scopes of StringEqualsIgnoreCase values are lower-cased (namespaces and project paths compare so there).
     */
    static Set<String> spelledScopes(Shape shape, List<Condition> conditions) {
        Set<String> out = new LinkedHashSet<>();
        for (Condition c : conditions) {
            if (!positive(c.operator())) {
                continue;
            }
            for (String v : c.values()) {
                String literal = WILDCARD_OPERATORS.contains(c.operator()) ? v.split("[*?]", 2)[0] : v;
                if (literal.startsWith(shape.prefix) && literal.indexOf(':', shape.prefix.length()) >= 0) {
                    String scope = literal.substring(shape.prefix.length(), literal.indexOf(':', shape.prefix.length()));
                    out.add(c.operator().contains("IgnoreCase") ? "(ci)" + scope.toLowerCase(Locale.ROOT) : scope);
                }
            }
        }
        return out;
    }

    static boolean spelled(Set<String> spelled, String scope) {
        return spelled.contains(scope) || spelled.contains("(ci)" + scope.toLowerCase(Locale.ROOT));
    }

    /** Whether a positive aud condition names this audience literally. */
    static boolean spelledAudience(List<Condition> aud, String audience) {
        return aud.stream().filter(c -> positive(c.operator())).anyMatch(c -> c.values().stream()
                .anyMatch(v -> c.operator().contains("IgnoreCase") ? v.equalsIgnoreCase(audience) : v.equals(audience)));
    }
}

package dev.irsa.policy.internal;

import dev.irsa.lint.Finding;
import dev.irsa.lint.Severity;
import dev.irsa.policy.internal.ConditionEvaluator.Operator;
import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code sub} and {@code aud} rules of a web-identity Allow statement (IRSA-T001, T002, T004, T005,
 * T014). Conditions are AND'd, so a key is pinned when at least one positive condition on it pins every one
 * of its values; negated, {@code IfExists} and set-qualified conditions only narrow and never pin.
 */
public final class WebIdentityConditionLint {
    private WebIdentityConditionLint() {
    }

    public static void lint(IamStatement st, String at, String host, boolean optIn, List<Finding> findings) {
        String subKey = host + ":sub";
        String audKey = host + ":aud";
        Map<String, List<String>> sub = positiveConditions(st, subKey);
        Map<String, List<String>> aud = positiveConditions(st, audKey);

        if (sub.isEmpty()) {
            findings.add(new Finding("IRSA-T001", Severity.ERROR,
                    "no StringEquals/StringLike condition on " + subKey + ": every identity " + host + " issues tokens for (every service account of the cluster, every project) can assume the role",
                    "add StringEquals " + subKey + " = system:serviceaccount:<namespace>:<name> (IRSA) or project_path:<group>/<project>:ref_type:<type>:ref:<ref> (GitLab)",
                    at + ".Condition"));
        } else {
            boolean pinned = sub.entrySet().stream().anyMatch(e -> e.getValue().stream()
                    .noneMatch(v -> SubjectScope.admitsManyScopes(Operator.parse(e.getKey()), v)));
            sub.forEach((operator, values) -> {
                Operator op = Operator.parse(operator);
                for (String value : values) {
                    String where = at + ".Condition." + operator + "." + subKey;
                    if (!pinned && SubjectScope.admitsManyScopes(op, value)) {
                        findings.add(new Finding("IRSA-T005", Severity.ERROR,
                                "sub pattern \"" + value + "\" under " + operator + " can match subjects of more than one namespace or project of "
                                        + host + " (a '*' or '?' before the namespace / project path ends lets it match others, e.g. kube-system)",
                                "pin the namespace (system:serviceaccount:<ns>:<name-pattern>) or the project path "
                                        + "(project_path:<group>/<project>:<ref-pattern>) with no wildcard before the ':' that ends it", where));
                    } else if (SubjectScope.isPattern(op, value)) {
                        findings.add(new Finding("IRSA-T004", optIn ? Severity.INFO : Severity.ERROR,
                                "sub pattern \"" + value + "\" under " + operator + " admits every matching subject"
                                        + (optIn ? " (wildcard subjects explicitly requested)" : " and was not explicitly opted in"),
                                optIn ? "" : "list exact subjects, or opt in with LintOptions.allowWildcardSubjects(true) / the builder's pattern API",
                                where));
                    }
                }
            });
        }

        if (aud.isEmpty()) {
            findings.add(new Finding("IRSA-T002", Severity.ERROR,
                    "no StringEquals condition on " + audKey + ": tokens minted for other audiences are accepted",
                    "add StringEquals " + audKey + " = sts.amazonaws.com (IRSA) or the id_tokens aud (GitLab)", at + ".Condition"));
        } else if (aud.entrySet().stream().allMatch(e -> e.getValue().stream().anyMatch(v -> SubjectScope.isPattern(Operator.parse(e.getKey()), v)))) {
            aud.forEach((operator, values) -> values.stream().filter(v -> SubjectScope.isPattern(Operator.parse(operator), v)).forEach(value ->
                    findings.add(new Finding("IRSA-T014", Severity.ERROR,
                            "aud pattern \"" + value + "\" under " + operator + " accepts tokens minted for other audiences"
                                    + (value.chars().allMatch(c -> c == '*') ? " (it matches every audience)" : ""),
                            "StringEquals " + audKey + " = sts.amazonaws.com (IRSA) or the id_tokens aud (GitLab): an audience is matched exactly",
                            at + ".Condition." + operator + "." + audKey))));
        }
    }

    /** Positive conditions on {@code key} (case-insensitive), operator text to values, in document order. */
    private static Map<String, List<String>> positiveConditions(IamStatement st, String key) {
        Map<String, List<String>> byOperator = new LinkedHashMap<>();
        for (IamCondition c : st.conditions()) {
            if (c.key().value().equalsIgnoreCase(key) && SubjectScope.positive(Operator.parse(c.operator().value()))) {
                byOperator.computeIfAbsent(c.operator().value(), o -> new ArrayList<>()).add(c.value());
            }
        }
        return byOperator;
    }
}

package dev.irsa.testing.aws;

import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.policybuilder.iam.IamConditionKey;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.ResourceSpecificResult;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How IAM's policy simulator ({@code SimulatePrincipalPolicy}) decides one action on one resource from a
 * principal's identity policies and optional permissions boundary, as the IAM user guide's evaluation logic
 * ("Policy evaluation logic", docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
 * says: an explicit Deny wins ({@code explicitDeny}); else an Allow is needed ({@code allowed}), and, with a
 * boundary, the boundary must allow it too; else {@code implicitDeny}. Action names match case-insensitively
 * with {@code *} and {@code ?}; resource ARNs case-sensitively. A statement with a Condition applies only when its
 * keys have values; the simulator is given none here, so such a statement does not apply and its keys are
 * listed as {@code MissingContextValues}, as the simulator reports them.
 */
final class PolicySimulation {
    private final List<IamPolicy> identity;
    private final Optional<IamPolicy> boundary;

    PolicySimulation(List<String> identityPolicies, Optional<String> boundaryPolicy) {
        this.identity = identityPolicies.stream().map(IamPolicy::fromJson).toList();
        this.boundary = boundaryPolicy.map(IamPolicy::fromJson);
    }

    /**
     * One result per action: with one resource (or none, meaning {@code *}) its decision on it; with several, the
     * first non-allowed decision and {@code ResourceSpecificResults} per resource, as SimulatePrincipalPolicy answers.
     */
    List<EvaluationResult> evaluate(List<String> actions, List<String> resourceArns) {
        List<String> resources = resourceArns == null || resourceArns.isEmpty() ? List.of("*") : resourceArns;
        List<EvaluationResult> results = new ArrayList<>();
        for (String action : actions) {
            List<EvaluationResult> each = resources.stream().map(r -> evaluate(action, r)).toList();
            if (each.size() == 1) {
                results.add(each.get(0));
                continue;
            }
            PolicyEvaluationDecisionType overall = each.stream().map(EvaluationResult::evalDecision)
                    .filter(d -> d != PolicyEvaluationDecisionType.ALLOWED).findFirst().orElse(PolicyEvaluationDecisionType.ALLOWED);
            results.add(EvaluationResult.builder().evalActionName(action).evalResourceName("*").evalDecision(overall)
                    .resourceSpecificResults(each.stream().map(e -> ResourceSpecificResult.builder()
                            .evalResourceName(e.evalResourceName()).evalResourceDecision(e.evalDecision()).build()).toList())
                    .build());
        }
        return results;
    }

    EvaluationResult evaluate(String action, String resource) {
        Set<String> missing = new LinkedHashSet<>();
        PolicyEvaluationDecisionType decision = decide(identity, action, resource, missing);
        if (decision == PolicyEvaluationDecisionType.ALLOWED && boundary.isPresent()) {
            decision = decide(List.of(boundary.get()), action, resource, missing);
        }
        return EvaluationResult.builder().evalActionName(action).evalResourceName(resource).evalDecision(decision)
                .missingContextValues(new ArrayList<>(missing)).build();
    }

    private static PolicyEvaluationDecisionType decide(List<IamPolicy> policies, String action, String resource, Set<String> missing) {
        boolean allowed = false;
        for (IamPolicy policy : policies) {
            for (IamStatement s : policy.statements()) {
                if (!matchesAction(s, action) || !matchesResource(s, resource)) {
                    continue;
                }
                if (!s.conditions().isEmpty()) {
                    s.conditions().stream().map(IamCondition::key).map(IamConditionKey::value).forEach(missing::add);
                    continue;
                }
                if (s.effect().equals(IamEffect.DENY)) {
                    return PolicyEvaluationDecisionType.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? PolicyEvaluationDecisionType.ALLOWED : PolicyEvaluationDecisionType.IMPLICIT_DENY;
    }

    private static boolean matchesAction(IamStatement s, String action) {
        if (!s.notActions().isEmpty()) {
            return s.notActions().stream().noneMatch(a -> glob(a.value(), true).matcher(action).matches());
        }
        return s.actions().stream().anyMatch(a -> glob(a.value(), true).matcher(action).matches());
    }

    private static boolean matchesResource(IamStatement s, String resource) {
        if (!s.notResources().isEmpty()) {
            return s.notResources().stream().noneMatch(r -> glob(r.value(), false).matcher(resource).matches());
        }
        return s.resources().stream().anyMatch(r -> glob(r.value(), false).matcher(resource).matches());
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one character. */
    static Pattern glob(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return ignoreCase ? Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                : Pattern.compile(regex.toString());
    }
}

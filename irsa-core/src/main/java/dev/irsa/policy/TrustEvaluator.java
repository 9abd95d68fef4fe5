package dev.irsa.policy;

import dev.irsa.policy.internal.ConditionEvaluator;
import software.amazon.awssdk.policybuilder.iam.IamAction;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides {@code sts:AssumeRoleWithWebIdentity} against a trust policy the way IAM does, offline. Pure.
 *
 * <p>Semantics: a statement applies when its principal names the token's OIDC provider (or is
 * {@code *}), its action covers {@code sts:AssumeRoleWithWebIdentity} (IAM wildcards, case-insensitive)
 * and every condition holds. An applying Deny wins over any Allow; without an applying Allow the call is
 * implicitly denied. Conditions: values of one key are OR'd, keys and operators are AND'd; condition key
 * names are case-insensitive, values case-sensitive; {@code *} and {@code ?} are wildcards only in
 * {@code StringLike}/{@code StringNotLike}/{@code Arn*}. Supported operators: {@code StringEquals},
 * {@code StringNotEquals}, {@code StringEqualsIgnoreCase}, {@code StringNotEqualsIgnoreCase},
 * {@code StringLike}, {@code StringNotLike}, {@code ArnEquals}, {@code ArnLike}, {@code ArnNotEquals},
 * {@code ArnNotLike}, {@code Bool}, {@code Null}, each with {@code ...IfExists} and the set qualifiers
 * {@code ForAnyValue:} / {@code ForAllValues:} (for multi-valued {@code aud} / {@code amr}); any other
 * operator does not match, and the explanation says so.
 *
 * <p>The request context holds, as IAM builds it for web identity, {@code <hostPath>:sub},
 * {@code <hostPath>:aud} and {@code <hostPath>:amr} from the token's claims (case-insensitive key names),
 * where {@code <hostPath>} is the provider ARN's {@code oidc-provider/...} part. Other claims are not
 * condition keys in IAM; a condition on them sees the key missing. A token whose {@code iss} is not the
 * provider's issuer is denied before any statement is looked at.
 *
 * <pre>{@code
 * TrustPolicy trust = TrustPolicy.fromJson(seedTrustJson);
 * OidcProvider cluster = OidcProvider.fromArn(trust.federatedPrincipals().get(0));
 *
 * TrustEvaluator.evaluate(trust, WebIdentityRequest.serviceAccountToken(cluster, new ServiceAccountRef("dev", "app-deployer")))
 *         .allowed();   // true
 * TrustEvaluator.evaluate(trust, WebIdentityRequest.serviceAccountToken(cluster, new ServiceAccountRef("prod", "app-deployer")))
 *         .explanation();   // "... StringEquals ...:sub: expected one of [...dev:app-deployer]; request has [...prod:app-deployer]"
 * }</pre>
 */
public final class TrustEvaluator {
    /** The claims IAM turns into {@code <hostPath>:<claim>} condition keys for OIDC providers. */
    public static final Set<String> CONDITION_CLAIMS = Set.of("sub", "aud", "amr");

    private TrustEvaluator() {
    }

    /** Parses the trust policy (plain or URL-encoded, see {@link TrustPolicy#fromJson}) and evaluates it. */
    public static TrustDecision evaluate(String trustPolicyJson, WebIdentityRequest request) {
        return evaluate(TrustPolicy.fromJson(trustPolicyJson), request);
    }

    /** Whether {@code request} may assume a role with this trust policy, and why. */
    public static TrustDecision evaluate(TrustPolicy policy, WebIdentityRequest request) {
        OidcProvider provider = OidcProvider.fromArn(request.providerArn());
        Object iss = request.claims().get("iss");
        if (iss != null && !stripSlash(String.valueOf(iss)).equals(provider.issuerUrl())) {
            return new TrustDecision(false, "the token's issuer " + iss + " is not the issuer of provider " + provider.arn()
                    + " (" + provider.issuerUrl() + "); STS rejects it before evaluating the trust policy");
        }
        Map<String, List<String>> context = context(provider, request.claims());
        return decide(policy.toIamPolicy(), p -> admits(p, provider.arn()), "the token's provider " + provider.arn(),
                TrustPolicy.ASSUME_ROLE_WITH_WEB_IDENTITY, context);
    }

    /**
     * Decides an EKS Pod Identity assumption: the {@code pods.eks.amazonaws.com} service calls
     * {@code sts:AssumeRole} with session tags, so both {@code sts:AssumeRole} and {@code sts:TagSession}
     * must be allowed; the request context holds {@code aws:SourceAccount} and {@code aws:SourceArn}
     * (the cluster ARN).
     *
     * <pre>{@code
     * TrustPolicy pod = TrustPolicy.podIdentity(b -> b.sourceAccount("111122223333"));
     * TrustEvaluator.evaluatePodIdentity(pod, "111122223333", "arn:aws:eks:eu-west-1:111122223333:cluster/devops").allowed();   // true
     * TrustEvaluator.evaluatePodIdentity(pod, "999988887777", "arn:aws:eks:eu-west-1:999988887777:cluster/other").allowed();    // false
     * }</pre>
     */
    public static TrustDecision evaluatePodIdentity(TrustPolicy policy, String sourceAccount, String clusterArn) {
        dev.irsa.validation.Validators.accountId("podIdentity.sourceAccount", sourceAccount);
        dev.irsa.validation.Validators.eksClusterArn("podIdentity.sourceArn", clusterArn);
        Map<String, List<String>> context = new LinkedHashMap<>();
        context.put("aws:sourceaccount", List.of(sourceAccount));
        context.put("aws:sourcearn", List.of(clusterArn));
        java.util.function.Predicate<IamPrincipal> service = p -> IamPrincipal.ALL.equals(p)
                || ("*".equals(p.id()) && IamPrincipalType.AWS.equals(p.type()))
                || (IamPrincipalType.SERVICE.equals(p.type()) && TrustPolicy.POD_IDENTITY_SERVICE.equals(p.id()));
        TrustDecision assume = decide(policy.toIamPolicy(), service, "service " + TrustPolicy.POD_IDENTITY_SERVICE, "sts:AssumeRole", context);
        TrustDecision tag = decide(policy.toIamPolicy(), service, "service " + TrustPolicy.POD_IDENTITY_SERVICE, "sts:TagSession", context);
        if (!assume.allowed()) {
            return new TrustDecision(false, "sts:AssumeRole " + assume.explanation());
        }
        if (!tag.allowed()) {
            return new TrustDecision(false, "sts:AssumeRole is allowed but sts:TagSession is not (EKS tags every pod identity session): "
                    + tag.explanation());
        }
        return new TrustDecision(true, "sts:AssumeRole " + assume.explanation() + "; sts:TagSession " + tag.explanation());
    }

    private static TrustDecision decide(IamPolicy iam, java.util.function.Predicate<IamPrincipal> principalMatches, String caller,
                                        String action, Map<String, List<String>> context) {
        List<String> notApplying = new ArrayList<>();
        String allowedBy = null;
        for (int i = 0; i < iam.statements().size(); i++) {
            IamStatement statement = iam.statements().get(i);
            boolean deny = IamEffect.DENY.equals(statement.effect());
            String name = "Statement[" + i + "]" + (statement.sid() == null ? "" : " \"" + statement.sid() + "\"")
                    + " (" + (deny ? "Deny" : "Allow") + ")";
            String principalMiss = principalMismatch(statement, principalMatches, caller);
            if (principalMiss != null) {
                notApplying.add(name + ": " + principalMiss);
                continue;
            }
            String actionMiss = actionMismatch(statement, action);
            if (actionMiss != null) {
                notApplying.add(name + ": " + actionMiss);
                continue;
            }
            ConditionEvaluator.Result conditions = ConditionEvaluator.evaluate(statement.conditions(), context);
            if (!conditions.matched()) {
                notApplying.add(name + ": " + conditions.explanation());
                continue;
            }
            if (deny) {
                return new TrustDecision(false, "explicitly denied by " + name + " (" + conditions.explanation() + "); an explicit Deny wins over any Allow");
            }
            if (allowedBy == null) {
                allowedBy = name + " (" + conditions.explanation() + ")";
            }
        }
        if (allowedBy != null) {
            return new TrustDecision(true, "allowed by " + allowedBy + "; no Deny statement applies");
        }
        return new TrustDecision(false, "implicitly denied: no Allow statement applies. " + String.join(". ", notApplying));
    }

    private static Map<String, List<String>> context(OidcProvider provider, Map<String, Object> claims) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        claims.forEach((claim, value) -> {
            if (!CONDITION_CLAIMS.contains(claim) || value == null) {
                return;
            }
            List<String> values = new ArrayList<>();
            if (value instanceof Collection<?> many) {
                many.forEach(v -> values.add(String.valueOf(v)));
            } else {
                values.add(String.valueOf(value));
            }
            context.put(provider.conditionKey(claim).toLowerCase(Locale.ROOT), List.copyOf(values));
        });
        return context;
    }

    private static String principalMismatch(IamStatement statement, java.util.function.Predicate<IamPrincipal> matches, String caller) {
        if (!statement.principals().isEmpty()) {
            for (IamPrincipal p : statement.principals()) {
                if (matches.test(p)) {
                    return null;
                }
            }
            return "Principal " + describe(statement.principals()) + " does not name " + caller;
        }
        for (IamPrincipal p : statement.notPrincipals()) {
            if (matches.test(p)) {
                return "NotPrincipal " + describe(statement.notPrincipals()) + " excludes " + caller;
            }
        }
        return null;
    }

    private static boolean admits(IamPrincipal p, String providerArn) {
        if (IamPrincipal.ALL.equals(p) || ("*".equals(p.id()) && IamPrincipalType.AWS.equals(p.type()))) {
            return true;
        }
        return IamPrincipalType.FEDERATED.equals(p.type()) && p.id().equals(providerArn);
    }

    private static String describe(List<IamPrincipal> principals) {
        return principals.stream().map(p -> p.type().value() + ":" + p.id()).toList().toString();
    }

    private static String actionMismatch(IamStatement statement, String action) {
        if (!statement.actions().isEmpty()) {
            for (IamAction a : statement.actions()) {
                if (ConditionEvaluator.actionMatches(a.value(), action)) {
                    return null;
                }
            }
            return "Action " + statement.actions().stream().map(IamAction::value).toList() + " does not cover " + action;
        }
        for (IamAction a : statement.notActions()) {
            if (ConditionEvaluator.actionMatches(a.value(), action)) {
                return "NotAction " + statement.notActions().stream().map(IamAction::value).toList() + " excludes " + action;
            }
        }
        return null;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}

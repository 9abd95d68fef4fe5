package dev.irsa.policy;

import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * PLACEHOLDER (replaced on merge by the policy helper's evaluator): minimal web-identity trust
 * evaluation — Federated principal, sts:AssumeRoleWithWebIdentity, StringEquals/StringLike on
 * {@code <provider hostPath>:<claim>}; any other operator fails closed.
 */
public final class TrustEvaluator {
    private static final String ACTION = "sts:AssumeRoleWithWebIdentity";

    private TrustEvaluator() {
    }

    public static TrustDecision evaluate(String trustPolicyJson, WebIdentityRequest request) {
        String json = trustPolicyJson.trim().startsWith("%") ? URLDecoder.decode(trustPolicyJson, StandardCharsets.UTF_8) : trustPolicyJson;
        IamPolicy policy = IamPolicy.fromJson(json);
        String hostPath = request.providerArn().substring(request.providerArn().indexOf("oidc-provider/") + "oidc-provider/".length());
        boolean allowed = false;
        List<String> why = new ArrayList<>();
        for (IamStatement st : policy.statements()) {
            if (!applies(st, request.providerArn())) {
                continue;
            }
            String failed = failedCondition(st, hostPath, request.claims());
            if (failed != null) {
                why.add("statement " + (st.sid() == null ? "" : st.sid()) + " condition not met: " + failed);
                continue;
            }
            if (st.effect() == IamEffect.DENY) {
                return new TrustDecision(false, "explicitly denied by statement " + st.sid());
            }
            allowed = true;
        }
        if (allowed) {
            return new TrustDecision(true, "allowed");
        }
        return new TrustDecision(false, why.isEmpty() ? "no statement trusts " + request.providerArn() + " for " + ACTION : String.join("; ", why));
    }

    private static boolean applies(IamStatement st, String providerArn) {
        boolean principal = false;
        for (IamPrincipal p : st.principals()) {
            if ("Federated".equals(p.type().value()) && providerArn.equals(p.id())) {
                principal = true;
            }
        }
        boolean action = st.actions().stream().anyMatch(a -> a.value().equals(ACTION) || a.value().equals("sts:*") || a.value().equals("*"));
        return principal && action;
    }

    private static String failedCondition(IamStatement st, String hostPath, Map<String, Object> claims) {
        Map<String, List<IamCondition>> groups = new LinkedHashMap<>();
        for (IamCondition c : st.conditions()) {
            groups.computeIfAbsent(c.operator().value() + " " + c.key().value(), k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<IamCondition>> group : groups.entrySet()) {
            IamCondition first = group.getValue().get(0);
            String op = first.operator().value();
            String key = first.key().value();
            List<String> actual = claimValues(key, hostPath, claims);
            boolean any = false;
            for (IamCondition c : group.getValue()) {
                for (String v : actual) {
                    if ("StringEquals".equals(op) && v.equals(c.value())) {
                        any = true;
                    } else if ("StringLike".equals(op) && glob(c.value()).matcher(v).matches()) {
                        any = true;
                    }
                }
            }
            if (!any) {
                return group.getKey() + " (token has " + actual + ")";
            }
        }
        return null;
    }

    private static List<String> claimValues(String key, String hostPath, Map<String, Object> claims) {
        if (!key.startsWith(hostPath + ":")) {
            return List.of();
        }
        Object v = claims.get(key.substring(hostPath.length() + 1));
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return v == null ? List.of() : List.of(String.valueOf(v));
    }

    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}

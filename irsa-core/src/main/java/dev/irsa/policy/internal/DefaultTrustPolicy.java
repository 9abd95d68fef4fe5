package dev.irsa.policy.internal;

import dev.irsa.policy.TrustPolicy;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@link TrustPolicy} implementation: an {@link IamPolicy} plus the JSON shape to write it in. */
public final class DefaultTrustPolicy extends RenderedPolicy implements TrustPolicy {
    private final boolean wildcardSubjectsRequested;

    DefaultTrustPolicy(IamPolicy policy, PolicyJson.Shape shape, boolean wildcardSubjectsRequested) {
        super(policy, shape);
        this.wildcardSubjectsRequested = wildcardSubjectsRequested;
    }

    public static TrustPolicy fromJson(String json) {
        PolicyJson.Parsed parsed = PolicyJson.parse("trustPolicy", json, PolicyJson.Kind.TRUST);
        return new DefaultTrustPolicy(parsed.policy(), parsed.shape(), false);
    }

    public static TrustPolicy fromIamPolicy(IamPolicy policy) {
        return fromJson(canonicalJson(policy));
    }

    @Override
    public boolean equivalentTo(TrustPolicy other) {
        return other != null && PolicyEquivalence.equivalent(policy, other.toIamPolicy());
    }

    @Override
    public List<String> federatedPrincipals() {
        Set<String> result = new LinkedHashSet<>();
        for (IamStatement statement : policy.statements()) {
            if (IamEffect.ALLOW.equals(statement.effect())) {
                for (IamPrincipal principal : statement.principals()) {
                    if (IamPrincipalType.FEDERATED.equals(principal.type())) {
                        result.add(principal.id());
                    }
                }
            }
        }
        return List.copyOf(result);
    }

    @Override
    public boolean wildcardSubjectsRequested() {
        return wildcardSubjectsRequested;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DefaultTrustPolicy other && policy.equals(other.policy);
    }

    @Override
    public String toString() {
        return "TrustPolicy" + compact;
    }
}

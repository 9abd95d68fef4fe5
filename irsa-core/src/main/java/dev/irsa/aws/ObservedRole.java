package dev.irsa.aws;

import java.util.Map;
import java.util.Set;

/**
 * An IAM role as IAM reports it, with documents already URL-decoded: trust policy, inline policies
 * (name → JSON) and attached managed policy ARNs.
 */
public record ObservedRole(
        String name,
        String arn,
        String path,
        String description,
        int maxSessionDurationSeconds,
        String permissionsBoundaryArn,
        String trustPolicyJson,
        Map<String, String> tags,
        Map<String, String> inlinePolicies,
        Set<String> managedPolicyArns) {

    public ObservedRole {
        tags = Map.copyOf(tags);
        inlinePolicies = Map.copyOf(inlinePolicies);
        managedPolicyArns = Set.copyOf(managedPolicyArns);
    }

    public boolean ownedBy(Ownership ownership) {
        return ownership.owns(tags);
    }
}

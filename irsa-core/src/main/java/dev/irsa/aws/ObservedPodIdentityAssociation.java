package dev.irsa.aws;

import java.util.Map;

/** An EKS pod identity association as EKS reports it. */
public record ObservedPodIdentityAssociation(String associationId, String associationArn, String clusterName,
                                             String namespace, String serviceAccount, String roleArn, Map<String, String> tags) {
    public ObservedPodIdentityAssociation {
        tags = Map.copyOf(tags);
    }

    public boolean ownedBy(Ownership ownership) {
        return ownership.owns(tags);
    }
}

package dev.irsa.aws;

import java.util.List;
import java.util.Map;

/** An IAM OIDC provider as IAM reports it ({@code url} without {@code https://}, as IAM stores it). */
public record ObservedOidcProvider(String arn, String url, List<String> clientIds, List<String> thumbprints, Map<String, String> tags) {
    public ObservedOidcProvider {
        clientIds = List.copyOf(clientIds);
        thumbprints = List.copyOf(thumbprints);
        tags = Map.copyOf(tags);
    }

    public boolean ownedBy(Ownership ownership) {
        return ownership.owns(tags);
    }
}

package dev.irsa.aws;

import dev.irsa.validation.Validators;

import java.util.List;

/**
 * The IAM OIDC provider a cluster (or GitLab) needs. Client ids default to {@code sts.amazonaws.com};
 * thumbprints are optional (IAM verifies well-known issuers through its own trust store).
 *
 * <pre>{@code
 * DesiredOidcProvider p = DesiredOidcProvider.forIssuer("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC");
 * }</pre>
 */
public record DesiredOidcProvider(String issuerUrl, List<String> clientIds, List<String> thumbprints) {
    public static final String STS_AUDIENCE = "sts.amazonaws.com";

    public DesiredOidcProvider {
        issuerUrl = Validators.issuerUrl("oidcProvider.issuerUrl", issuerUrl);
        clientIds = List.copyOf(clientIds);
        thumbprints = List.copyOf(thumbprints);
        if (clientIds.isEmpty() || clientIds.size() > 100) {
            throw new dev.irsa.ValidationException("oidcProvider.clientIds", clientIds, "an OIDC provider has 1-100 client ids");
        }
        for (String id : clientIds) {
            Validators.notBlank("oidcProvider.clientIds", id);
            if (id.length() > 255) {
                throw new dev.irsa.ValidationException("oidcProvider.clientIds", id, "a client id has at most 255 characters");
            }
        }
        if (thumbprints.size() > 5) {
            throw new dev.irsa.ValidationException("oidcProvider.thumbprints", thumbprints, "an OIDC provider has at most 5 thumbprints");
        }
        thumbprints.forEach(t -> Validators.thumbprint("oidcProvider.thumbprints", t));
    }

    public static DesiredOidcProvider forIssuer(String issuerUrl) {
        return new DesiredOidcProvider(issuerUrl, List.of(STS_AUDIENCE), List.of());
    }

    public String hostPath() {
        return issuerUrl.substring("https://".length());
    }
}

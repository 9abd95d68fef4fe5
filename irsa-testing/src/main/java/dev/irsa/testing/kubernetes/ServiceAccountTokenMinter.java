package dev.irsa.testing.kubernetes;

import java.util.List;

/**
 * Issues the token a TokenRequest returns, the way the API server's service-account issuer would: a JWT
 * with {@code sub = system:serviceaccount:<namespace>:<serviceAccount>}, the requested audiences and
 * lifetime, signed by the cluster's OIDC issuer key. Plug in the fake OIDC issuer's minting method.
 */
@FunctionalInterface
public interface ServiceAccountTokenMinter {
    String mint(String namespace, String serviceAccount, List<String> audiences, long expirationSeconds);
}

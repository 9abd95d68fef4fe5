package dev.irsa.kubernetes;

import dev.irsa.SecretString;

import java.time.Instant;
import java.util.List;

/**
 * A token issued by the TokenRequest API for a service account, for a verify step to present to STS.
 * {@link #toString()} never shows the token.
 */
public record ServiceAccountToken(String namespace, String serviceAccount, List<String> audiences,
                                  SecretString token, Instant expiresAt) {
    public ServiceAccountToken {
        audiences = List.copyOf(audiences);
    }
}

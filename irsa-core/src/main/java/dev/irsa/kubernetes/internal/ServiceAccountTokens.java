package dev.irsa.kubernetes.internal;

import dev.irsa.IrsaException;
import dev.irsa.SecretString;
import dev.irsa.kubernetes.ServiceAccountToken;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** Asks the TokenRequest API ({@code POST .../serviceaccounts/{name}/token}) for a short-lived token. */
public final class ServiceAccountTokens {
    private final KubernetesClient client;

    public ServiceAccountTokens(KubernetesClient client) {
        this.client = client;
    }

    public ServiceAccountToken request(String namespace, String serviceAccount, String audience, Duration lifetime) {
        String target = "ServiceAccount " + namespace + "/" + serviceAccount;
        TokenRequest answer;
        try {
            answer = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
                    .tokenRequest(new TokenRequestBuilder()
                            .withNewSpec().withAudiences(audience).withExpirationSeconds(lifetime.getSeconds()).endSpec()
                            .build());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new IrsaException(target + ": token request failed: the service account does not exist");
            }
            // The request carried no secret but the answer would: keep the cause out.
            throw ConflictRetry.redactedFailure(client, target, "token request", e);
        }
        if (answer == null || answer.getStatus() == null || answer.getStatus().getToken() == null || answer.getStatus().getToken().isEmpty()) {
            throw new IrsaException(target + ": the TokenRequest answer holds no token");
        }
        SecretString token = SecretString.of(answer.getStatus().getToken());
        Instant expiresAt = answer.getStatus().getExpirationTimestamp() == null ? null
                : OffsetDateTime.parse(answer.getStatus().getExpirationTimestamp()).toInstant();
        List<String> audiences = answer.getSpec() != null && answer.getSpec().getAudiences() != null && !answer.getSpec().getAudiences().isEmpty()
                ? answer.getSpec().getAudiences() : List.of(audience);
        return new ServiceAccountToken(namespace, serviceAccount, audiences, token, expiresAt);
    }
}

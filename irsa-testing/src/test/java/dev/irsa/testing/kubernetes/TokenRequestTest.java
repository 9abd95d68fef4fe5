package dev.irsa.testing.kubernetes;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.irsa.IrsaException;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.kubernetes.ServiceAccountToken;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TokenRequest path with a real RS256 JWT, as the lead will wire the fake OIDC issuer in. */
class TokenRequestTest {
    private static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final RSAKey key = generateKey();
    private final SimulatedEksCluster eks = SimulatedEksCluster.builder().region("eu-west-1")
            .clock(Clock.fixed(NOW, ZoneOffset.UTC)).tokenMinter(this::mint).start();
    private final KubernetesExecutor executor = KubernetesExecutor.of(eks.client());

    @AfterEach
    void close() {
        eks.close();
    }

    private static RSAKey generateKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("test-key").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String mint(String namespace, String serviceAccount, List<String> audiences, long expirationSeconds) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER)
                    .subject("system:serviceaccount:" + namespace + ":" + serviceAccount)
                    .audience(audiences).issueTime(Date.from(NOW)).notBeforeTime(Date.from(NOW))
                    .expirationTime(Date.from(NOW.plusSeconds(expirationSeconds))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theExecutorGetsASignedTokenForTheServiceAccountAndSts() throws Exception {
        executor.ensureNamespace("gitlab-runner", "demo");
        executor.ensureServiceAccount(ServiceAccountBinding.of(b -> b.namespace("gitlab-runner").name("ci-jobs").stack("demo")
                .roleArn("arn:aws:iam::123456789012:role/gitlab-jobs")));

        ServiceAccountToken token = executor.requestToken("gitlab-runner", "ci-jobs", Duration.ofHours(1));

        SignedJWT jwt = SignedJWT.parse(token.token().reveal());
        assertThat(jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(ISSUER);
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("system:serviceaccount:gitlab-runner:ci-jobs");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("sts.amazonaws.com");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(token.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(token.audiences()).containsExactly("sts.amazonaws.com");
        assertThat(token.toString()).doesNotContain(token.token().reveal());
        assertThat(eks.webhook().tokensIssued()).isEqualTo(1);
    }

    @Test
    void aMissingServiceAccountIs404() {
        assertThatThrownBy(() -> executor.requestToken("gitlab-runner", "nobody", Duration.ofHours(1)))
                .isInstanceOf(IrsaException.class).hasMessageContaining("does not exist");
        assertThat(eks.webhook().tokensIssued()).isZero();
    }

    @Test
    void defaultsAndLimitsAsTheApiServer() {
        eks.client().serviceAccounts().inNamespace("ns").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("sa").endMetadata().build()).create();
        var answer = eks.client().serviceAccounts().inNamespace("ns").withName("sa").tokenRequest(new TokenRequestBuilder().withNewSpec().endSpec().build());
        assertThat(answer.getSpec().getAudiences()).containsExactly(PodIdentityWebhook.API_SERVER_AUDIENCE);
        assertThat(answer.getSpec().getExpirationSeconds()).isEqualTo(3600L);
        assertThatThrownBy(() -> eks.client().serviceAccounts().inNamespace("ns").withName("sa")
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(60L).endSpec().build()))
                .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }

    @Test
    void withoutAMinterTokenRequestsAreUnavailable() {
        try (SimulatedEksCluster bare = SimulatedEksCluster.builder().start()) {
            bare.client().serviceAccounts().inNamespace("ns").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                    .withNewMetadata().withName("sa").endMetadata().build()).create();
            assertThatThrownBy(() -> KubernetesExecutor.of(bare.client()).requestToken("ns", "sa", Duration.ofHours(1)))
                    .isInstanceOf(IrsaException.class).hasMessageContaining("HTTP 503");
        }
    }
}

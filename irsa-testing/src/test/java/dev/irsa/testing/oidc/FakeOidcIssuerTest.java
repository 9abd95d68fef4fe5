package dev.irsa.testing.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeOidcIssuerTest {
    private static String get(URI uri) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void servesDiscoveryAndJwksOnLoopbackUnderItsOwnIssuerIdentifier() throws Exception {
        try (FakeOidcIssuer issuer = FakeOidcIssuer.eks("eu-west-1").start()) {
            assertThat(issuer.localUrl().getHost()).isEqualTo("127.0.0.1");
            assertThat(issuer.issuerUrl()).matches("https://oidc\\.eks\\.eu-west-1\\.amazonaws\\.com/id/[0-9A-F]{32}");
            JsonNode discovery = new ObjectMapper().readTree(get(issuer.localUrl().resolve("/.well-known/openid-configuration")));
            assertThat(discovery.get("issuer").asText()).isEqualTo(issuer.issuerUrl());
            assertThat(discovery.get("jwks_uri").asText()).isEqualTo(issuer.issuerUrl() + "/keys");
            JWKSet served = JWKSet.parse(get(issuer.localUrl().resolve("/keys")));
            assertThat(served.getKeys()).hasSize(1);
            assertThat(served.getKeys().get(0).isPrivate()).isFalse();
            assertThat(served.toString()).isEqualTo(issuer.jwks().toString());
        }
    }

    @Test
    void serviceAccountTokensCarryTheEksClaimsAndVerifyAgainstTheJwks() throws Exception {
        try (FakeOidcIssuer issuer = FakeOidcIssuer.eks("eu-west-1")) {
            SignedJWT jwt = SignedJWT.parse(issuer.mintServiceAccountToken("ci", "deployer", List.of("sts.amazonaws.com"), Duration.ofHours(24)));
            assertThat(jwt.verify(new RSASSAVerifier((RSAKey) issuer.jwks().getKeys().get(0)))).isTrue();
            var claims = jwt.getJWTClaimsSet();
            assertThat(claims.getIssuer()).isEqualTo(issuer.issuerUrl());
            assertThat(claims.getSubject()).isEqualTo("system:serviceaccount:ci:deployer");
            assertThat(claims.getAudience()).containsExactly("sts.amazonaws.com");
            assertThat(jwt.getPayload().toJSONObject().get("aud")).isEqualTo(List.of("sts.amazonaws.com"));
            assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(Duration.ofHours(24).toMillis());
            assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
            @SuppressWarnings("unchecked")
            Map<String, Object> k8s = (Map<String, Object>) claims.getClaim("kubernetes.io");
            assertThat(k8s).containsEntry("namespace", "ci");
            @SuppressWarnings("unchecked")
            Map<String, Object> sa = (Map<String, Object>) k8s.get("serviceaccount");
            assertThat(sa).containsEntry("name", "deployer").containsKey("uid");
        }
    }

    @Test
    void gitLabTokensCarryGitLabsClaims() throws Exception {
        try (FakeOidcIssuer gitlab = FakeOidcIssuer.gitlab(java.time.Clock.systemUTC())) {
            SignedJWT jwt = SignedJWT.parse(gitlab.mintGitLabToken("group/sub/app", "tag", "v1.2.0", List.of("sts.amazonaws.com"), Duration.ofMinutes(5)));
            var claims = jwt.getJWTClaimsSet();
            assertThat(jwt.getPayload().toJSONObject().get("aud")).isEqualTo("sts.amazonaws.com");
            assertThat(claims.getSubject()).isEqualTo("project_path:group/sub/app:ref_type:tag:ref:v1.2.0");
            assertThat(claims.getStringClaim("namespace_path")).isEqualTo("group/sub");
            assertThat(claims.getStringClaim("project_path")).isEqualTo("group/sub/app");
            assertThat(claims.getStringClaim("ref_path")).isEqualTo("refs/tags/v1.2.0");
            assertThat(claims.getIssuer()).isEqualTo("https://gitlab.com");
        }
        assertThatThrownBy(() -> FakeOidcIssuer.create("http://127.0.0.1:8080")).hasMessageContaining("https");
    }
}

package dev.irsa.testing.aws;

import com.nimbusds.jose.jwk.JWKSet;
import dev.irsa.testing.oidc.FakeOidcIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.ExpiredTokenException;
import software.amazon.awssdk.services.sts.model.IdpCommunicationErrorException;
import software.amazon.awssdk.services.sts.model.InvalidIdentityTokenException;
import software.amazon.awssdk.services.sts.model.StsException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** FakeSts validates web identity tokens and evaluates trust the way STS does. */
class FakeStsTest {
    private final ManualClock clock = ManualClock.startingNow();
    private final FakeOidcIssuer issuer = FakeOidcIssuer.eks("eu-west-1", clock);
    private final FakeIam iam = FakeIam.builder().clock(clock).build();
    private final FakeSts sts = FakeSts.builder(iam).clock(clock).issuer(issuer).build();
    private final String providerArn = iam.createOpenIDConnectProvider(b -> b.url(issuer.issuerUrl()).clientIDList("sts.amazonaws.com"))
            .openIDConnectProviderArn();

    @AfterEach
    void close() {
        issuer.close();
    }

    private String role(String name, String operator, String sub) {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + providerArn
                + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"" + operator + "\":{\"" + issuer.hostPath()
                + ":sub\":\"" + sub + "\",\"" + issuer.hostPath() + ":aud\":\"sts.amazonaws.com\"}}}]}";
        return iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(trust)).role().arn();
    }

    private AssumeRoleWithWebIdentityResponse assume(String roleArn, String token) {
        return sts.assumeRoleWithWebIdentity(b -> b.roleArn(roleArn).roleSessionName("session").webIdentityToken(token));
    }

    private String saToken(String ns, String sa) {
        return issuer.mintServiceAccountToken(ns, sa, List.of("sts.amazonaws.com"), Duration.ofHours(1));
    }

    private static String code(Throwable e) {
        return ((AwsServiceException) e).awsErrorDetails().errorCode();
    }

    @Test
    void aMatchingServiceAccountTokenGetsCredentialsThatDoNotPrintSecrets() {
        String arn = role("deployer", "StringEquals", "system:serviceaccount:ci:deployer");
        AssumeRoleWithWebIdentityResponse r = assume(arn, saToken("ci", "deployer"));
        assertThat(r.credentials().accessKeyId()).startsWith("ASIA");
        assertThat(r.credentials().expiration()).isEqualTo(clock.instant().plusSeconds(3600));
        assertThat(r.provider()).isEqualTo(providerArn);
        assertThat(r.audience()).isEqualTo("sts.amazonaws.com");
        // The SDK's own toString redacts the secret key (its session token is not marked sensitive by the SDK).
        assertThat(r.toString()).doesNotContain(r.credentials().secretAccessKey());
    }

    @Test
    void anotherServiceAccountIsAccessDeniedWithTheReasonKeptAside() {
        String arn = role("deployer", "StringEquals", "system:serviceaccount:ci:deployer");
        assertThatThrownBy(() -> assume(arn, saToken("ci", "other")))
                .isInstanceOf(StsException.class)
                .satisfies(e -> {
                    assertThat(code(e)).isEqualTo("AccessDenied");
                    assertThat(((AwsServiceException) e).statusCode()).isEqualTo(403);
                    assertThat(e).hasMessageContaining("Not authorized to perform sts:AssumeRoleWithWebIdentity");
                });
        assertThat(sts.lastDenial()).hasValueSatisfying(d -> assertThat(d).contains("system:serviceaccount:ci:other"));
    }

    @Test
    void aWildcardUnderStringEqualsNeverMatchesButStringLikeDoes() {
        String equals = role("eq", "StringEquals", "system:serviceaccount:ci:*");
        String like = role("like", "StringLike", "system:serviceaccount:ci:*");
        assertThatThrownBy(() -> assume(equals, saToken("ci", "deployer"))).satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        assertThat(assume(like, saToken("ci", "deployer")).assumedRoleUser().arn()).endsWith(":assumed-role/like/session");
    }

    @Test
    void aTokenSignedByAnotherKeyIsAnInvalidIdentityToken() {
        String arn = role("deployer", "StringEquals", "system:serviceaccount:ci:deployer");
        try (FakeOidcIssuer impostor = FakeOidcIssuer.create(issuer.issuerUrl(), clock)) {
            String forged = impostor.mintServiceAccountToken("ci", "deployer", List.of("sts.amazonaws.com"), Duration.ofHours(1));
            assertThatThrownBy(() -> assume(arn, forged)).isInstanceOf(InvalidIdentityTokenException.class)
                    .hasMessageContaining("signature");
        }
        assertThatThrownBy(() -> assume(arn, "not-a-jwt")).isInstanceOf(InvalidIdentityTokenException.class);
    }

    @Test
    void anExpiredTokenIsExpiredTokenException() {
        String arn = role("deployer", "StringEquals", "system:serviceaccount:ci:deployer");
        String token = issuer.mintServiceAccountToken("ci", "deployer", List.of("sts.amazonaws.com"), Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(11));
        assertThatThrownBy(() -> assume(arn, token)).isInstanceOf(ExpiredTokenException.class)
                .satisfies(e -> assertThat(code(e)).isEqualTo("ExpiredTokenException"));
    }

    @Test
    void theAudienceMustBeAClientIdOfTheProvider() {
        String arn = role("deployer", "StringEquals", "system:serviceaccount:ci:deployer");
        String token = issuer.mintServiceAccountToken("ci", "deployer", List.of("https://kubernetes.default.svc"), Duration.ofHours(1));
        assertThatThrownBy(() -> assume(arn, token)).isInstanceOf(InvalidIdentityTokenException.class).hasMessageContaining("audience");
    }

    @Test
    void anIssuerWithoutAnIamProviderIsRejected() {
        try (FakeOidcIssuer unknown = FakeOidcIssuer.eks("us-east-1", clock)) {
            sts.registerIssuer(unknown);
            String arn = role("deployer", "StringEquals", "system:serviceaccount:ci:deployer");
            String token = unknown.mintServiceAccountToken("ci", "deployer", List.of("sts.amazonaws.com"), Duration.ofHours(1));
            assertThatThrownBy(() -> assume(arn, token)).isInstanceOf(InvalidIdentityTokenException.class)
                    .hasMessageContaining("No OpenIDConnect provider found");
        }
    }

    @Test
    void keysThatCannotBeFetchedAreAnIdpCommunicationError() {
        FakeSts blind = FakeSts.builder(iam).clock(clock).build();
        String arn = role("deployer", "StringEquals", "system:serviceaccount:ci:deployer");
        assertThatThrownBy(() -> blind.assumeRoleWithWebIdentity(b -> b.roleArn(arn).roleSessionName("s1").webIdentityToken(saToken("ci", "deployer"))))
                .isInstanceOf(IdpCommunicationErrorException.class);
        blind.registerIssuer(issuer.issuerUrl(), new JWKSet(issuer.jwks().getKeys()));
        assertThat(blind.assumeRoleWithWebIdentity(b -> b.roleArn(arn).roleSessionName("s1").webIdentityToken(saToken("ci", "deployer")))
                .credentials()).isNotNull();
    }

    @Test
    void aGitLabTokenIsJudgedByItsProjectPathSubject() {
        try (FakeOidcIssuer gitlab = FakeOidcIssuer.create("https://gitlab.example.com", clock)) {
            sts.registerIssuer(gitlab);
            String provider = iam.createOpenIDConnectProvider(b -> b.url(gitlab.issuerUrl()).clientIDList("https://gitlab.example.com"))
                    .openIDConnectProviderArn();
            String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + provider
                    + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringLike\":{\"gitlab.example.com:sub\":"
                    + "\"project_path:group/app:ref_type:branch:ref:main\"},\"StringEquals\":{\"gitlab.example.com:aud\":\"https://gitlab.example.com\"}}}]}";
            String arn = iam.createRole(b -> b.roleName("gitlab").assumeRolePolicyDocument(trust)).role().arn();
            String main = gitlab.mintGitLabToken("group/app", "branch", "main", List.of("https://gitlab.example.com"), Duration.ofMinutes(5));
            assertThat(assume(arn, main).subjectFromWebIdentityToken()).isEqualTo("project_path:group/app:ref_type:branch:ref:main");
            String feature = gitlab.mintGitLabToken("group/app", "branch", "feature", List.of("https://gitlab.example.com"), Duration.ofMinutes(5));
            assertThatThrownBy(() -> assume(arn, feature)).satisfies(e -> assertThat(code(e)).isEqualTo("AccessDenied"));
        }
    }

    @Test
    void sessionDurationCannotExceedTheRoleMaximum() {
        String arn = role("deployer", "StringEquals", "system:serviceaccount:ci:deployer");
        assertThatThrownBy(() -> sts.assumeRoleWithWebIdentity(b -> b.roleArn(arn).roleSessionName("s1").durationSeconds(7200)
                .webIdentityToken(saToken("ci", "deployer")))).hasMessageContaining("MaxSessionDuration");
    }

    @Test
    void idpRejectedClaimCanBeInjected() {
        String arn = role("deployer", "StringEquals", "system:serviceaccount:ci:deployer");
        sts.faults().fail("AssumeRoleWithWebIdentity", 1, "IDPRejectedClaim", 403, "The identity provider reported that authentication failed.");
        assertThatThrownBy(() -> assume(arn, saToken("ci", "deployer")))
                .isInstanceOf(software.amazon.awssdk.services.sts.model.IdpRejectedClaimException.class);
    }

    @Test
    void callerIdentityIsConfigurable() {
        assertThat(sts.getCallerIdentity(b -> { }).account()).isEqualTo("123456789012");
        sts.callerArn("arn:aws-us-gov:sts::111122223333:assumed-role/admin/me");
        assertThat(sts.getCallerIdentity(b -> { })).satisfies(r -> {
            assertThat(r.account()).isEqualTo("111122223333");
            assertThat(r.arn()).startsWith("arn:aws-us-gov:");
        });
        assertThat(sts.calls().counts()).isEqualTo(Map.of("GetCallerIdentity", 2));
    }
}

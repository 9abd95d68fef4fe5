package dev.irsa.testing.aws;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.irsa.Sleeper;
import dev.irsa.policy.TrustDecision;
import dev.irsa.policy.TrustEvaluator;
import dev.irsa.policy.WebIdentityRequest;
import dev.irsa.testing.oidc.FakeOidcIssuer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.AssumedRoleUser;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.ExpiredTokenException;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.IdpCommunicationErrorException;
import software.amazon.awssdk.services.sts.model.IdpRejectedClaimException;
import software.amazon.awssdk.services.sts.model.InvalidIdentityTokenException;
import software.amazon.awssdk.services.sts.model.StsException;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * An in-memory STS that does what moto does not: {@code AssumeRoleWithWebIdentity} verifies the
 * token's signature against the JWKS of its issuer, requires an IAM OIDC provider for that issuer in
 * the {@link FakeIam} with the token's audience among its client ids, checks expiry, then evaluates
 * the role's trust policy with irsa's {@link TrustEvaluator}. It fails the way AWS does:
 * {@code InvalidIdentityToken}, {@code ExpiredTokenException}, {@code AccessDenied} (403, no reason,
 * like AWS; the reason is kept in {@link #lastDenial()}), {@code IDPRejectedClaim} via faults.
 * Roles and trusts still propagating in the fake IAM are {@code AccessDenied}, like real IAM's
 * eventual consistency.
 *
 * <pre>{@code
 * FakeSts sts = FakeSts.builder(iam).clock(clock).issuer(issuer).build();
 * sts.assumeRoleWithWebIdentity(b -> b.roleArn(arn).roleSessionName("ci").webIdentityToken(token));
 * }</pre>
 */
public final class FakeSts extends FakeAwsService implements StsClient {
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

    private final FakeIam iam;
    private final Map<String, JWKSet> jwksByIssuer = new LinkedHashMap<>();
    private final Random random;
    private String callerArn;
    private String callerUserId;
    private String lastDenial;

    private FakeSts(Builder b) {
        super("sts", b.clock, b.sleeper, FakeSts::error);
        this.iam = Objects.requireNonNull(b.iam, "iam");
        this.random = new Random(b.seed);
        this.callerArn = b.callerArn != null ? b.callerArn : "arn:" + iam.partition() + ":iam::" + iam.accountId() + ":user/irsa-test";
        this.callerUserId = "AIDA" + "EXAMPLEUSERID0001";
        b.issuers.forEach(i -> jwksByIssuer.put(i.issuerUrl(), i.jwks()));
    }

    public static Builder builder(FakeIam iam) {
        return new Builder(iam);
    }

    /** Trust this issuer's keys (as STS would fetch them from its JWKS endpoint). */
    public synchronized FakeSts registerIssuer(FakeOidcIssuer issuer) {
        jwksByIssuer.put(issuer.issuerUrl(), issuer.jwks());
        return this;
    }

    /** Trust these keys for tokens whose {@code iss} is {@code issuerUrl}. */
    public synchronized FakeSts registerIssuer(String issuerUrl, JWKSet jwks) {
        jwksByIssuer.put(issuerUrl, jwks);
        return this;
    }

    /** Who {@code GetCallerIdentity} says the caller is (account taken from the ARN). */
    public synchronized FakeSts callerArn(String arn) {
        this.callerArn = arn;
        return this;
    }

    /** Why the last {@code AssumeRoleWithWebIdentity} was refused (AWS does not say; tests and doctors may). */
    public synchronized Optional<String> lastDenial() {
        return Optional.ofNullable(lastDenial);
    }

    @Override
    protected void clearState() {
        lastDenial = null;
    }

    @Override
    public String serviceName() {
        return "sts";
    }

    @Override
    public GetCallerIdentityResponse getCallerIdentity(GetCallerIdentityRequest req) {
        return invoke("GetCallerIdentity", () -> GetCallerIdentityResponse.builder()
                .account(callerArn.split(":")[4]).arn(callerArn).userId(callerUserId).build());
    }

    @Override
    public AssumeRoleWithWebIdentityResponse assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest req) {
        return invoke("AssumeRoleWithWebIdentity", () -> {
            lastDenial = null;
            if (req.roleSessionName() == null || !SESSION_NAME.matcher(req.roleSessionName()).matches()) {
                throw error("ValidationError", 400, "1 validation error detected: Value '" + req.roleSessionName()
                        + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
            }
            if (req.webIdentityToken() == null || req.webIdentityToken().length() < 4 || req.webIdentityToken().length() > 20000) {
                throw error("ValidationError", 400, "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length between 4 and 20000");
            }
            SignedJWT jwt;
            JWTClaimsSet claims;
            try {
                jwt = SignedJWT.parse(req.webIdentityToken());
                claims = jwt.getJWTClaimsSet();
            } catch (ParseException e) {
                throw error("InvalidIdentityToken", 400, "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
            }
            String iss = claims.getIssuer();
            if (iss == null) {
                throw error("InvalidIdentityToken", 400, "The token is missing the iss claim.");
            }
            FakeIam.OidcProviderView provider = iam.oidcProviderForIssuer(iss).orElseThrow(() ->
                    error("InvalidIdentityToken", 400, "No OpenIDConnect provider found in your account for " + iss));
            if (provider.propagating()) {
                throw error("InvalidIdentityToken", 400, "No OpenIDConnect provider found in your account for " + iss);
            }
            List<String> audiences = claims.getAudience() == null ? List.of() : claims.getAudience();
            if (audiences.stream().noneMatch(provider.clientIds()::contains)) {
                throw error("InvalidIdentityToken", 400, "Incorrect token audience");
            }
            verifySignature(jwt, iss);
            Instant now = clock.instant();
            if (claims.getExpirationTime() == null) {
                throw error("InvalidIdentityToken", 400, "The token is missing the exp claim.");
            }
            if (!now.isBefore(claims.getExpirationTime().toInstant())) {
                throw error("ExpiredTokenException", 400, "Token expired: current date/time " + now
                        + " must be before the expiration date/time " + claims.getExpirationTime().toInstant());
            }
            if (claims.getNotBeforeTime() != null && now.isBefore(claims.getNotBeforeTime().toInstant())) {
                throw error("InvalidIdentityToken", 400, "Token used before its nbf time");
            }
            Optional<FakeIam.RoleView> role = iam.roleForArn(req.roleArn());
            if (role.isEmpty() || role.get().propagating()) {
                lastDenial = role.isEmpty() ? "no role " + req.roleArn() : "role " + req.roleArn() + " (or its trust policy) has not propagated yet";
                throw accessDenied();
            }
            Map<String, Object> claimMap = new LinkedHashMap<>(claims.getClaims());
            claimMap.replaceAll((k, v) -> v instanceof java.util.Date d ? d.toInstant().getEpochSecond() : v);
            TrustDecision decision = TrustEvaluator.evaluate(role.get().trustPolicyJson(), new WebIdentityRequest(provider.arn(), claimMap));
            if (!decision.allowed()) {
                lastDenial = decision.explanation();
                throw accessDenied();
            }
            int duration = req.durationSeconds() == null ? 3600 : req.durationSeconds();
            if (duration < 900 || duration > role.get().maxSessionDurationSeconds()) {
                throw error("ValidationError", 400, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
            }
            String session = req.roleSessionName();
            return AssumeRoleWithWebIdentityResponse.builder()
                    .credentials(Credentials.builder().accessKeyId("ASIA" + random(16)).secretAccessKey(random(40))
                            .sessionToken("FwoGZXIvYXdzE" + random(120)).expiration(now.plusSeconds(duration)).build())
                    .assumedRoleUser(AssumedRoleUser.builder()
                            .arn("arn:" + iam.partition() + ":sts::" + iam.accountId() + ":assumed-role/" + role.get().name() + "/" + session)
                            .assumedRoleId(role.get().roleId() + ":" + session).build())
                    .subjectFromWebIdentityToken(claims.getSubject())
                    .audience(audiences.get(0))
                    .provider(provider.arn())
                    .build();
        });
    }

    private void verifySignature(SignedJWT jwt, String iss) {
        JWKSet jwks = jwksByIssuer.get(iss);
        if (jwks == null) {
            throw IdpCommunicationErrorException.builder().message("Couldn't retrieve verification key from your identity provider, "
                    + "please reference AssumeRoleWithWebIdentity documentation for requirements").statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("IDPCommunicationError").serviceName("Sts")
                            .errorMessage("Couldn't retrieve verification key from your identity provider").build()).build();
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw error("InvalidIdentityToken", 400, "Unsupported token signing algorithm " + jwt.getHeader().getAlgorithm());
        }
        List<JWK> candidates = new ArrayList<>();
        String kid = jwt.getHeader().getKeyID();
        for (JWK k : jwks.getKeys()) {
            if (kid == null || kid.equals(k.getKeyID())) {
                candidates.add(k);
            }
        }
        for (JWK k : candidates) {
            try {
                if (k instanceof RSAKey rsa && jwt.verify(new RSASSAVerifier(rsa))) {
                    return;
                }
            } catch (JOSEException e) {
                // try the next key
            }
        }
        throw error("InvalidIdentityToken", 400, "Couldn't verify the token's signature with the keys of " + iss);
    }

    private StsException accessDenied() {
        return error("AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity");
    }

    private String random(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** STS's own exception type for an error code, as the SDK would unmarshal it. */
    static StsException error(String code, int status, String message) {
        StsException.Builder b = switch (code) {
            case "InvalidIdentityToken" -> InvalidIdentityTokenException.builder();
            case "ExpiredTokenException" -> ExpiredTokenException.builder();
            case "IDPRejectedClaim" -> IdpRejectedClaimException.builder();
            case "IDPCommunicationError" -> IdpCommunicationErrorException.builder();
            default -> StsException.builder();
        };
        b.message(message).statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode(code).errorMessage(message).serviceName("Sts").build());
        return (StsException) b.build();
    }

    /** Builds a {@link FakeSts} over a {@link FakeIam}. */
    public static final class Builder {
        private final FakeIam iam;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = d -> { };
        private String callerArn;
        private long seed = 7;
        private final List<FakeOidcIssuer> issuers = new ArrayList<>();

        private Builder(FakeIam iam) {
            this.iam = iam;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public Builder callerArn(String arn) {
            this.callerArn = arn;
            return this;
        }

        public Builder issuer(FakeOidcIssuer issuer) {
            issuers.add(issuer);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public FakeSts build() {
            return new FakeSts(this);
        }
    }
}

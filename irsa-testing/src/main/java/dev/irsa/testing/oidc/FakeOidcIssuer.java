package dev.irsa.testing.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.irsa.validation.Validators;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;

/**
 * An OIDC issuer like an EKS cluster's (or GitLab's): an RSA signing key, a JWKS and discovery
 * document, and token minting. Its <em>issuer identifier</em> ({@link #issuerUrl()}, the {@code iss}
 * of every token and the URL registered in IAM: https, no port) is separate from the loopback URL it
 * serves from ({@link #localUrl()}, after {@link #start()}), as a real issuer sits behind DNS.
 *
 * <pre>{@code
 * try (FakeOidcIssuer issuer = FakeOidcIssuer.eks("eu-west-1").start()) {
 *     String token = issuer.mintServiceAccountToken("ci", "deployer", List.of("sts.amazonaws.com"), Duration.ofHours(1));
 *     issuer.issuerUrl();   // https://oidc.eks.eu-west-1.amazonaws.com/id/5C1E...
 *     issuer.localUrl();    // http://127.0.0.1:41234  (GET /.well-known/openid-configuration, GET /keys)
 *     issuer.jwks();        // public keys, in process (FakeSts validates without HTTP)
 * }
 * }</pre>
 */
public final class FakeOidcIssuer implements AutoCloseable {
    private final String issuerUrl;
    private final Clock clock;
    private final RSAKey signingKey;
    private final Random random;
    private HttpServer server;

    private FakeOidcIssuer(String issuerUrl, Clock clock, long seed) {
        this.issuerUrl = Validators.issuerUrl("issuer.url", issuerUrl);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = new Random(seed);
        try {
            this.signingKey = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(HexFormat.of().formatHex(randomBytes(20))).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    /** An issuer with this identifier and the system clock. */
    public static FakeOidcIssuer create(String issuerUrl) {
        return new FakeOidcIssuer(issuerUrl, Clock.systemUTC(), System.nanoTime());
    }

    /** An issuer with this identifier; token times come from {@code clock}. */
    public static FakeOidcIssuer create(String issuerUrl, Clock clock) {
        return new FakeOidcIssuer(issuerUrl, clock, System.nanoTime());
    }

    /** An EKS-style issuer {@code https://oidc.eks.<region>.amazonaws.com/id/<32 hex>}. */
    public static FakeOidcIssuer eks(String region) {
        return eks(region, Clock.systemUTC());
    }

    public static FakeOidcIssuer eks(String region, Clock clock) {
        Validators.region("issuer.region", region);
        String id = HexFormat.of().withUpperCase().formatHex(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8), 0, 16);
        return new FakeOidcIssuer("https://oidc.eks." + region + ".amazonaws.com/id/" + id, clock, System.nanoTime());
    }

    /** A GitLab.com-style issuer ({@code https://gitlab.com}) for {@link #mintGitLabToken} tokens. */
    public static FakeOidcIssuer gitlab(Clock clock) {
        return new FakeOidcIssuer("https://gitlab.com", clock, System.nanoTime());
    }

    /** The issuer identifier: {@code iss} of every token, the URL to register in IAM. */
    public String issuerUrl() {
        return issuerUrl;
    }

    /** The identifier without {@code https://}: IAM's provider name and the prefix of trust condition keys. */
    public String hostPath() {
        return issuerUrl.substring("https://".length());
    }

    /** The public signing keys. */
    public JWKSet jwks() {
        return new JWKSet(signingKey.toPublicJWK());
    }

    public String jwksJson() {
        return jwks().toString(true);
    }

    /** The OpenID discovery document, with URLs under the issuer identifier as a real issuer publishes them. */
    public String discoveryJson() {
        return "{\"issuer\":\"" + issuerUrl + "\",\"jwks_uri\":\"" + issuerUrl + "/keys\","
                + "\"authorization_endpoint\":\"urn:kubernetes:programmatic_authorization\","
                + "\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],"
                + "\"claims_supported\":[\"sub\",\"iss\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
    }

    /** Serves discovery ({@code /.well-known/openid-configuration}) and JWKS ({@code /keys}) on 127.0.0.1, a free port. */
    public synchronized FakeOidcIssuer start() {
        if (server != null) {
            return this;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port for the fake OIDC issuer", e);
        }
        server.createContext("/.well-known/openid-configuration", ex -> respond(ex, discoveryJson()));
        server.createContext("/keys", ex -> respond(ex, jwksJson()));
        server.start();
        return this;
    }

    /** Where the loopback server listens, e.g. {@code http://127.0.0.1:41234}. */
    public synchronized URI localUrl() {
        if (server == null) {
            throw new IllegalStateException("not started: call start()");
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /**
     * A projected service-account token as EKS issues it: {@code iss}, {@code sub =
     * system:serviceaccount:<ns>:<sa>}, {@code aud}, {@code exp}, {@code iat}, {@code nbf} and the
     * {@code kubernetes.io} claim with namespace and service account name/uid.
     */
    public String mintServiceAccountToken(String namespace, String serviceAccount, List<String> audiences, Duration ttl) {
        Validators.namespace("namespace", namespace);
        Validators.serviceAccountName("serviceAccount", serviceAccount);
        Map<String, Object> kubernetes = new LinkedHashMap<>();
        kubernetes.put("namespace", namespace);
        kubernetes.put("serviceaccount", Map.of("name", serviceAccount, "uid", uuid()));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "system:serviceaccount:" + namespace + ":" + serviceAccount);
        claims.put("aud", List.copyOf(audiences));
        claims.put("kubernetes.io", kubernetes);
        return mint(claims, ttl);
    }

    /**
     * A GitLab CI {@code id_tokens} token: {@code sub = project_path:<group/project>:ref_type:<branch|tag>:ref:<ref>},
     * with namespace_path, project_path, ref, ref_type, ref_protected, pipeline/job ids and {@code aud}
     * (a string when there is one audience, as GitLab does).
     */
    public String mintGitLabToken(String projectPath, String refType, String ref, List<String> audiences, Duration ttl) {
        Validators.gitlabPath("projectPath", projectPath);
        if (!"branch".equals(refType) && !"tag".equals(refType)) {
            throw new dev.irsa.ValidationException("refType", refType, "branch or tag");
        }
        Validators.notBlank("ref", ref);
        Map<String, Object> claims = new LinkedHashMap<>();
        String namespacePath = projectPath.contains("/") ? projectPath.substring(0, projectPath.lastIndexOf('/')) : projectPath;
        claims.put("sub", "project_path:" + projectPath + ":ref_type:" + refType + ":ref:" + ref);
        claims.put("aud", audiences.size() == 1 ? audiences.get(0) : List.copyOf(audiences));
        claims.put("namespace_id", String.valueOf(1000 + random.nextInt(9000)));
        claims.put("namespace_path", namespacePath);
        claims.put("project_id", String.valueOf(10000 + random.nextInt(90000)));
        claims.put("project_path", projectPath);
        claims.put("user_id", "42");
        claims.put("user_login", "ci-user");
        claims.put("user_email", "ci-user@example.com");
        claims.put("pipeline_id", String.valueOf(100000 + random.nextInt(900000)));
        claims.put("pipeline_source", "push");
        claims.put("job_id", String.valueOf(1000000 + random.nextInt(9000000)));
        claims.put("ref", ref);
        claims.put("ref_type", refType);
        claims.put("ref_path", ("branch".equals(refType) ? "refs/heads/" : "refs/tags/") + ref);
        claims.put("ref_protected", "true");
        claims.put("runner_id", 1);
        claims.put("runner_environment", "self-hosted");
        claims.put("sha", HexFormat.of().formatHex(randomBytes(20)));
        claims.put("project_visibility", "private");
        claims.put("ci_config_ref_uri", "gitlab.com/" + projectPath + "//.gitlab-ci.yml@refs/heads/" + ref);
        claims.put("jti", uuid());
        return mint(claims, ttl);
    }

    /** A token with these claims plus {@code iss}, {@code iat}, {@code nbf} and {@code exp = now + ttl} (negative ttl: already expired). */
    public String mint(Map<String, Object> claims, Duration ttl) {
        Instant now = clock.instant();
        // Serialized as given (a JOSE payload, not JWTClaimsSet) so a one-element "aud" list stays a JSON array,
        // as in EKS tokens, while GitLab's single audience stays a string.
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("iss", issuerUrl);
        payload.putAll(claims);
        payload.put("iat", now.getEpochSecond());
        payload.put("nbf", now.getEpochSecond());
        payload.put("exp", now.plus(ttl).getEpochSecond());
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).type(JOSEObjectType.JWT).build(),
                new Payload(payload));
        try {
            jws.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jws.serialize();
    }

    @Override
    public String toString() {
        return "FakeOidcIssuer[" + issuerUrl + "]";
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static void respond(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!"GET".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(405, -1);
            ex.close();
            return;
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}

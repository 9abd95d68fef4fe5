package dev.irsa.testing.kubernetes;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fabric8 mock server's dispatcher with what a real EKS API server adds:
 *
 * <ul>
 *   <li>The <b>pod identity mutating webhook</b>: when a pod is created and its service account carries
 *   {@code eks.amazonaws.com/role-arn} <em>at that moment</em>, every container (and init container) gets
 *   {@code AWS_ROLE_ARN}, {@code AWS_WEB_IDENTITY_TOKEN_FILE}, {@code AWS_STS_REGIONAL_ENDPOINTS=regional}
 *   (unless the account says {@code sts-regional-endpoints: "false"}), {@code AWS_REGION} and
 *   {@code AWS_DEFAULT_REGION}, the projected volume {@code aws-token} (audience from
 *   {@code eks.amazonaws.com/audience}, default {@code sts.amazonaws.com}; lifetime from
 *   {@code eks.amazonaws.com/token-expiration}, default 86400 s) and its read-only mount. Env vars and
 *   mounts a container already has are left alone, as the real webhook does. Pods created earlier keep
 *   nothing.</li>
 *   <li>The ServiceAccount admission check: a pod naming a missing service account (other than
 *   {@code default}) is refused with 403.</li>
 *   <li>The <b>TokenRequest</b> subresource ({@code POST .../serviceaccounts/{name}/token}), answered with a
 *   token from a {@link ServiceAccountTokenMinter}; 404 when the account does not exist.</li>
 *   <li><b>API discovery</b> ({@link ApiDiscovery}): {@code /api}, {@code /api/v1}, {@code /apis},
 *   {@code /apis/<group>[/<version>]}, custom resource definitions included.</li>
 * </ul>
 *
 * Everything else goes to fabric8's CRUD dispatcher; expectations recorded with {@code server.expect()}
 * still take precedence (for fault injection), as in fabric8's mixed mode.
 */
public final class PodIdentityWebhook extends Dispatcher implements Resetable {
    public static final String TOKEN_VOLUME = "aws-token";
    public static final String TOKEN_MOUNT_PATH = "/var/run/secrets/eks.amazonaws.com/serviceaccount";
    public static final String TOKEN_FILE = TOKEN_MOUNT_PATH + "/token";
    public static final long DEFAULT_TOKEN_EXPIRATION = 86400;
    /** The API server's default audience when a TokenRequest names none. */
    public static final String API_SERVER_AUDIENCE = "https://kubernetes.default.svc";

    private static final Pattern PODS = Pattern.compile("/api/v1/namespaces/([^/]+)/pods");
    private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    private static final Pattern TOKEN = Pattern.compile("/api/v1/namespaces/([^/]+)/serviceaccounts/([^/]+)/token");
    private static final String ROLE_ARN = "eks.amazonaws.com/role-arn";
    private static final String AUDIENCE = "eks.amazonaws.com/audience";
    private static final String REGIONAL = "eks.amazonaws.com/sts-regional-endpoints";
    private static final String EXPIRATION = "eks.amazonaws.com/token-expiration";

    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private final MockDispatcher expected;
    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final ApiDiscovery discovery = new ApiDiscovery(crud);
    private final AccessRules accessRules = new AccessRules();
    private final String region;
    private final ServiceAccountTokenMinter minter;
    private final Clock clock;

    private final AtomicInteger podsToMiss = new AtomicInteger();
    private final List<String> mutatedPods = Collections.synchronizedList(new ArrayList<>());
    private final List<String> missedPods = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, Integer> failAtRequest = new java.util.concurrent.ConcurrentHashMap<>();
    private double throttleProbability;
    private java.util.Random throttleRandom;

    PodIdentityWebhook(Map<ServerRequest, Queue<ServerResponse>> expectations, String region, ServiceAccountTokenMinter minter, Clock clock) {
        this.expectations = expectations;
        this.expected = new MockDispatcher(expectations);
        this.region = region;
        this.minter = minter;
        this.clock = clock;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (!UNRECORDED_USER_AGENT.equals(request.getHeader("User-Agent"))) {
            int number;
            synchronized (requests) {
                requests.add(request.getMethod() + " " + path);
                number = requests.size();
            }
            Integer failStatus = failAtRequest.remove(number);
            if (failStatus != null) {
                return status(failStatus, failStatus == 429 ? "TooManyRequests" : "InternalError",
                        "injected failure at request " + number);
            }
            if (throttled()) {
                return status(429, "TooManyRequests", "the server has received too many requests (injected)")
                        .addHeader("Retry-After", "1");
            }
        }
        Queue<ServerResponse> queued = expectations.get(new SimpleRequest(request.method(), path));
        if (queued != null && !queued.isEmpty()) {
            return expected.dispatch(request);
        }
        if (request.method() == HttpMethod.GET) {
            java.util.Optional<MockResponse> document = discovery.answer(bare);
            if (document.isPresent()) {
                return document.get();
            }
        }
        if (request.method() == HttpMethod.POST) {
            if (bare.equals(ACCESS_REVIEWS)) {
                return accessRules.answer(body(request));
            }
            Matcher token = TOKEN.matcher(bare);
            if (token.matches()) {
                return tokenRequest(token.group(1), token.group(2), body(request));
            }
            Matcher pods = PODS.matcher(bare);
            if (pods.matches()) {
                MockResponse refused = serviceAccountAdmission(pods.group(1), request);
                return refused != null ? refused : crud.dispatch(admit(pods.group(1), request));
            }
        }
        return crud.dispatch(request);
    }

    /** What {@code SelfSubjectAccessReview} answers (everything allowed until told otherwise). */
    public AccessRules accessRules() {
        return accessRules;
    }

    // ---- fault injection and what it did

    /** Requests from clients with this User-Agent are not recorded and never faulted (for inspection reads). */
    public static final String UNRECORDED_USER_AGENT = "irsa-testing-inspection";

    /** Every API request received (except inspection reads), as {@code "METHOD /path?query"}, in order. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The {@code k}-th API request from now (1 = the next) answers {@code status} and is not served. */
    public void failAtRequest(int k, int status) {
        synchronized (requests) {
            failAtRequest.put(requests.size() + k, status);
        }
    }

    /** From now on every request answers 429 with probability {@code probability}, drawn from {@code Random(seed)}. */
    public synchronized void throttle(double probability, long seed) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be between 0 and 1: " + probability);
        }
        throttleProbability = probability;
        throttleRandom = probability == 0 ? null : new java.util.Random(seed);
    }

    /** Removes injected faults (missed pods, failing and throttled requests). */
    public synchronized void clearFaults() {
        podsToMiss.set(0);
        failAtRequest.clear();
        throttleProbability = 0;
        throttleRandom = null;
    }

    private synchronized boolean throttled() {
        return throttleRandom != null && throttleRandom.nextDouble() < throttleProbability;
    }

    /** The next {@code n} pods that should be mutated are created without credentials (webhook outage, failurePolicy Ignore). */
    public void missNextPods(int n) {
        podsToMiss.set(n);
    }

    /** {@code namespace/name} of the pods the webhook mutated, in order. */
    public List<String> mutatedPods() {
        synchronized (mutatedPods) {
            return List.copyOf(mutatedPods);
        }
    }

    /** {@code namespace/name} of the pods it should have mutated but missed on purpose. */
    public List<String> missedPods() {
        synchronized (missedPods) {
            return List.copyOf(missedPods);
        }
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    @Override
    public void reset() {
        crud.reset();
        accessRules.reset();
        podsToMiss.set(0);
        mutatedPods.clear();
        missedPods.clear();
        tokensIssued.set(0);
        requests.clear();
        clearFaults();
    }

    // ---- pod admission

    /**
     * Like the ServiceAccount admission plugin: a pod naming a service account that does not exist is
     * refused (403). {@code default} is exempt because a real cluster creates it in every namespace.
     */
    private MockResponse serviceAccountAdmission(String namespace, RecordedRequest request) {
        Pod pod;
        try {
            pod = Serialization.unmarshal(body(request), Pod.class);
        } catch (RuntimeException e) {
            return null;
        }
        if (pod == null || pod.getSpec() == null || pod.getSpec().getServiceAccountName() == null) {
            return null;
        }
        String sa = pod.getSpec().getServiceAccountName();
        if ("default".equals(sa) || serviceAccount(namespace, sa) != null) {
            return null;
        }
        String name = pod.getMetadata() == null ? "" : pod.getMetadata().getName();
        return status(403, "Forbidden", "pods \"" + name + "\" is forbidden: error looking up service account "
                + namespace + "/" + sa + ": serviceaccount \"" + sa + "\" not found");
    }

    private RecordedRequest admit(String namespace, RecordedRequest request) {
        Pod pod;
        try {
            pod = Serialization.unmarshal(body(request), Pod.class);
        } catch (RuntimeException e) {
            return copy(request, body(request)); // let the CRUD dispatcher reject it
        }
        if (pod == null || pod.getSpec() == null) {
            return copy(request, body(request));
        }
        String saName = pod.getSpec().getServiceAccountName() != null ? pod.getSpec().getServiceAccountName() : "default";
        ServiceAccount sa = serviceAccount(namespace, saName);
        Map<String, String> annotations = sa == null || sa.getMetadata().getAnnotations() == null ? Map.of() : sa.getMetadata().getAnnotations();
        String roleArn = annotations.get(ROLE_ARN);
        String podId = namespace + "/" + (pod.getMetadata() == null ? "?" : pod.getMetadata().getName());
        if (roleArn == null || roleArn.isBlank()) {
            return copy(request, body(request));
        }
        if (podsToMiss.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            missedPods.add(podId);
            return copy(request, body(request));
        }
        inject(pod, roleArn, annotations);
        mutatedPods.add(podId);
        return copy(request, Serialization.asJson(pod));
    }

    private void inject(Pod pod, String roleArn, Map<String, String> annotations) {
        String audience = annotations.getOrDefault(AUDIENCE, "sts.amazonaws.com");
        long expiration = expiration(annotations.get(EXPIRATION));
        List<EnvVar> env = new ArrayList<>();
        if (!"false".equals(annotations.get(REGIONAL))) {
            env.add(new EnvVar("AWS_STS_REGIONAL_ENDPOINTS", "regional", null));
        }
        env.add(new EnvVar("AWS_DEFAULT_REGION", region, null));
        env.add(new EnvVar("AWS_REGION", region, null));
        env.add(new EnvVar("AWS_ROLE_ARN", roleArn, null));
        env.add(new EnvVar("AWS_WEB_IDENTITY_TOKEN_FILE", TOKEN_FILE, null));
        VolumeMount mount = new VolumeMountBuilder().withName(TOKEN_VOLUME).withMountPath(TOKEN_MOUNT_PATH).withReadOnly(true).build();

        Stream.concat(pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream()).forEach(c -> {
            for (EnvVar e : env) {
                if (c.getEnv().stream().noneMatch(have -> have.getName().equals(e.getName()))) {
                    c.getEnv().add(new EnvVar(e.getName(), e.getValue(), null));
                }
            }
            if (c.getVolumeMounts().stream().noneMatch(m -> TOKEN_MOUNT_PATH.equals(m.getMountPath()))) {
                c.getVolumeMounts().add(new VolumeMountBuilder(mount).build());
            }
        });
        if (pod.getSpec().getVolumes().stream().noneMatch(v -> TOKEN_VOLUME.equals(v.getName()))) {
            Volume volume = new VolumeBuilder().withName(TOKEN_VOLUME).withNewProjected().addNewSource()
                    .withNewServiceAccountToken().withAudience(audience).withExpirationSeconds(expiration).withPath("token")
                    .endServiceAccountToken().endSource().endProjected().build();
            pod.getSpec().getVolumes().add(volume);
        }
    }

    /** Like the webhook: an unparsable or too-short value falls back to the default. */
    private static long expiration(String annotation) {
        if (annotation == null) {
            return DEFAULT_TOKEN_EXPIRATION;
        }
        try {
            long v = Long.parseLong(annotation.trim());
            return v < 600 ? DEFAULT_TOKEN_EXPIRATION : v;
        } catch (NumberFormatException e) {
            return DEFAULT_TOKEN_EXPIRATION;
        }
    }

    // ---- TokenRequest

    private MockResponse tokenRequest(String namespace, String saName, String body) {
        if (serviceAccount(namespace, saName) == null) {
            return status(404, "NotFound", "serviceaccounts \"" + saName + "\" not found");
        }
        TokenRequest asked;
        try {
            asked = body.isBlank() ? new TokenRequest() : Serialization.unmarshal(body, TokenRequest.class);
        } catch (RuntimeException e) {
            return status(400, "BadRequest", "not a TokenRequest");
        }
        List<String> audiences = asked.getSpec() == null || asked.getSpec().getAudiences() == null || asked.getSpec().getAudiences().isEmpty()
                ? List.of(API_SERVER_AUDIENCE) : List.copyOf(asked.getSpec().getAudiences());
        long seconds = asked.getSpec() == null || asked.getSpec().getExpirationSeconds() == null ? 3600 : asked.getSpec().getExpirationSeconds();
        if (seconds < 600) {
            return status(422, "Invalid", "spec.expirationSeconds: may not specify a duration less than 10 minutes");
        }
        if (minter == null) {
            return status(503, "ServiceUnavailable", "this simulated cluster has no token minter");
        }
        String token = minter.mint(namespace, saName, audiences, seconds);
        tokensIssued.incrementAndGet();
        String expires = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(seconds));
        TokenRequest answer = new TokenRequestBuilder()
                .withNewMetadata().withName(saName).withNamespace(namespace).endMetadata()
                .withNewSpec().withAudiences(audiences).withExpirationSeconds(seconds).endSpec()
                .withNewStatus().withToken(token).withExpirationTimestamp(expires).endStatus()
                .build();
        return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(answer));
    }

    // ---- helpers

    private ServiceAccount serviceAccount(String namespace, String name) {
        MockResponse got = crud.handleGet("/api/v1/namespaces/" + namespace + "/serviceaccounts/" + name);
        if (got.code() != 200) {
            return null;
        }
        return Serialization.unmarshal(new String(got.getBody().getBytes(), StandardCharsets.UTF_8), ServiceAccount.class);
    }

    private static String body(RecordedRequest request) {
        return request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    }

    private static RecordedRequest copy(RecordedRequest request, String body) {
        return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), request.getHeaders(),
                new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static MockResponse status(int code, String reason, String message) {
        return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(
                new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build()));
    }
}

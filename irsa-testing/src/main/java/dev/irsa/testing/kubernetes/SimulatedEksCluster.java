package dev.irsa.testing.kubernetes;

import dev.irsa.validation.Validators;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;

/**
 * A Kubernetes API server that behaves like an EKS cluster's for IRSA: fabric8's mock server in CRUD mode
 * on 127.0.0.1 with the {@link PodIdentityWebhook} in front. Starts when built; close it to stop.
 *
 * <pre>{@code
 * try (SimulatedEksCluster eks = SimulatedEksCluster.builder()
 *         .region("eu-west-1")
 *         .tokenMinter(issuer::mintServiceAccountToken)
 *         .start()) {
 *     KubernetesExecutor k8s = KubernetesExecutor.of(eks.client());
 *     ...
 *     eks.webhook().mutatedPods();
 * }
 * }</pre>
 */
public final class SimulatedEksCluster implements AutoCloseable {
    private final KubernetesMockServer server;
    private final PodIdentityWebhook webhook;
    private final NamespacedKubernetesClient client;
    private final NamespacedKubernetesClient inspectionClient;
    private final Map<ServerRequest, Queue<ServerResponse>> expectations;

    private SimulatedEksCluster(Builder b) {
        expectations = new java.util.concurrent.ConcurrentHashMap<>();
        webhook = new PodIdentityWebhook(expectations, b.region, b.minter, b.clock);
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), expectations, webhook, false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        // No hidden retries with real sleeps inside fabric8: a 5xx injected by a test reaches the caller at once.
        client = server.createClient(c -> c.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
        inspectionClient = server.createClient(c -> c.editOrNewConfig().withRequestRetryBackoffLimit(0)
                .withUserAgent(PodIdentityWebhook.UNRECORDED_USER_AGENT).endConfig());
    }

    /**
     * A client whose requests the webhook neither records in {@link PodIdentityWebhook#requests()} nor
     * faults: for tests and sandboxes that inspect state without changing what they assert on.
     */
    public NamespacedKubernetesClient inspectionClient() {
        return inspectionClient;
    }

    /** Forgets every object, request and fault: an empty cluster again. */
    public void reset() {
        expectations.clear();
        webhook.reset();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A client for the cluster (namespace {@code test}), closed with the cluster. It does not retry
     * failed requests itself (fabric8's default backs off with real sleeps), so injected faults surface at once.
     */
    public NamespacedKubernetesClient client() {
        return client;
    }

    /** The mock server: {@code expect()} for fault injection, {@code getRequestCount()} to count calls. */
    public KubernetesMockServer server() {
        return server;
    }

    public PodIdentityWebhook webhook() {
        return webhook;
    }

    @Override
    public void close() {
        client.close();
        inspectionClient.close();
        server.destroy();
    }

    public static final class Builder {
        private String region = "us-east-1";
        private ServiceAccountTokenMinter minter;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Injected as {@code AWS_REGION}/{@code AWS_DEFAULT_REGION}. */
        public Builder region(String region) {
            this.region = Validators.region("cluster.region", region);
            return this;
        }

        /** Answers TokenRequests; without one they fail with 503. */
        public Builder tokenMinter(ServiceAccountTokenMinter minter) {
            this.minter = Objects.requireNonNull(minter, "minter");
            return this;
        }

        /** For TokenRequest expiration timestamps. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public SimulatedEksCluster start() {
            return new SimulatedEksCluster(this);
        }
    }
}

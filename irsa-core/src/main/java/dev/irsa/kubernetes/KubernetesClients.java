package dev.irsa.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds the fabric8 clients irsa talks to Kubernetes with: fabric8's own builder, without fabric8's wire
 * logger.
 *
 * <p>Why: fabric8 adds {@code HttpLoggingInterceptor} (interceptor name {@value #FABRIC8_WIRE_LOGGER}) to every
 * HTTP client built while the logger {@code io.fabric8.kubernetes.client.http.HttpLoggingInterceptor} is at
 * TRACE, and it then writes every request's and response's headers and bodies: the kubeconfig's bearer token,
 * the runner token Secret's data, the service-account tokens of TokenRequest answers. A client built here has
 * that interceptor removed, so no logger level makes it print them; clients fabric8 derives from it (watches,
 * informers, per-request timeouts) copy its interceptors and stay without it.
 *
 * <pre>{@code
 * KubernetesClient client = KubernetesClients.newClient(Config.autoConfigure(null));
 * KubernetesExecutor k8s = KubernetesExecutor.of(client);
 * }</pre>
 *
 * <p>A client you build yourself and pass to {@link KubernetesExecutor.Builder#client} keeps fabric8's wire
 * logger if that logger was at TRACE when you built it.
 */
public final class KubernetesClients {
    /** The name fabric8 registers its wire logger under ({@code StandardHttpClientBuilder}, fabric8 8.0). */
    static final String FABRIC8_WIRE_LOGGER = "HttpLogging";

    private KubernetesClients() {
    }

    /** A client for {@code config} without fabric8's wire logger. */
    public static KubernetesClient newClient(Config config) {
        return newClient(config, http -> {
        });
    }

    /**
     * A client for {@code config} whose HTTP client builder {@code customizer} adjusts first (e.g. to add an
     * interceptor); fabric8's wire logger is removed after it, so a customizer cannot bring it back by name.
     */
    public static KubernetesClient newClient(Config config, Consumer<HttpClient.Builder> customizer) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(customizer, "customizer");
        return new KubernetesClientBuilder().withConfig(config).withHttpClientBuilderConsumer(http -> {
            customizer.accept(http);
            http.addOrReplaceInterceptor(FABRIC8_WIRE_LOGGER, null);
        }).build();
    }
}

package dev.irsa.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpLoggingInterceptor;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * fabric8's wire logger ({@code HttpLoggingInterceptor}, fabric8 8.0) is added to a client built while its logger
 * is at TRACE and then writes every request's headers (the bearer token) and every response body (Secret data);
 * a client from {@link KubernetesClients} has no such interceptor. Each test raises that logger to TRACE before
 * building the client, as a user raising fabric8's logging would.
 */
class KubernetesClientsTest {
    private static final String TOKEN_B64 = Base64.getEncoder().encodeToString("glrt-t1_WireLoggedRunnerToken".getBytes(StandardCharsets.UTF_8));
    private static final String BEARER = "sha256~KubeconfigBearerTokenValue";

    private final CrudServer k8s = new CrudServer();
    private final Logger wireLogger = (Logger) LoggerFactory.getLogger(HttpLoggingInterceptor.class);
    private final ListAppender<ILoggingEvent> wireLog = new ListAppender<>();
    private Level previous;

    @BeforeEach
    void raiseFabric8WireLogger() {
        previous = wireLogger.getLevel();
        wireLogger.setLevel(Level.TRACE);
        wireLogger.setAdditive(false); // keep the console quiet
        wireLog.start();
        wireLogger.addAppender(wireLog);
    }

    @AfterEach
    void restore() {
        wireLogger.detachAppender(wireLog);
        wireLogger.setLevel(previous);
        wireLogger.setAdditive(true);
        k8s.close();
    }

    private Config config() {
        return new ConfigBuilder(k8s.client.getConfiguration()).withOauthToken(BEARER).build();
    }

    @Test
    void aClientFabric8BuildsAtTracePrintsTheBearerTokenAndSecretData() {
        try (KubernetesClient plain = new KubernetesClientBuilder().withConfig(config()).build()) {
            writeAndReadSecret(plain);
        }
        assertThat(lines()).as("fabric8's own client, wire logger at TRACE")
                .anySatisfy(l -> assertThat(l).contains(TOKEN_B64))
                .anySatisfy(l -> assertThat(l).contains(BEARER));
    }

    @Test
    void aClientIrsaBuildsPrintsNothingAtTrace() {
        try (KubernetesClient quiet = KubernetesClients.newClient(config())) {
            writeAndReadSecret(quiet);
        }
        assertThat(lines()).as("irsa's client, wire logger at TRACE").isEmpty();
    }

    @Test
    void aCustomizerAddsItsInterceptorsButCannotBringTheWireLoggerBack() {
        AtomicInteger seen = new AtomicInteger();
        try (KubernetesClient quiet = KubernetesClients.newClient(config(), http -> http
                .addOrReplaceInterceptor("counting", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        seen.incrementAndGet();
                    }
                })
                .addOrReplaceInterceptor(KubernetesClients.FABRIC8_WIRE_LOGGER, new HttpLoggingInterceptor()))) {
            writeAndReadSecret(quiet);
        }
        assertThat(seen).as("requests the customizer's interceptor saw").hasPositiveValue();
        assertThat(lines()).isEmpty();
    }

    private static void writeAndReadSecret(KubernetesClient client) {
        client.secrets().inNamespace("gitlab-runner").resource(new SecretBuilder().withNewMetadata()
                .withName("gitlab-runner-token").endMetadata().withData(Map.of("runner-token", TOKEN_B64)).build()).create();
        assertThat(client.secrets().inNamespace("gitlab-runner").withName("gitlab-runner-token").get().getData())
                .containsEntry("runner-token", TOKEN_B64);
    }

    private List<String> lines() {
        synchronized (wireLog) { // response bodies are logged from the client's threads
            List<String> lines = new ArrayList<>();
            wireLog.list.forEach(e -> lines.add(e.getFormattedMessage()));
            return lines;
        }
    }
}

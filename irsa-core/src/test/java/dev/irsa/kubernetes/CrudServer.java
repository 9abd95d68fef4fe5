package dev.irsa.kubernetes;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode on 127.0.0.1, plus expectations (for injecting faults such as a
 * 409 on one request), a client for it and a recorder of what the executor sent.
 */
final class CrudServer implements AutoCloseable {
    final KubernetesMockServer server;
    final NamespacedKubernetesClient client;
    final List<Duration> sleeps = new ArrayList<>();
    private final List<Seen> seen = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicReference<Runnable> beforeNextWrite = new java.util.concurrent.atomic.AtomicReference<>();
    private final KubernetesMixedDispatcher crud;
    private volatile HttpMethod beforeNextWriteMethod;

    record Seen(String method, String path, String contentType, String body) {
    }

    CrudServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(responses);
        // Records each request with a copy of its body (the CRUD dispatcher consumes the original).
        Dispatcher recording = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                HttpMethod hookOn = beforeNextWriteMethod;
                Runnable hook = request.method() == HttpMethod.GET || (hookOn != null && request.method() != hookOn)
                        ? null : beforeNextWrite.getAndSet(null);
                if (hook != null) {
                    hook.run();
                }
                synchronized (seen) {
                    seen.add(new Seen(request.getMethod(), request.getPath(), request.getHeader("Content-Type"),
                            request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8)));
                }
                return crud.dispatch(request);
            }
        };
        this.crud = crud;
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
                recording, false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        client = server.createClient(c -> c.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
    }

    /** An executor over the mock server whose retries record their delay instead of sleeping. */
    KubernetesExecutor executor() {
        return KubernetesExecutor.builder().client(client).sleeper(sleeps::add).build();
    }

    /** "METHOD path" of every request since the last call. */
    List<String> takeRequests() {
        return takeRecorded().stream().map(r -> r.method() + " " + r.path()).toList();
    }

    /** The requests since the last call, with their bodies. */
    List<Seen> takeRecorded() {
        synchronized (seen) {
            List<Seen> out = List.copyOf(seen);
            seen.clear();
            return out;
        }
    }

    /**
     * Another writer changes the object at {@code path} (JSON merge patch) right before the next write
     * request reaches the server: a genuine race, answered by the CRUD server's own resourceVersion check.
     */
    void concurrentWriteBeforeNextWrite(String path, String mergePatch) {
        concurrentWriteBeforeNext(null, path, mergePatch);
    }

    /** As {@link #concurrentWriteBeforeNextWrite}, before the next write with this method ({@code null}: any). */
    void concurrentWriteBeforeNext(HttpMethod method, String path, String mergePatch) {
        beforeNextWriteMethod = method;
        beforeNextWrite.set(() -> crud.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path,
                new Headers.Builder().add("Content-Type", "application/merge-patch+json").build(),
                new Buffer(mergePatch.getBytes(StandardCharsets.UTF_8)))));
    }

    static List<String> writes(List<String> requests) {
        return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}

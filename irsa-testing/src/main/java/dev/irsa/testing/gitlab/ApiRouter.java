package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fake's HTTP side: a loopback server that records every call, lets the {@link FaultPlan} strike, parses
 * query and body parameters (form or JSON), authenticates the access token, checks its scopes and hands the call
 * to the handler whose route matches. Adding an endpoint is one {@link #route} call:
 *
 * <pre>{@code
 * router.route("GET", "/personal_access_tokens/self", r -> ApiResponse.ok(...));
 * router.route("GET", "/projects/:id/members/all/:user_id", r -> ...);   // :name is one path segment
 * router.route("PUT", "/projects/:id/repository/files/*file_path", ...); // *name is the rest of the path
 * }</pre>
 *
 * Handlers run one at a time under the fake's lock. A route matching the path but not the method answers 405;
 * no matching route answers GitLab's 404 {@code {"error": "404 Not Found"}}.
 */
final class ApiRouter implements AutoCloseable {
    /** What a route does with a call. */
    @FunctionalInterface
    interface Handler {
        ApiResponse handle(ApiRequest request);
    }

    private record Route(String method, List<String> template, boolean tokenAuthenticated, Handler handler) {
        Map<String, String> match(List<String> segments) {
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < template.size(); i++) {
                String t = template.get(i);
                if (t.startsWith("*")) {
                    if (i >= segments.size()) {
                        return null;
                    }
                    params.put(t.substring(1), String.join("/", segments.subList(i, segments.size())));
                    return params;
                }
                if (i >= segments.size()) {
                    return null;
                }
                if (t.startsWith(":")) {
                    params.put(t.substring(1), segments.get(i));
                } else if (!t.equals(segments.get(i))) {
                    return null;
                }
            }
            return template.size() == segments.size() ? params : null;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Object lock;
    private final AccessStore access;
    private final FaultPlan faults;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final AtomicInteger callNumber = new AtomicInteger();
    private final List<FakeGitLab.Call> calls = new CopyOnWriteArrayList<>();

    ApiRouter(Object lock, AccessStore access, FaultPlan faults) throws IOException {
        this.lock = lock;
        this.access = access;
        this.faults = faults;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-gitlab");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A route authenticated by an access token ({@code PRIVATE-TOKEN} or {@code Authorization: Bearer}). */
    void route(String method, String pathTemplate, Handler handler) {
        routes.add(new Route(method, segments(pathTemplate), true, handler));
    }

    /** A route that takes no access token (a runner authenticates with its own token in the body). */
    void runnerRoute(String method, String pathTemplate, Handler handler) {
        routes.add(new Route(method, segments(pathTemplate), false, handler));
    }

    String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    List<FakeGitLab.Call> calls() {
        return List.copyOf(calls);
    }

    /** The number the next call will get, minus one. */
    int callsSoFar() {
        return callNumber.get();
    }

    void forgetCalls() {
        callNumber.set(0);
        calls.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.substring(1).split("/", -1)) {
            out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        }
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        int number = callNumber.incrementAndGet();
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        String apiPath = rawPath.startsWith("/api/v4") ? rawPath.substring("/api/v4".length()) : rawPath;
        ApiResponse response;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            FaultPlan.Fault fault = faults.strike(number, method, apiPath);
            if (fault != null && fault.dropsResponse()) {
                try {
                    route(exchange, method, apiPath, body);
                } catch (RuntimeException e) {
                    // the call failed anyway; the client still gets no answer
                }
                calls.add(new FakeGitLab.Call(number, method, decodePath(apiPath), 0));
                exchange.close(); // no status line: the client reads end-of-stream instead of a response
                return;
            }
            if (fault != null) {
                response = fault.response();
            } else if (!rawPath.startsWith("/api/v4/")) {
                response = new ApiResponse(404, ApiError.message("404 Not Found"), Map.of());
            } else {
                response = route(exchange, method, apiPath, body);
            }
        } catch (ApiError e) {
            response = new ApiResponse(e.status, e.body, Map.of());
        } catch (RuntimeException e) {
            response = new ApiResponse(500, ApiError.message("500 Internal Server Error"), Map.of());
        }
        calls.add(new FakeGitLab.Call(number, method, decodePath(apiPath), response.status()));
        byte[] out = response.body() == null ? new byte[0] : ApiError.JSON.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (response.status() == 204 || out.length == 0) {
            exchange.sendResponseHeaders(response.status(), -1);
        } else {
            exchange.sendResponseHeaders(response.status(), out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
        exchange.close();
    }

    private ApiResponse route(HttpExchange exchange, String method, String apiPath, byte[] body) {
        List<String> segments = segments(apiPath);
        Map<String, List<String>> params = new LinkedHashMap<>();
        parseForm(exchange.getRequestURI().getRawQuery(), params);
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        if (contentType.startsWith("application/json") && body.length > 0) {
            parseJson(body, params);
        } else if (body.length > 0) {
            parseForm(new String(body, StandardCharsets.UTF_8), params);
        }
        boolean pathKnown = false;
        for (Route route : routes) {
            Map<String, String> pathParams = route.match(segments);
            if (pathParams == null) {
                continue;
            }
            pathKnown = true;
            if (!route.method().equals(method)) {
                continue;
            }
            synchronized (lock) {
                AccessStore.AccessToken token = null;
                if (route.tokenAuthenticated()) {
                    token = access.authenticate(exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN"),
                            exchange.getRequestHeaders().getFirst("Authorization"));
                    access.requireScope(token, method, decodePath(apiPath));
                }
                return route.handler().handle(new ApiRequest(method, decodePath(apiPath), pathParams, params, token));
            }
        }
        if (pathKnown) {
            throw ApiError.methodNotAllowed();
        }
        throw new ApiError(404, ApiError.JSON.createObjectNode().put("error", "404 Not Found"));
    }

    private static void parseForm(String raw, Map<String, List<String>> out) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
    }

    private static void parseJson(byte[] body, Map<String, List<String>> out) {
        JsonNode n;
        try {
            n = ApiError.JSON.readTree(body);
        } catch (IOException e) {
            throw ApiError.badRequest("400 Bad request - malformed JSON");
        }
        if (!(n instanceof ObjectNode)) {
            throw ApiError.badRequest("400 Bad request - malformed JSON");
        }
        n.properties().forEach(e -> {
            List<String> values = out.computeIfAbsent(e.getKey(), x -> new ArrayList<>());
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
            } else {
                values.add(e.getValue().asText());
            }
        });
    }

    static String decodePath(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}

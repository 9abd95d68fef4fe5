package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A GitLab REST API (v4) on a loopback port, implementing the part irsa uses with GitLab's JSON shapes
 * and status codes, so GitLab4J runs against it unmodified:
 *
 * <ul>
 *   <li>{@code POST /user/runners} (scope {@code create_runner} or {@code api}), {@code GET/PUT/DELETE /runners/:id},
 *       {@code GET /runners}, {@code GET /runners/all} (admin), {@code POST /runners/verify},
 *       {@code GET /projects/:id/runners};</li>
 *   <li>{@code GET/POST/PUT/DELETE /projects/:id/repository/files/:path};</li>
 *   <li>{@code POST /projects/:id/pipeline}, {@code GET /projects/:id/pipelines/:id},
 *       {@code GET /projects/:id/pipelines/:id/jobs}: jobs come from the committed {@code .gitlab-ci.yml}
 *       and run (pending, running, success) on an online runner whose tags cover the job's tags.</li>
 * </ul>
 *
 * Authentication is {@code PRIVATE-TOKEN} (or {@code Authorization: Bearer}); projects are addressed by
 * id or URL-encoded path; lists are paged with GitLab's {@code X-*} headers. Faults: {@link #failNext},
 * {@link #failCall}, {@link #failOn}. Inspection: {@link #calls()}, {@link #runners()}, {@link #file}.
 *
 * <pre>{@code
 * try (FakeGitLab gitlab = FakeGitLab.start()) {
 *     long project = gitlab.addProject("group/app");
 *     String token = gitlab.addAccessToken(Set.of("api"), project);
 *     GitLabApi api = new GitLabApi(gitlab.url(), token);
 * }
 * }</pre>
 */
public final class FakeGitLab implements AutoCloseable {
    /** GitLab considers a runner online when it contacted GitLab within this window. */
    public static final Duration ONLINE_WINDOW = Duration.ofHours(2);
    /** GitLab's limit on tags per runner. */
    public static final int MAX_TAGS = 50;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();
    private final AtomicLong ids = new AtomicLong(100);
    private final AtomicInteger callNumber = new AtomicInteger();

    private final Map<Long, Project> projects = new LinkedHashMap<>();
    private final Map<Long, String> groups = new LinkedHashMap<>();
    private final Map<String, AccessToken> accessTokens = new LinkedHashMap<>();
    private final Map<Long, FakeRunner> runners = new LinkedHashMap<>();
    private final Map<Long, Pipeline> pipelines = new LinkedHashMap<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final TokenAccess tokenAccess;
    private double throttleProbability;
    private java.util.Random throttleRandom;

    private FakeGitLab(Clock clock) throws IOException {
        this.clock = clock;
        this.tokenAccess = new TokenAccess(clock);
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

    /** Starts on 127.0.0.1 and an ephemeral port, with the system clock. */
    public static FakeGitLab start() {
        return start(Clock.systemUTC());
    }

    /** Starts with a clock of your own (runner online status, timestamps). */
    public static FakeGitLab start(Clock clock) {
        try {
            return new FakeGitLab(clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start FakeGitLab: " + e.getMessage(), e);
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}; GitLab4J appends {@code /api/v4}. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ setup

    /** Adds a project with a {@code main} branch; returns its id. */
    public long addProject(String pathWithNamespace) {
        synchronized (lock) {
            long id = ids.incrementAndGet();
            projects.put(id, new Project(id, pathWithNamespace));
            return id;
        }
    }

    /** Adds a group; returns its id (the same id space as projects, as in GitLab's namespaces). */
    public long addGroup(String path) {
        synchronized (lock) {
            long id = ids.incrementAndGet();
            groups.put(id, path);
            return id;
        }
    }

    /** Adds a branch to a project. */
    public void addBranch(long projectId, String branch) {
        synchronized (lock) {
            project(projectId).branches.add(branch);
        }
    }

    /**
     * Adds a personal access token with {@code scopes} ({@code api}, {@code read_api}, {@code create_runner})
     * whose user maintains {@code projects} (project or group ids); returns the token.
     */
    public String addAccessToken(Set<String> scopes, long... projects) {
        return addAccessToken(scopes, false, projects);
    }

    /** As {@link #addAccessToken(Set, long...)}; an admin may also list {@code /runners/all}. */
    public String addAccessToken(Set<String> scopes, boolean admin, long... projects) {
        return addAccessToken("glpat-" + randomString(20), scopes, admin, projects);
    }

    /** Registers a token with a value of your own (e.g. to keep a client's token valid across {@link #reset()}). */
    public String addAccessToken(String token, Set<String> scopes, boolean admin, long... projects) {
        synchronized (lock) {
            Set<Long> p = new LinkedHashSet<>();
            Arrays.stream(projects).forEach(p::add);
            accessTokens.put(token, new AccessToken(Set.copyOf(scopes), admin, p, false));
            tokenAccess.register(token, scopes, admin, projects);
            return token;
        }
    }

    /**
     * The token's user's access level on a project or group (10 guest ... 40 maintainer, 50 owner; default 40 for
     * those it was added with): what the members API answers, and below Maintainer (Owner for a group)
     * {@code POST /user/runners} there is refused with 403.
     */
    public void accessLevel(String token, long projectOrGroupId, int accessLevel) {
        tokenAccess.accessLevel(token, projectOrGroupId, accessLevel);
    }

    /** Revokes a token: GitLab then answers 401. */
    public void revokeAccessToken(String token) {
        synchronized (lock) {
            AccessToken t = accessTokens.get(token);
            if (t != null) {
                accessTokens.put(token, new AccessToken(t.scopes, t.admin, t.projects, true));
            }
        }
    }

    // ------------------------------------------------------------------ faults

    /** The next {@code times} API calls fail with {@code status} (429 carries {@code Retry-After: retryAfterSeconds}). */
    public void failNext(int times, int status, int retryAfterSeconds) {
        faults.add(new Fault(null, null, 0, status, retryAfterSeconds, new AtomicInteger(times)));
    }

    /** The {@code k}-th API call from now on (1 = the next one) fails with {@code status}. */
    public void failCall(int k, int status) {
        faults.add(new Fault(null, null, callNumber.get() + k, status, 0, new AtomicInteger(1)));
    }

    /**
     * The {@code k}-th API call from now on (1 = the next one) is carried out, then its connection is closed
     * without an answer: what a client sees when a timeout or a network failure strikes after GitLab acted.
     */
    public void dropResponseOfCall(int k) {
        faults.add(new Fault(null, null, callNumber.get() + k, DROP_RESPONSE, 0, new AtomicInteger(1)));
    }

    /**
     * The next call of {@code method} to a path matching {@code pathRegex} (after /api/v4) is carried out, then
     * its connection is closed without an answer (see {@link #dropResponseOfCall}).
     */
    public void dropResponseOn(String method, String pathRegex) {
        faults.add(new Fault(method, Pattern.compile(pathRegex), 0, DROP_RESPONSE, 0, new AtomicInteger(1)));
    }

    /** The next {@code times} calls of {@code method} to a path matching {@code pathRegex} (after /api/v4) fail. */
    public void failOn(String method, String pathRegex, int status, int times) {
        faults.add(new Fault(method, Pattern.compile(pathRegex), 0, status, 1, new AtomicInteger(times)));
    }

    /**
     * From now on every API call answers 429 (with {@code Retry-After: 1}) with probability
     * {@code probability}, drawn from a {@link java.util.Random} seeded with {@code seed}; 0 turns it off.
     */
    public void throttle(double probability, long seed) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be between 0 and 1: " + probability);
        }
        synchronized (lock) {
            throttleProbability = probability;
            throttleRandom = probability == 0 ? null : new java.util.Random(seed);
        }
    }

    public void clearFaults() {
        faults.clear();
        synchronized (lock) {
            throttleProbability = 0;
            throttleRandom = null;
        }
    }

    /** Forgets everything: projects, groups, tokens, runners, files, pipelines, faults, calls; ids restart. */
    public void reset() {
        synchronized (lock) {
            projects.clear();
            groups.clear();
            accessTokens.clear();
            tokenAccess.reset();
            runners.clear();
            pipelines.clear();
            jobOutcomes.clear();
            ids.set(100);
            callNumber.set(0);
            calls.clear();
        }
        clearFaults();
    }

    // ------------------------------------------------------------------ inspection

    /** Every API call received: method, path after {@code /api/v4}, status. Never bodies or tokens. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public long callCount(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return calls.stream().filter(c -> c.method().equals(method) && p.matcher(c.path()).matches()).count();
    }

    public List<FakeRunner> runners() {
        synchronized (lock) {
            return List.copyOf(runners.values());
        }
    }

    public Optional<FakeRunner> runner(long id) {
        synchronized (lock) {
            return Optional.ofNullable(runners.get(id));
        }
    }

    /** Marks a runner as having contacted GitLab at {@code when} (null: never), which drives {@code online}/{@code status}. */
    public void setRunnerContactedAt(long runnerId, Instant when) {
        synchronized (lock) {
            runnerOrThrow(runnerId).contactedAt = when;
        }
    }

    /** Simulates the runner manager checking in now (what a started gitlab-runner pod does). */
    public void contactRunner(long runnerId) {
        setRunnerContactedAt(runnerId, clock.instant());
    }

    /** True when GitLab would accept this runner authentication token. */
    public boolean isValidRunnerToken(String token) {
        synchronized (lock) {
            return runners.values().stream().anyMatch(r -> r.token.equals(token));
        }
    }

    /** The content of a file on a branch, if committed. */
    public Optional<String> file(long projectId, String branch, String path) {
        synchronized (lock) {
            return Optional.ofNullable(project(projectId).files.get(branch + ":" + path)).map(f -> f.content);
        }
    }

    /** Makes the next run of job {@code jobName} end with {@code status} (success, failed, canceled). */
    public void setJobOutcome(String jobName, String status) {
        synchronized (lock) {
            jobOutcomes.put(jobName, status);
        }
    }

    private final Map<String, String> jobOutcomes = new LinkedHashMap<>();

    // ------------------------------------------------------------------ model

    /** One API call as recorded. */
    public record Call(int number, String method, String path, int status) {
    }

    /** A runner as GitLab stores it. The token is readable here because a test may need to present it. */
    public static final class FakeRunner {
        private final long id;
        private final String token;
        private final String runnerType;
        private final Set<Long> projectIds;
        private final Long groupId;
        private String description;
        private List<String> tags;
        private boolean runUntagged;
        private boolean locked;
        private String accessLevel;
        private Integer maximumTimeout;
        private boolean paused;
        private String maintenanceNote;
        private Instant contactedAt;
        private final Instant createdAt;

        private FakeRunner(long id, String token, String runnerType, Set<Long> projectIds, Long groupId, Instant createdAt) {
            this.id = id;
            this.token = token;
            this.runnerType = runnerType;
            this.projectIds = projectIds;
            this.groupId = groupId;
            this.createdAt = createdAt;
        }

        public long id() {
            return id;
        }

        public String token() {
            return token;
        }

        public String runnerType() {
            return runnerType;
        }

        public String description() {
            return description;
        }

        public List<String> tags() {
            return tags;
        }

        public boolean runUntagged() {
            return runUntagged;
        }

        public boolean locked() {
            return locked;
        }

        public String accessLevel() {
            return accessLevel;
        }

        public Integer maximumTimeout() {
            return maximumTimeout;
        }

        public boolean paused() {
            return paused;
        }

        public Set<Long> projectIds() {
            return Set.copyOf(projectIds);
        }

        public Optional<Instant> contactedAt() {
            return Optional.ofNullable(contactedAt);
        }

        @Override
        public String toString() {
            return "FakeRunner{id=" + id + ", description=" + description + ", tags=" + tags + "}";
        }
    }

    private record AccessToken(Set<String> scopes, boolean admin, Set<Long> projects, boolean revoked) {
        boolean allows(String method, String path) {
            if (scopes.contains("api")) {
                return true;
            }
            if (path.equals("/user/runners") && method.equals("POST")) {
                return scopes.contains("create_runner");
            }
            return method.equals("GET") && scopes.contains("read_api");
        }
    }

    /** A {@link Fault} status meaning: carry the call out, then answer nothing. */
    private static final int DROP_RESPONSE = -1;

    private record Fault(String method, Pattern path, int onCall, int status, int retryAfterSeconds, AtomicInteger remaining) {
        boolean matches(int call, String m, String p) {
            if (onCall > 0) {
                return call == onCall;
            }
            return (method == null || method.equals(m)) && (path == null || path.matcher(p).matches());
        }
    }

    private static final class Project {
        final long id;
        final String path;
        final Set<String> branches = new LinkedHashSet<>(List.of("main"));
        final Map<String, StoredFile> files = new LinkedHashMap<>();

        Project(long id, String path) {
            this.id = id;
            this.path = path;
        }
    }

    private record StoredFile(String content, String commitId) {
    }

    private static final class Pipeline {
        final long id;
        final long iid;
        final long projectId;
        final String ref;
        final String sha;
        final Instant createdAt;
        final List<Job> jobs = new ArrayList<>();

        Pipeline(long id, long iid, long projectId, String ref, String sha, Instant createdAt) {
            this.id = id;
            this.iid = iid;
            this.projectId = projectId;
            this.ref = ref;
            this.sha = sha;
            this.createdAt = createdAt;
        }

        String status() {
            if (jobs.stream().anyMatch(j -> j.status.equals("running"))) {
                return "running";
            }
            if (jobs.stream().allMatch(j -> j.status.equals("success"))) {
                return "success";
            }
            if (jobs.stream().anyMatch(j -> j.status.equals("failed"))) {
                return "failed";
            }
            if (jobs.stream().anyMatch(j -> j.status.equals("canceled"))) {
                return "canceled";
            }
            return "pending";
        }
    }

    private static final class Job {
        final long id;
        final String name;
        final String stage;
        final List<String> tags;
        String status = "pending";
        Long runnerId;
        Instant startedAt;
        Instant finishedAt;

        Job(long id, String name, String stage, List<String> tags) {
            this.id = id;
            this.name = name;
            this.stage = stage;
            this.tags = tags;
        }
    }

    // ------------------------------------------------------------------ HTTP

    private static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient JsonNode body;

        HttpError(int status, JsonNode body) {
            super(null, null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    private record Response(int status, JsonNode body, Map<String, String> headers) {
    }

    private record Request(String method, String path, List<String> segments, Map<String, List<String>> params,
                           AccessToken token) {
        String param(String name) {
            List<String> v = params.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        /** Lists come as {@code name[]=a&name[]=b}, repeated {@code name=}, or one comma-separated value. */
        List<String> listParam(String name) {
            List<String> out = new ArrayList<>();
            for (String key : List.of(name, name + "[]")) {
                for (String v : params.getOrDefault(key, List.of())) {
                    Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
                }
            }
            return out;
        }

        boolean has(String name) {
            return params.containsKey(name) || params.containsKey(name + "[]");
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        int number = callNumber.incrementAndGet();
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        String apiPath = rawPath.startsWith("/api/v4") ? rawPath.substring("/api/v4".length()) : rawPath;
        Response response;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Fault fault = activeFault(number, method, apiPath);
            if (fault == null) {
                synchronized (lock) {
                    if (throttleRandom != null && throttleRandom.nextDouble() < throttleProbability) {
                        fault = new Fault(null, null, 0, 429, 1, new AtomicInteger(0));
                    }
                }
            }
            if (fault != null && fault.status() == DROP_RESPONSE) {
                try {
                    route(exchange, method, apiPath, body);
                } catch (RuntimeException e) {
                    // the call failed anyway; the client still gets no answer
                }
                calls.add(new Call(number, method, decodePath(apiPath), 0));
                dropConnection(exchange);
                return;
            }
            if (fault != null) {
                Map<String, String> headers = fault.status() == 429
                        ? Map.of("Retry-After", String.valueOf(fault.retryAfterSeconds())) : Map.of();
                response = new Response(fault.status(), message(fault.status() == 429 ? "Retry later"
                        : fault.status() + " " + reason(fault.status())), headers);
            } else if (!rawPath.startsWith("/api/v4/")) {
                response = new Response(404, message("404 Not Found"), Map.of());
            } else {
                response = route(exchange, method, apiPath, body);
            }
        } catch (HttpError e) {
            response = new Response(e.status, e.body, Map.of());
        } catch (RuntimeException e) {
            response = new Response(500, message("500 Internal Server Error"), Map.of());
        }
        calls.add(new Call(number, method, decodePath(apiPath), response.status()));
        byte[] out = response.body() == null ? new byte[0] : JSON.writeValueAsBytes(response.body());
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

    /** Closes the exchange without a status line, so the client reads end-of-stream instead of a response. */
    private static void dropConnection(HttpExchange exchange) {
        exchange.close();
    }

    private Fault activeFault(int number, String method, String path) {
        for (Fault f : faults) {
            if (f.matches(number, method, path) && f.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (f.remaining().get() == 0) {
                    faults.remove(f);
                }
                return f;
            }
        }
        return null;
    }

    private Response route(HttpExchange exchange, String method, String apiPath, byte[] body) {
        List<String> segments = new ArrayList<>();
        for (String s : apiPath.substring(1).split("/", -1)) {
            segments.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        parseForm(exchange.getRequestURI().getRawQuery(), params);
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        if (contentType.startsWith("application/json") && body.length > 0) {
            parseJson(body, params);
        } else if (body.length > 0) {
            parseForm(new String(body, StandardCharsets.UTF_8), params);
        }

        // runner-authenticated endpoint: no PRIVATE-TOKEN
        if (method.equals("POST") && apiPath.equals("/runners/verify")) {
            return verifyRunner(params);
        }
        AccessToken token = authenticate(exchange);
        Optional<TokenAccess.Answer> self = tokenAccess.beforeScopeCheck(method, decodePath(apiPath), exchange.getRequestHeaders());
        if (self.isPresent()) {
            return new Response(self.get().status(), self.get().body(), Map.of());
        }
        Request req = new Request(method, decodePath(apiPath), segments, params, token);
        if (!token.allows(method, req.path())) {
            ObjectNode n = JSON.createObjectNode();
            n.put("error", "insufficient_scope");
            n.put("error_description", "The request requires higher privileges than provided by the access token.");
            n.put("scope", method.equals("POST") && req.path().equals("/user/runners") ? "create_runner api" : "api");
            throw new HttpError(403, n);
        }
        synchronized (lock) {
            Optional<TokenAccess.Answer> access = tokenAccess.answer(method, segments, params, exchange.getRequestHeaders(),
                    idOrPath -> accessibleProject(token, idOrPath).id, this::groupIdOf);
            return access.map(a -> new Response(a.status(), a.body(), Map.of())).orElseGet(() -> dispatch(req));
        }
    }

    private Response dispatch(Request r) {
        List<String> s = r.segments();
        String m = r.method();
        if (s.size() == 2 && s.get(0).equals("user") && s.get(1).equals("runners") && m.equals("POST")) {
            return createRunner(r);
        }
        if (s.get(0).equals("runners")) {
            if (s.size() == 1 && m.equals("GET")) {
                return listRunners(r, visibleRunners(r.token()));
            }
            if (s.size() == 2 && s.get(1).equals("all") && m.equals("GET")) {
                if (!r.token().admin()) {
                    throw new HttpError(403, message("403 Forbidden"));
                }
                return listRunners(r, List.copyOf(runners.values()));
            }
            if (s.size() == 2 && NUMBER.matcher(s.get(1)).matches()) {
                FakeRunner runner = accessibleRunner(r.token(), Long.parseLong(s.get(1)));
                switch (m) {
                    case "GET":
                        return new Response(200, runnerDetail(runner), Map.of());
                    case "PUT":
                        return updateRunner(r, runner);
                    case "DELETE":
                        runners.remove(runner.id);
                        return new Response(204, null, Map.of());
                    default:
                        throw methodNotAllowed();
                }
            }
        }
        if (s.get(0).equals("projects") && s.size() == 2 && m.equals("GET")) {
            Project project = accessibleProject(r.token(), s.get(1));
            ObjectNode n = JSON.createObjectNode();
            n.put("id", project.id);
            n.put("name", project.path.substring(project.path.lastIndexOf('/') + 1));
            n.put("path", project.path.substring(project.path.lastIndexOf('/') + 1));
            n.put("path_with_namespace", project.path);
            n.put("default_branch", "main");
            n.put("web_url", url() + "/" + project.path);
            return new Response(200, n, Map.of());
        }
        if (s.get(0).equals("projects") && s.size() >= 3) {
            Project project = accessibleProject(r.token(), s.get(1));
            String what = s.get(2);
            if (what.equals("runners") && s.size() == 3 && m.equals("GET")) {
                return listRunners(r, runners.values().stream().filter(x -> x.projectIds.contains(project.id)).toList());
            }
            if (what.equals("repository") && s.size() >= 5 && s.get(3).equals("files")) {
                String path = String.join("/", s.subList(4, s.size()));
                return switch (m) {
                    case "GET" -> getFile(r, project, path);
                    case "POST" -> writeFile(r, project, path, true);
                    case "PUT" -> writeFile(r, project, path, false);
                    case "DELETE" -> deleteFile(r, project, path);
                    default -> throw methodNotAllowed();
                };
            }
            if (what.equals("pipeline") && s.size() == 3 && m.equals("POST")) {
                return createPipeline(r, project);
            }
            if (what.equals("pipelines") && s.size() >= 4 && NUMBER.matcher(s.get(3)).matches() && m.equals("GET")) {
                Pipeline p = pipelines.get(Long.parseLong(s.get(3)));
                if (p == null || p.projectId != project.id) {
                    throw new HttpError(404, message("404 Not found"));
                }
                if (s.size() == 4) {
                    return new Response(200, pipelineJson(p, project), Map.of());
                }
                if (s.size() == 5 && s.get(4).equals("jobs")) {
                    advanceJobs(p);
                    ArrayNode jobs = JSON.createArrayNode();
                    p.jobs.forEach(j -> jobs.add(jobJson(j, p, project)));
                    return page(r, jobs);
                }
            }
        }
        throw new HttpError(404, JSON.createObjectNode().put("error", "404 Not Found"));
    }

    // ------------------------------------------------------------------ runners

    private Response createRunner(Request r) {
        String type = r.param("runner_type");
        if (type == null) {
            throw badRequest("runner_type is missing");
        }
        Set<Long> projectIds = new LinkedHashSet<>();
        Long groupId = null;
        switch (type) {
            case "project_type" -> {
                String pid = r.param("project_id");
                if (pid == null) {
                    throw badRequest("project_id is missing");
                }
                Project p = accessibleProject(r.token(), pid);
                projectIds.add(p.id);
            }
            case "group_type" -> {
                String gid = r.param("group_id");
                if (gid == null) {
                    throw badRequest("group_id is missing");
                }
                groupId = Long.parseLong(gid);
                if (!groups.containsKey(groupId) || !(r.token().admin() || r.token().projects().contains(groupId))) {
                    throw new HttpError(404, message("404 Group Not Found"));
                }
            }
            case "instance_type" -> {
                if (!r.token().admin()) {
                    throw new HttpError(403, message("403 Forbidden"));
                }
            }
            default -> throw badRequest("runner_type does not have a valid value");
        }
        String accessLevel = Optional.ofNullable(r.param("access_level")).orElse("not_protected");
        if (!accessLevel.equals("not_protected") && !accessLevel.equals("ref_protected")) {
            throw badRequest("access_level does not have a valid value");
        }
        List<String> tags = r.listParam("tag_list");
        validateTags(tags);
        boolean runUntagged = booleanParam(r, "run_untagged", true);
        if (tags.isEmpty() && !runUntagged) {
            throw validation("tags_list", "can not be empty when runner is not allowed to pick untagged jobs");
        }
        Integer maxTimeout = r.param("maximum_timeout") == null ? null : Integer.valueOf(r.param("maximum_timeout"));
        if (maxTimeout != null && maxTimeout < 600) {
            throw validation("maximum_timeout", "needs to be at least 10 minutes");
        }
        long id = ids.incrementAndGet();
        FakeRunner runner = new FakeRunner(id, "glrt-" + randomString(20), type, projectIds, groupId, clock.instant());
        runner.description = Optional.ofNullable(r.param("description")).orElse("");
        runner.tags = List.copyOf(tags);
        runner.runUntagged = runUntagged;
        runner.locked = booleanParam(r, "locked", true);
        runner.accessLevel = accessLevel;
        runner.maximumTimeout = maxTimeout;
        runner.paused = booleanParam(r, "paused", false);
        runner.maintenanceNote = r.param("maintenance_note");
        runners.put(id, runner);
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("token", runner.token);
        n.putNull("token_expires_at");
        return new Response(201, n, Map.of());
    }

    private Response updateRunner(Request r, FakeRunner runner) {
        if (r.param("description") != null) {
            runner.description = r.param("description");
        }
        if (r.has("tag_list")) {
            List<String> tags = r.listParam("tag_list");
            validateTags(tags);
            runner.tags = List.copyOf(tags);
        }
        if (r.param("run_untagged") != null) {
            runner.runUntagged = Boolean.parseBoolean(r.param("run_untagged"));
        }
        if (r.param("locked") != null) {
            runner.locked = Boolean.parseBoolean(r.param("locked"));
        }
        if (r.param("active") != null) {
            runner.paused = !Boolean.parseBoolean(r.param("active"));
        }
        if (r.param("paused") != null) {
            runner.paused = Boolean.parseBoolean(r.param("paused"));
        }
        if (r.param("access_level") != null) {
            String level = r.param("access_level");
            if (!level.equals("not_protected") && !level.equals("ref_protected")) {
                throw badRequest("access_level does not have a valid value");
            }
            runner.accessLevel = level;
        }
        if (r.param("maximum_timeout") != null) {
            runner.maximumTimeout = Integer.valueOf(r.param("maximum_timeout"));
        }
        return new Response(200, runnerDetail(runner), Map.of());
    }

    private Response verifyRunner(Map<String, List<String>> params) {
        List<String> token = params.get("token");
        synchronized (lock) {
            if (token != null && !token.isEmpty()) {
                for (FakeRunner r : runners.values()) {
                    if (MessageDigest.isEqual(r.token.getBytes(StandardCharsets.UTF_8), token.get(0).getBytes(StandardCharsets.UTF_8))) {
                        ObjectNode n = JSON.createObjectNode();
                        n.put("id", r.id);
                        n.put("token", r.token);
                        n.putNull("token_expires_at");
                        return new Response(200, n, Map.of());
                    }
                }
            }
        }
        return new Response(403, message("403 Forbidden"), Map.of());
    }

    private void validateTags(List<String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw validation("tag_list", "Too many tags specified. Please limit the number of tags to " + MAX_TAGS);
        }
        for (String t : tags) {
            if (t.length() > 255) {
                throw validation("tag_list", "tag name is too long (maximum is 255 characters)");
            }
        }
    }

    private List<FakeRunner> visibleRunners(AccessToken token) {
        return runners.values().stream().filter(r -> token.admin() || owns(token, r)).toList();
    }

    private Response listRunners(Request r, List<FakeRunner> list) {
        String type = r.param("type");
        String status = r.param("status");
        List<String> tags = r.listParam("tag_list");
        ArrayNode out = JSON.createArrayNode();
        for (FakeRunner runner : list) {
            if (type != null && !type.equals(runner.runnerType)) {
                continue;
            }
            if (status != null && !status.equals(status(runner))) {
                continue;
            }
            if (!runner.tags.containsAll(tags)) {
                continue;
            }
            out.add(runnerSummary(runner));
        }
        return page(r, out);
    }

    private FakeRunner runnerOrThrow(long id) {
        FakeRunner r = runners.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no runner " + id);
        }
        return r;
    }

    private FakeRunner accessibleRunner(AccessToken token, long id) {
        FakeRunner r = runners.get(id);
        if (r == null) {
            throw new HttpError(404, message("404 Runner Not Found"));
        }
        if (!token.admin() && !owns(token, r)) {
            throw new HttpError(403, message("403 Forbidden"));
        }
        return r;
    }

    private static boolean owns(AccessToken token, FakeRunner r) {
        return r.projectIds.stream().anyMatch(token.projects()::contains) || (r.groupId != null && token.projects().contains(r.groupId));
    }

    private String status(FakeRunner r) {
        if (r.paused) {
            return "paused";
        }
        if (r.contactedAt == null) {
            return "never_contacted";
        }
        return online(r) ? "online" : "offline";
    }

    private boolean online(FakeRunner r) {
        return r.contactedAt != null && !r.paused && Duration.between(r.contactedAt, clock.instant()).compareTo(ONLINE_WINDOW) < 0;
    }

    private ObjectNode runnerSummary(FakeRunner r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id);
        n.put("description", r.description);
        n.putNull("ip_address");
        n.put("active", !r.paused);
        n.put("paused", r.paused);
        n.put("is_shared", r.runnerType.equals("instance_type"));
        n.put("runner_type", r.runnerType);
        n.putNull("name");
        n.put("online", online(r));
        n.put("status", status(r));
        return n;
    }

    private ObjectNode runnerDetail(FakeRunner r) {
        ObjectNode n = runnerSummary(r);
        n.putNull("architecture");
        n.putNull("platform");
        if (r.contactedAt == null) {
            n.putNull("contacted_at");
        } else {
            n.put("contacted_at", time(r.contactedAt));
        }
        n.put("created_at", time(r.createdAt));
        n.putNull("revision");
        n.putNull("version");
        ArrayNode tags = n.putArray("tag_list");
        r.tags.forEach(tags::add);
        n.put("run_untagged", r.runUntagged);
        n.put("locked", r.locked);
        if (r.maximumTimeout == null) {
            n.putNull("maximum_timeout");
        } else {
            n.put("maximum_timeout", r.maximumTimeout);
        }
        n.put("access_level", r.accessLevel);
        if (r.maintenanceNote != null) {
            n.put("maintenance_note", r.maintenanceNote);
        }
        ArrayNode ps = n.putArray("projects");
        for (long pid : r.projectIds) {
            Project p = projects.get(pid);
            if (p != null) {
                ObjectNode pj = ps.addObject();
                pj.put("id", p.id);
                pj.put("name", p.path.substring(p.path.lastIndexOf('/') + 1));
                pj.put("path", p.path.substring(p.path.lastIndexOf('/') + 1));
                pj.put("path_with_namespace", p.path);
            }
        }
        ArrayNode gs = n.putArray("groups");
        if (r.groupId != null && groups.containsKey(r.groupId)) {
            ObjectNode g = gs.addObject();
            g.put("id", r.groupId);
            g.put("name", groups.get(r.groupId));
            g.put("web_url", url() + "/groups/" + groups.get(r.groupId));
        }
        return n;
    }

    // ------------------------------------------------------------------ files

    private Response getFile(Request r, Project project, String path) {
        String ref = r.param("ref");
        if (ref == null) {
            throw badRequest("ref is missing");
        }
        StoredFile f = project.files.get(ref + ":" + path);
        if (f == null) {
            throw new HttpError(404, message("404 File Not Found"));
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("file_name", path.substring(path.lastIndexOf('/') + 1));
        n.put("file_path", path);
        byte[] bytes = f.content.getBytes(StandardCharsets.UTF_8);
        n.put("size", bytes.length);
        n.put("encoding", "base64");
        // lib/api/files.rb blob_data: content_sha256 is Digest::SHA256.hexdigest(@blob.data), the raw bytes' hash
        // (irsa proves the pipeline file is its own by this value)
        n.put("content_sha256", sha256(bytes));
        n.put("ref", ref);
        n.put("blob_id", sha256(bytes).substring(0, 40));
        n.put("commit_id", f.commitId);
        n.put("last_commit_id", f.commitId);
        n.put("content", Base64.getEncoder().encodeToString(bytes));
        return new Response(200, n, Map.of());
    }

    private Response writeFile(Request r, Project project, String path, boolean create) {
        String branch = r.param("branch");
        if (branch == null) {
            throw badRequest("branch is missing");
        }
        if (r.param("commit_message") == null) {
            throw badRequest("commit_message is missing");
        }
        String content = r.param("content");
        if (content == null) {
            throw badRequest("content is missing");
        }
        if (!project.branches.contains(branch)) {
            throw new HttpError(400, message("You can only create or edit files when you are on a branch"));
        }
        if ("base64".equals(r.param("encoding"))) {
            content = new String(Base64.getDecoder().decode(content), StandardCharsets.UTF_8);
        }
        String key = branch + ":" + path;
        boolean exists = project.files.containsKey(key);
        if (create && exists) {
            throw new HttpError(400, message("A file with this name already exists"));
        }
        if (!create && !exists) {
            throw new HttpError(400, message("A file with this name doesn't exist"));
        }
        project.files.put(key, new StoredFile(content, sha256((key + content + ids.incrementAndGet()).getBytes(StandardCharsets.UTF_8)).substring(0, 40)));
        ObjectNode n = JSON.createObjectNode();
        n.put("file_path", path);
        n.put("branch", branch);
        return new Response(create ? 201 : 200, n, Map.of());
    }

    /** {@code DELETE /projects/:id/repository/files/:path?branch=&commit_message=}: 204, or 400 when absent, like GitLab. */
    private Response deleteFile(Request r, Project project, String path) {
        String branch = r.param("branch");
        if (branch == null) {
            throw badRequest("branch is missing");
        }
        if (r.param("commit_message") == null) {
            throw badRequest("commit_message is missing");
        }
        if (project.files.remove(branch + ":" + path) == null) {
            throw new HttpError(400, message("A file with this name doesn't exist"));
        }
        return new Response(204, null, Map.of());
    }

    // ------------------------------------------------------------------ pipelines

    private Response createPipeline(Request r, Project project) {
        String ref = r.param("ref");
        if (ref == null || ref.isBlank()) {
            throw badRequest("ref is missing");
        }
        if (!project.branches.contains(ref)) {
            throw validation("base", "Reference not found");
        }
        StoredFile ci = project.files.get(ref + ":.gitlab-ci.yml");
        if (ci == null) {
            throw validation("base", "Missing CI config file");
        }
        JsonNode config;
        try {
            config = YAML.readTree(ci.content);
        } catch (IOException e) {
            throw validation("base", "Invalid configuration format");
        }
        long id = ids.incrementAndGet();
        Pipeline p = new Pipeline(id, pipelines.values().stream().filter(x -> x.projectId == project.id).count() + 1,
                project.id, ref, ci.commitId, clock.instant());
        Set<String> reserved = Set.of("stages", "before_script", "after_script", "variables", "image", "services",
                "cache", "include", "default", "workflow");
        Iterator<Map.Entry<String, JsonNode>> it = config.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (reserved.contains(e.getKey()) || e.getKey().startsWith(".") || !e.getValue().isObject()) {
                continue;
            }
            List<String> tags = new ArrayList<>();
            e.getValue().path("tags").forEach(t -> tags.add(t.asText()));
            p.jobs.add(new Job(ids.incrementAndGet(), e.getKey(), e.getValue().path("stage").asText("test"), List.copyOf(tags)));
        }
        if (p.jobs.isEmpty()) {
            throw validation("base", "jobs config should contain at least one visible job");
        }
        pipelines.put(id, p);
        return new Response(201, pipelineJson(p, project), Map.of());
    }

    /** Each poll moves a job one step on an online, unpaused runner of the project whose tags cover the job's. */
    private void advanceJobs(Pipeline p) {
        for (Job j : p.jobs) {
            switch (j.status) {
                case "pending" -> runners.values().stream()
                        .filter(r -> r.projectIds.contains(p.projectId) && online(r) && r.tags.containsAll(j.tags)
                                && (!j.tags.isEmpty() || r.runUntagged))
                        .findFirst().ifPresent(r -> {
                            j.status = "running";
                            j.runnerId = r.id;
                            j.startedAt = clock.instant();
                        });
                case "running" -> {
                    j.status = Optional.ofNullable(jobOutcomes.remove(j.name)).orElse("success");
                    j.finishedAt = clock.instant();
                }
                default -> {
                }
            }
        }
    }

    private ObjectNode pipelineJson(Pipeline p, Project project) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", p.id);
        n.put("iid", p.iid);
        n.put("project_id", p.projectId);
        n.put("sha", p.sha);
        n.put("ref", p.ref);
        n.put("status", p.status());
        n.put("source", "api");
        n.put("created_at", time(p.createdAt));
        n.put("updated_at", time(clock.instant()));
        n.put("web_url", url() + "/" + project.path + "/-/pipelines/" + p.id);
        return n;
    }

    private ObjectNode jobJson(Job j, Pipeline p, Project project) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", j.id);
        n.put("status", j.status);
        n.put("stage", j.stage);
        n.put("name", j.name);
        n.put("ref", p.ref);
        n.put("tag", false);
        n.put("allow_failure", false);
        n.put("created_at", time(p.createdAt));
        if (j.startedAt != null) {
            n.put("started_at", time(j.startedAt));
        }
        if (j.finishedAt != null) {
            n.put("finished_at", time(j.finishedAt));
        }
        ArrayNode tags = n.putArray("tag_list");
        j.tags.forEach(tags::add);
        ObjectNode pipeline = n.putObject("pipeline");
        pipeline.put("id", p.id);
        pipeline.put("project_id", p.projectId);
        pipeline.put("ref", p.ref);
        pipeline.put("sha", p.sha);
        pipeline.put("status", p.status());
        n.put("web_url", url() + "/" + project.path + "/-/jobs/" + j.id);
        if (j.runnerId != null && runners.containsKey(j.runnerId)) {
            n.set("runner", runnerSummary(runners.get(j.runnerId)));
        } else {
            n.putNull("runner");
        }
        if ("failed".equals(j.status)) {
            n.put("failure_reason", "script_failure");
        }
        return n;
    }

    // ------------------------------------------------------------------ helpers

    private AccessToken authenticate(HttpExchange exchange) {
        String token = exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN");
        if (token == null) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null && auth.startsWith("Bearer ")) {
                token = auth.substring("Bearer ".length());
            }
        }
        AccessToken t;
        synchronized (lock) {
            t = token == null ? null : accessTokens.get(token);
        }
        if (t == null || t.revoked()) {
            throw new HttpError(401, message("401 Unauthorized"));
        }
        return t;
    }

    private Project accessibleProject(AccessToken token, String idOrPath) {
        Project p = NUMBER.matcher(idOrPath).matches() ? projects.get(Long.parseLong(idOrPath))
                : projects.values().stream().filter(x -> x.path.equals(idOrPath)).findFirst().orElse(null);
        if (p == null || !(token.admin() || token.projects().contains(p.id))) {
            throw new HttpError(404, message("404 Project Not Found"));
        }
        return p;
    }

    private Long groupIdOf(String idOrPath) {
        return groups.entrySet().stream().filter(g -> String.valueOf(g.getKey()).equals(idOrPath) || g.getValue().equals(idOrPath))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private Project project(long id) {
        Project p = projects.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no project " + id);
        }
        return p;
    }

    private static Response page(Request r, ArrayNode all) {
        int perPage = Math.min(100, Math.max(1, intParam(r, "per_page", 20)));
        int page = Math.max(1, intParam(r, "page", 1));
        int total = all.size();
        int totalPages = Math.max(1, (total + perPage - 1) / perPage);
        ArrayNode out = JSON.createArrayNode();
        for (int i = (page - 1) * perPage; i < Math.min(total, page * perPage); i++) {
            out.add(all.get(i));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Page", String.valueOf(page));
        headers.put("X-Per-Page", String.valueOf(perPage));
        headers.put("X-Total", String.valueOf(total));
        headers.put("X-Total-Pages", String.valueOf(totalPages));
        headers.put("X-Next-Page", page < totalPages ? String.valueOf(page + 1) : "");
        headers.put("X-Prev-Page", page > 1 ? String.valueOf(page - 1) : "");
        return new Response(200, out, headers);
    }

    private static int intParam(Request r, String name, int dflt) {
        String v = r.param(name);
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw badRequest(name + " is invalid");
        }
    }

    private static boolean booleanParam(Request r, String name, boolean dflt) {
        String v = r.param(name);
        return v == null ? dflt : Boolean.parseBoolean(v);
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
        try {
            JsonNode n = JSON.readTree(body);
            n.properties().forEach(e -> {
                List<String> values = out.computeIfAbsent(e.getKey(), x -> new ArrayList<>());
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(e.getValue().asText());
                }
            });
        } catch (IOException e) {
            throw badRequest("400 Bad request - malformed JSON");
        }
    }

    private static String decodePath(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static ObjectNode message(String text) {
        return JSON.createObjectNode().put("message", text);
    }

    private static HttpError badRequest(String error) {
        return new HttpError(400, JSON.createObjectNode().put("error", error));
    }

    private static HttpError validation(String field, String problem) {
        ObjectNode n = JSON.createObjectNode();
        n.putObject("message").putArray(field).add(problem);
        return new HttpError(400, n);
    }

    private static HttpError methodNotAllowed() {
        return new HttpError(405, message("405 Method Not Allowed"));
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 422 -> "Unprocessable Entity";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private String randomString(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "FakeGitLab{" + url() + "}";
    }
}

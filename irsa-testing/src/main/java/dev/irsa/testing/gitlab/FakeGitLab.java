package dev.irsa.testing.gitlab;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A GitLab REST API (v4) on a loopback port, implementing the part irsa uses with GitLab's JSON shapes, status
 * codes and permission rules, so GitLab4J runs against it unmodified:
 *
 * <ul>
 *   <li>{@code POST /user/runners} (scope {@code create_runner} or {@code api}), {@code GET/PUT/DELETE /runners/:id},
 *       {@code GET /runners}, {@code GET /runners/all} (admin), {@code POST /runners/verify},
 *       {@code GET /projects/:id/runners} ({@link RunnerApi});</li>
 *   <li>{@code GET /projects/:id}, {@code GET/POST/PUT/DELETE /projects/:id/repository/files/:path} ({@link FileApi});</li>
 *   <li>{@code POST /projects/:id/pipeline}, {@code GET /projects/:id/pipelines/:id},
 *       {@code GET /projects/:id/pipelines/:id/jobs}: jobs come from the committed {@code .gitlab-ci.yml}
 *       and run (pending, running, success) on an active, online runner whose tags cover the job's ({@link PipelineApi}).</li>
 * </ul>
 *
 * Authentication is {@code PRIVATE-TOKEN} (or {@code Authorization: Bearer}); a token's user has a {@link Role} in
 * the projects and groups it was given; projects are addressed by id or URL-encoded path; lists are paged with
 * GitLab's {@code X-*} headers. Faults: {@link #failNext}, {@link #failCall}, {@link #failOn}. Inspection:
 * {@link #calls()}, {@link #runners()}, {@link #file}. Endpoints are routes of an {@link ApiRouter}.
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
    /** GitLab considers a runner online when it contacted GitLab within this window ({@code ONLINE_CONTACT_TIMEOUT}). */
    public static final Duration ONLINE_WINDOW = Duration.ofHours(2);
    /** A runner neither created nor contacted within this window is {@code stale} ({@code Ci::Runner::STALE_TIMEOUT}). */
    public static final Duration STALE_AFTER = Duration.ofDays(7);
    /** GitLab's limit on tags per runner. */
    public static final int MAX_TAGS = 50;

    /** A member's role in a project or group, lowest first (GitLab's access levels 10 to 50). */
    public enum Role {
        GUEST, REPORTER, DEVELOPER, MAINTAINER, OWNER;

        /** GitLab's {@code access_level}: 10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner. */
        public int accessLevel() {
            return 10 * (ordinal() + 1);
        }

        static Role of(int accessLevel) {
            for (Role r : values()) {
                if (r.accessLevel() == accessLevel) {
                    return r;
                }
            }
            throw new IllegalArgumentException("access level " + accessLevel + ": one of 10, 20, 30, 40, 50");
        }
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();
    private final AtomicLong ids = new AtomicLong(100);
    private final AccessStore access = new AccessStore(ids);
    private final FaultPlan faults = new FaultPlan();
    private final ApiRouter router;
    private final RunnerApi runners;
    private final PipelineApi pipelines;

    private FakeGitLab(Clock clock) throws IOException {
        this.clock = clock;
        this.router = new ApiRouter(lock, access, faults);
        RunnerJson runnerJson = new RunnerJson(access, clock, this::url);
        this.runners = new RunnerApi(access, runnerJson, clock, ids, () -> "glrt-" + randomString(20));
        this.pipelines = new PipelineApi(access, runners.runners(), runnerJson, clock, ids, this::url);
        access.register(router, this::url);
        runners.register(router);
        new FileApi(access, ids).register(router);
        new TokenApi(access, clock).register(router);
        pipelines.register(router);
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
        return router.url();
    }

    @Override
    public void close() {
        router.close();
    }

    // ------------------------------------------------------------------ setup

    /** Adds a project with a {@code main} branch; returns its id. */
    public long addProject(String pathWithNamespace) {
        synchronized (lock) {
            return access.addProject(pathWithNamespace);
        }
    }

    /** Adds a group; returns its id (the same id space as projects, as in GitLab's namespaces). */
    public long addGroup(String path) {
        synchronized (lock) {
            return access.addGroup(path);
        }
    }

    /** Adds a branch to a project. */
    public void addBranch(long projectId, String branch) {
        synchronized (lock) {
            access.existingProject(projectId).branches.add(branch);
        }
    }

    /**
     * Adds a personal access token with {@code scopes} ({@code api}, {@code read_api}, {@code create_runner})
     * whose user owns {@code projects} (project or group ids); returns the token.
     */
    public String addAccessToken(Set<String> scopes, long... projects) {
        return addAccessToken(scopes, false, projects);
    }

    /** As {@link #addAccessToken(Set, long...)}; an admin may also list {@code /runners/all}. */
    public String addAccessToken(Set<String> scopes, boolean admin, long... projects) {
        return addAccessToken("glpat-" + randomString(20), scopes, admin, projects);
    }

    /**
     * A token whose user is a member with {@code role} of {@code projects} (project or group ids): e.g. a Developer,
     * whom GitLab lets commit but not create or read runners.
     */
    public String addAccessToken(Set<String> scopes, Role role, long... projects) {
        synchronized (lock) {
            return access.addToken("glpat-" + randomString(20), scopes, false, role, projects);
        }
    }

    /** Registers a token with a value of your own (e.g. to keep a client's token valid across {@link #reset()}). */
    public String addAccessToken(String token, Set<String> scopes, boolean admin, long... projects) {
        synchronized (lock) {
            return access.addToken(token, scopes, admin, Role.OWNER, projects);
        }
    }

    /**
     * The token's user's access level on a project or group from now on (10 guest ... 40 maintainer, 50 owner; a token
     * is Owner of those it was added with unless {@link #addAccessToken(Set, Role, long...)} said otherwise): what the
     * members API answers, and below Maintainer (Owner for a group) {@code POST /user/runners} there is refused with 403.
     */
    public void accessLevel(String token, long projectOrGroupId, int accessLevel) {
        synchronized (lock) {
            access.setRole(token, projectOrGroupId, Role.of(accessLevel));
        }
    }

    /** Revokes a token: GitLab then answers 401. */
    public void revokeAccessToken(String token) {
        synchronized (lock) {
            access.revoke(token);
        }
    }

    // ------------------------------------------------------------------ faults

    /** The next {@code times} API calls fail with {@code status} (429 carries {@code Retry-After: retryAfterSeconds}). */
    public void failNext(int times, int status, int retryAfterSeconds) {
        faults.add(null, null, 0, status, retryAfterSeconds, times);
    }

    /** The {@code k}-th API call from now on (1 = the next one) fails with {@code status}. */
    public void failCall(int k, int status) {
        faults.add(null, null, router.callsSoFar() + k, status, 0, 1);
    }

    /**
     * The {@code k}-th API call from now on (1 = the next one) is carried out, then its connection is closed
     * without an answer: what a client sees when a timeout or a network failure strikes after GitLab acted.
     */
    public void dropResponseOfCall(int k) {
        faults.add(null, null, router.callsSoFar() + k, FaultPlan.DROP_RESPONSE, 0, 1);
    }

    /**
     * The next call of {@code method} to a path matching {@code pathRegex} (after /api/v4) is carried out, then
     * its connection is closed without an answer (see {@link #dropResponseOfCall}).
     */
    public void dropResponseOn(String method, String pathRegex) {
        faults.add(method, pathRegex, 0, FaultPlan.DROP_RESPONSE, 0, 1);
    }

    /** The next {@code times} calls of {@code method} to a path matching {@code pathRegex} (after /api/v4) fail. */
    public void failOn(String method, String pathRegex, int status, int times) {
        faults.add(method, pathRegex, 0, status, 1, times);
    }

    /**
     * From now on every API call answers 429 (with {@code Retry-After: 1}) with probability
     * {@code probability}, drawn from a {@link java.util.Random} seeded with {@code seed}; 0 turns it off.
     */
    public void throttle(double probability, long seed) {
        faults.throttle(probability, seed);
    }

    public void clearFaults() {
        faults.clear();
    }

    /** Forgets everything: projects, groups, tokens, runners, files, pipelines, faults, calls; ids restart. */
    public void reset() {
        synchronized (lock) {
            access.clear();
            runners.runners().clear();
            pipelines.clear();
            ids.set(100);
            router.forgetCalls();
        }
        clearFaults();
    }

    // ------------------------------------------------------------------ inspection

    /** Every API call received: method, path after {@code /api/v4}, status. Never bodies or tokens. */
    public List<Call> calls() {
        return router.calls();
    }

    public long callCount(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return router.calls().stream().filter(c -> c.method().equals(method) && p.matcher(c.path()).matches()).count();
    }

    public List<FakeRunner> runners() {
        synchronized (lock) {
            return List.copyOf(runners.runners().values());
        }
    }

    public Optional<FakeRunner> runner(long id) {
        synchronized (lock) {
            return Optional.ofNullable(runners.runners().get(id));
        }
    }

    /** Marks a runner as having contacted GitLab at {@code when} (null: never), which drives {@code online}/{@code status}. */
    public void setRunnerContactedAt(long runnerId, Instant when) {
        synchronized (lock) {
            runners.existing(runnerId).contactedAt = when;
        }
    }

    /** Simulates the runner manager checking in now (what a started gitlab-runner pod does). */
    public void contactRunner(long runnerId) {
        setRunnerContactedAt(runnerId, clock.instant());
    }

    /** True when GitLab would accept this runner authentication token. */
    public boolean isValidRunnerToken(String token) {
        synchronized (lock) {
            return runners.runners().values().stream().anyMatch(r -> r.token.equals(token));
        }
    }

    /** The content of a file on a branch, if committed. */
    public Optional<String> file(long projectId, String branch, String path) {
        synchronized (lock) {
            return Optional.ofNullable(access.existingProject(projectId).files.get(branch + ":" + path))
                    .map(FileApi.StoredFile::content);
        }
    }

    /** Makes the next run of job {@code jobName} end with {@code status} (success, failed, canceled). */
    public void setJobOutcome(String jobName, String status) {
        synchronized (lock) {
            pipelines.setJobOutcome(jobName, status);
        }
    }

    private String randomString(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ model

    /** One API call as recorded. */
    public record Call(int number, String method, String path, int status) {
    }

    /**
     * A runner as GitLab stores it. The token is readable here because a test may need to present it. Its
     * {@code paused} is a flag of its own, beside the status GitLab derives from its contacts.
     */
    public static final class FakeRunner {
        final long id;
        final String token;
        final String runnerType;
        final Set<Long> projectIds;
        final Long groupId;
        final Instant createdAt;
        String description;
        List<String> tags;
        boolean runUntagged;
        boolean locked;
        String accessLevel;
        Integer maximumTimeout;
        boolean paused;
        String maintenanceNote;
        Instant contactedAt;

        FakeRunner(long id, String token, String runnerType, Set<Long> projectIds, Long groupId, Instant createdAt) {
            this.id = id;
            this.token = token;
            this.runnerType = runnerType;
            this.projectIds = projectIds;
            this.groupId = groupId;
            this.createdAt = createdAt;
        }

        /** A copy to change and validate before it replaces this one (GitLab saves only a valid runner). */
        FakeRunner copy() {
            FakeRunner c = new FakeRunner(id, token, runnerType, projectIds, groupId, createdAt);
            c.description = description;
            c.tags = tags;
            c.runUntagged = runUntagged;
            c.locked = locked;
            c.accessLevel = accessLevel;
            c.maximumTimeout = maximumTimeout;
            c.paused = paused;
            c.maintenanceNote = maintenanceNote;
            c.contactedAt = contactedAt;
            return c;
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
}

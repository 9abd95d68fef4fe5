package dev.irsa.gitlab.api;

import dev.irsa.IrsaException;
import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import jakarta.ws.rs.ProcessingException;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.CreateRunnerParams;
import org.gitlab4j.api.models.CreateRunnerResponse;
import org.gitlab4j.api.models.Job;
import org.gitlab4j.api.models.Pipeline;
import org.gitlab4j.api.models.RepositoryFile;
import org.gitlab4j.api.models.Runner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs irsa's GitLab calls through GitLab4J: create/find/verify/remove the irsa runner, commit the
 * pipeline file, trigger a pipeline and wait for the tagged job. GitLab errors become
 * {@link GitLabException} subtypes that say what to fix; 429/5xx are retried with backoff through the
 * connection's {@link dev.irsa.Sleeper}.
 *
 * <pre>{@code
 * try (GitLabExecutor gitlab = new GitLabExecutor(connection)) {
 *     EnsuredRunner r = gitlab.ensureRunner(spec, existingToken, secretWriter::storeRunnerToken);
 *     gitlab.runner(r.runner().id()).map(RunnerInfo::online);
 * }
 * }</pre>
 *
 * <p>The access token goes to the connection's host only: no client here follows a redirect (a 3xx answer is a
 * {@link GitLabException.Redirected}), and an error carries GitLab's status and a scrubbed, bounded summary of
 * what it said, never its raw answer.
 *
 * <p>The runner token exists only as a {@link SecretString} between GitLab's answer and the
 * {@link RunnerTokenSink}; GitLab4J's response objects that carry it are never logged or kept.
 */
public final class GitLabExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GitLabExecutor.class);

    private final GitLabConnection connection;
    private final GitLabApi api;
    private final HttpClient http;
    private final GitLabErrors errors;
    private final RunnerDetailsApi runnerDetails;

    public GitLabExecutor(GitLabConnection connection) {
        this.connection = connection;
        this.errors = new GitLabErrors(connection);
        this.api = GitLabClients.gitLab4j(connection);
        this.runnerDetails = new RunnerDetailsApi(api);
        this.http = GitLabClients.jdk(connection);
    }

    @Override
    public void close() {
        api.close();
    }

    /** What the token is and what its user may do (read-only; for preflight checks). */
    public GitLabTokenAccess tokenAccess() {
        return new GitLabTokenAccess(connection, api, http, errors);
    }

    // ------------------------------------------------------------------ runners

    /** The result of {@link #ensureRunner}. */
    public record EnsuredRunner(RunnerInfo runner, Action action) {
    }

    /** What {@link #ensureRunner} did. */
    public enum Action { CREATED, UPDATED, UNCHANGED }

    /**
     * Re-runnable runner apply. The token is the proof of which runner is the caller's: the runner
     * {@code currentToken} belongs to ({@code POST /runners/verify}) is kept when it is the spec's (every setting
     * of {@link RunnerSpec#settings()} updated if one drifted). Without a valid token a new runner is registered, its
     * token going to {@code sink}; other runners carrying the marker are left alone, since a marker in a
     * description proves nothing (anyone may write it).
     */
    public EnsuredRunner ensureRunner(RunnerSpec spec, Optional<SecretString> currentToken, RunnerTokenSink sink) {
        Optional<RunnerInfo> owned = currentToken.flatMap(this::verifyRunnerToken).flatMap(this::runner).filter(r -> r.belongsTo(spec));
        if (owned.isEmpty()) {
            return new EnsuredRunner(createRunner(spec, sink), Action.CREATED);
        }
        RunnerInfo runner = owned.get();
        if (runner.matches(spec)) {
            return new EnsuredRunner(runner, Action.UNCHANGED);
        }
        return new EnsuredRunner(updateRunner(runner.id(), spec), Action.UPDATED);
    }

    /** Finds irsa's runner by the description marker {@code irsa:<stack>/<name>} (lowest id if several). */
    public Optional<RunnerInfo> findRunner(RunnerSpec spec) {
        return findRunnerIds(spec).stream().findFirst().flatMap(this::runner);
    }

    /** Ids of every runner carrying the spec's marker, lowest first (more than one means a duplicate). */
    public List<Long> findRunnerIds(RunnerSpec spec) {
        return findRunners(spec).stream().map(MarkedRunner::id).toList();
    }

    /** A runner found by its marker in the spec's scope: its id and description, as the listing shows them. */
    public record MarkedRunner(long id, String description) {
    }

    /**
     * Every runner in the spec's scope whose description carries the spec's marker, lowest id first. The
     * marker says which runner irsa would call its own, not that irsa registered it: anyone may write it.
     */
    public List<MarkedRunner> findRunners(RunnerSpec spec) {
        String op = "find runner " + spec.marker();
        List<Runner> candidates = call(op, true, () -> switch (spec.scope()) {
            case PROJECT -> api.getRunnersApi().getProjectRunners(spec.projectId());
            case GROUP -> api.getRunnersApi().getRunners(Runner.RunnerType.GROUP_TYPE, null);
            case INSTANCE -> api.getRunnersApi().getAllRunners(Runner.RunnerType.INSTANCE_TYPE, null);
        });
        return candidates.stream()
                .filter(r -> spec.markedIn(r.getDescription()))
                .map(r -> new MarkedRunner(r.getId(), r.getDescription()))
                .sorted(java.util.Comparator.comparingLong(MarkedRunner::id))
                .toList();
    }

    /** {@link #createRunner(RunnerSpec, String, RunnerTokenSink)} with a new registration nonce. */
    public RunnerInfo createRunner(RunnerSpec spec, RunnerTokenSink sink) {
        return createRunner(spec, RunnerSpec.newRegistration(), sink);
    }

    /**
     * Creates the runner ({@code POST /user/runners}), its description carrying the registration nonce
     * {@code registration} ({@link RunnerSpec#gitlabDescription(String)}), and hands its {@code glrt-} token to
     * {@code sink}. If the sink fails, the runner is removed again so nothing is left half-created. A 5xx after
     * which GitLab did create the runner is detected by that nonce (never by the marker alone, which anyone can
     * write), and that runner (whose token was lost) is removed before trying again.
     */
    public RunnerInfo createRunner(RunnerSpec spec, String registration, RunnerTokenSink sink) {
        String op = "create runner " + spec.marker();
        CreateRunnerParams params = new CreateRunnerParams()
                .withDescription(spec.gitlabDescription(registration))
                .withTagList(spec.tags())
                .withRunUntagged(spec.runUntagged())
                .withLocked(spec.locked())
                .withAccessLevel(spec.accessLevel())
                .withPaused(spec.paused());
        switch (spec.scope()) {
            case PROJECT -> params.withRunnerType(Runner.RunnerType.PROJECT_TYPE).withProjectId(spec.projectId());
            case GROUP -> params.withRunnerType(Runner.RunnerType.GROUP_TYPE).withGroupId(spec.groupId());
            case INSTANCE -> params.withRunnerType(Runner.RunnerType.INSTANCE_TYPE);
        }
        if (spec.maximumTimeoutSeconds() != null) {
            params.withMaximumTimeout(spec.maximumTimeoutSeconds());
        }
        long id;
        SecretString token;
        for (int attempt = 1; ; attempt++) {
            try {
                CreateRunnerResponse response = api.getUserApi().createRunner(params);
                id = response.getId();
                token = SecretString.of(response.getToken());
                response.setToken(null);
                break;
            } catch (GitLabApiException | ProcessingException e) {
                GitLabException mapped = errors.map(op, e);
                if (!mapped.retryable() || attempt >= connection.maxAttempts()) {
                    throw mapped;
                }
                backoff(op, attempt, e, mapped);
                // a 5xx may hide a runner GitLab did create: its token is lost, so remove it before retrying
                findRunners(spec).stream().filter(r -> RunnerSpec.registeredAs(r.description(), registration))
                        .forEach(r -> removeRunner(r.id()));
            }
        }
        try {
            GitLabValidators.runnerToken("runner.token", token);
            sink.store(token);
        } catch (RuntimeException e) {
            LOG.warn("runner {} ({}) created but its token could not be stored; removing it", id, spec.marker());
            removeRunner(id);
            throw e instanceof IrsaException ie ? ie
                    : new IrsaException("could not store the token of runner " + spec.marker() + ": " + e.getClass().getSimpleName(), e);
        }
        LOG.info("created runner {} ({}) tags={} locked={} access_level={}", id, spec.marker(), spec.tags(),
                spec.locked(), spec.accessLevel());
        return runner(id).orElseThrow(() -> new GitLabException.NotFound(op, "runner " + spec.marker()
                + " vanished right after it was created; re-run apply", null));
    }

    /** {@code GET /runners/:id}, every setting read from GitLab's JSON; empty when it does not exist. */
    public Optional<RunnerInfo> runner(long id) {
        try {
            return Optional.of(call("get runner " + id, true, () -> runnerDetails.get(id)));
        } catch (GitLabException.NotFound e) {
            return Optional.empty();
        }
    }

    /**
     * Brings every setting of {@link RunnerSpec#settings()} (description, tags, protection, locking, untagged
     * jobs, paused, maximum timeout) in line with the spec with one {@code PUT /runners/:id}.
     */
    public RunnerInfo updateRunner(long id, RunnerSpec spec) {
        RunnerInfo updated = call("update runner " + id, true, () -> runnerDetails.update(id, spec));
        LOG.info("updated runner {} ({}) settings={}", id, spec.marker(), spec.settings());
        return updated;
    }

    /** Deletes the runner; returns false when it was already gone (which is success). */
    public boolean removeRunner(long id) {
        try {
            call("remove runner " + id, true, () -> {
                api.getRunnersApi().removeRunner(id);
                return null;
            });
            LOG.info("removed runner {}", id);
            return true;
        } catch (GitLabException.NotFound e) {
            return false;
        }
    }

    /**
     * Checks a runner authentication token with {@code POST /runners/verify} (not in GitLab4J; sent with the
     * same URL, proxy and timeouts). Returns the runner id when GitLab accepts it, empty when it answers 403.
     * GitLab records the call as the runner's contact ({@code authenticate_runner!} heartbeats it), so the runner
     * reads as online for two hours after it: a check of the runner manager must not follow this call.
     */
    public Optional<Long> verifyRunnerToken(SecretString token) {
        GitLabValidators.runnerToken("runner.token", token);
        String op = "verify runner token " + token.fingerprint();
        HttpRequest request = HttpRequest.newBuilder(URI.create(connection.url() + "/api/v4/runners/verify"))
                .timeout(connection.readTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token.reveal(), StandardCharsets.UTF_8)))
                .build();
        for (int attempt = 1; ; attempt++) {
            int status;
            String body;
            HttpHeaders headers;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                body = response.body();
                headers = response.headers();
            } catch (IOException e) {
                status = 0;
                body = "";
                headers = HttpHeaders.of(Map.of(), (k, v) -> true);
                if (attempt >= connection.maxAttempts()) {
                    throw new GitLabException.Unavailable(op, 0, op + ": GitLab at " + connection.url() + " is unreachable ("
                            + e.getClass().getSimpleName() + "); check the URL, proxy and network", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IrsaException(op + ": interrupted", e);
            }
            if (status == 200 || status == 201) {
                return Optional.of(readId(body, op));
            }
            if (status == 403) {
                return Optional.empty();
            }
            if (status != 0) {
                GitLabException mapped = errors.map(op, status, headers.firstValue("Content-Type").orElse(null), body,
                        headers.firstValue("Location").orElse(null));
                if (!mapped.retryable() || attempt >= connection.maxAttempts()) {
                    throw mapped;
                }
            }
            Duration wait = backoffDuration(attempt, headers.firstValue("Retry-After").orElse(null));
            LOG.debug("{}: attempt {} got {}, retrying in {}", op, attempt, status, wait);
            connection.sleeper().sleep(wait);
        }
    }

    private static long readId(String body, String op) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("id").asLong();
        } catch (IOException e) {
            throw new GitLabException(op, 200, op + ": GitLab's answer is not JSON", null);
        }
    }

    // ------------------------------------------------------------------ files and pipelines

    /** Resolves a project path such as {@code group/app} to its id ({@code GET /projects/:path}). */
    public long projectId(String projectPath) {
        dev.irsa.validation.Validators.gitlabPath("gitlab.project", projectPath);
        return call("look up project " + projectPath, true, () -> api.getProjectApi().getProject(projectPath)).getId();
    }

    /** What {@link #commitFile} did. */
    public enum FileCommit { CREATED, UPDATED, UNCHANGED }

    /** Creates or updates a file on a branch; no commit when the content is already there. */
    public FileCommit commitFile(long projectId, String path, String branch, String content, String commitMessage) {
        dev.irsa.validation.Validators.notBlank("file.path", path);
        dev.irsa.validation.Validators.notBlank("file.branch", branch);
        dev.irsa.validation.Validators.notBlank("file.commitMessage", commitMessage);
        if (content == null) {
            throw new ValidationException("file.content", null, "must not be null");
        }
        String op = "commit " + path + " to " + branch + " of project " + projectId;
        Optional<String> existing = fileContent(op, projectId, path, branch);
        if (existing.isPresent() && existing.get().equals(content)) {
            return FileCommit.UNCHANGED;
        }
        RepositoryFile file = new RepositoryFile();
        file.setFilePath(path);
        file.setContent(content);
        if (existing.isPresent()) {
            call(op, true, () -> api.getRepositoryFileApi().updateFile(projectId, file, branch, commitMessage));
            LOG.info("updated {} on {} of project {}", path, branch, projectId);
            return FileCommit.UPDATED;
        }
        call(op, true, () -> api.getRepositoryFileApi().createFile(projectId, file, branch, commitMessage));
        LOG.info("created {} on {} of project {}", path, branch, projectId);
        return FileCommit.CREATED;
    }

    /** The content of a file on a branch, by the project's path; empty when there is no such file. */
    public Optional<String> readFile(String projectPath, String path, String branch) {
        dev.irsa.validation.Validators.gitlabPath("gitlab.project", projectPath);
        return fileContent("read " + path + " on " + branch + " of project " + projectPath, projectPath, path, branch);
    }

    private Optional<String> fileContent(String op, Object projectIdOrPath, String path, String branch) {
        try {
            RepositoryFile current = call(op, true, () -> api.getRepositoryFileApi().getFile(projectIdOrPath, path, branch));
            return Optional.ofNullable(current.getDecodedContentAsString());
        } catch (GitLabException.NotFound e) {
            return Optional.empty();
        }
    }

    /** Deletes a file from a branch with one commit; returns false when it was already gone (which is success). */
    public boolean deleteFile(long projectId, String path, String branch, String commitMessage) {
        dev.irsa.validation.Validators.notBlank("file.commitMessage", commitMessage);
        try {
            call("delete " + path + " on " + branch + " of project " + projectId, true, () -> {
                api.getRepositoryFileApi().deleteFile(projectId, path, branch, commitMessage);
                return null;
            });
            LOG.info("deleted {} on {} of project {}", path, branch, projectId);
            return true;
        } catch (GitLabException.NotFound e) {
            return false;
        }
    }

    /** Resolves a group path such as {@code my-group} to its id ({@code GET /groups/:path}). */
    public long groupId(String groupPath) {
        dev.irsa.validation.Validators.gitlabPath("gitlab.group", groupPath);
        return call("look up group " + groupPath, true, () -> api.getGroupApi().getGroup(groupPath)).getId();
    }

    /** Starts a pipeline on {@code ref}; returns its id. Only 429 is retried: a 5xx may have created one. */
    public long triggerPipeline(long projectId, String ref) {
        dev.irsa.validation.Validators.notBlank("pipeline.ref", ref);
        Pipeline p = call("trigger pipeline on " + ref + " of project " + projectId, false,
                () -> api.getPipelineApi().createPipeline(projectId, ref));
        LOG.info("triggered pipeline {} on {} of project {}", p.getId(), ref, projectId);
        return p.getId();
    }

    /** A finished (or last seen) job. */
    public record JobResult(long id, String name, String status, Optional<Long> runnerId, String webUrl, Optional<String> failureReason) {
        public boolean succeeded() {
            return "success".equals(status);
        }
    }

    /**
     * Polls the pipeline's jobs until the job tagged {@code tag} finishes, sleeping {@code pollInterval}
     * through the injected sleeper, at most {@code maxWait} in total.
     *
     * @throws GitLabException.WaitTimedOut when the job has not finished in time (says its last status)
     */
    public JobResult waitForJob(long projectId, long pipelineId, String tag, Duration maxWait, Duration pollInterval) {
        if (pollInterval == null || pollInterval.isZero() || pollInterval.isNegative()) {
            throw new ValidationException("wait.pollInterval", pollInterval, "a positive duration");
        }
        if (maxWait == null || maxWait.isNegative()) {
            throw new ValidationException("wait.maxWait", maxWait, "zero or a positive duration");
        }
        String op = "wait for job tagged " + tag + " in pipeline " + pipelineId;
        Duration waited = Duration.ZERO;
        while (true) {
            List<Job> jobs = call(op, true, () -> api.getJobApi().getJobsForPipeline(projectId, pipelineId));
            Job job = jobs.stream().filter(j -> j.getTagList() != null && j.getTagList().contains(tag)).findFirst()
                    .orElseThrow(() -> new GitLabException.Rejected(op, 0, op + ": no job in the pipeline is tagged '" + tag
                            + "'; tag the job with the runner's tags (GitLabCiFile job tags)", null));
            String status = job.getStatus() == null ? "unknown" : job.getStatus().toValue();
            if (List.of("success", "failed", "canceled", "skipped").contains(status)) {
                return new JobResult(job.getId(), job.getName(), status,
                        Optional.ofNullable(job.getRunner()).map(Runner::getId), job.getWebUrl(),
                        Optional.ofNullable(job.getFailureReason()));
            }
            if (waited.compareTo(maxWait) >= 0) {
                throw new GitLabException.WaitTimedOut(op, op + ": job '" + job.getName() + "' is still " + status + " after "
                        + maxWait + ("pending".equals(status) || "created".equals(status)
                        ? "; is the runner online, unpaused and tagged '" + tag + "'?" : ""));
            }
            connection.sleeper().sleep(pollInterval);
            waited = waited.plus(pollInterval);
        }
    }

    // ------------------------------------------------------------------ plumbing

    @FunctionalInterface
    private interface GitLabCall<T> {
        T run() throws GitLabApiException;
    }

    private <T> T call(String op, boolean retryServerErrors, GitLabCall<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (GitLabApiException | ProcessingException e) {
                GitLabException mapped = errors.map(op, e);
                boolean retry = mapped instanceof GitLabException.Throttled || (retryServerErrors && mapped.retryable());
                if (!retry || attempt >= connection.maxAttempts()) {
                    throw mapped;
                }
                backoff(op, attempt, e, mapped);
            }
        }
    }

    private void backoff(String op, int attempt, Exception e, GitLabException mapped) {
        String retryAfter = null;
        if (e instanceof GitLabApiException g && g.getHeaders() != null) {
            retryAfter = g.getHeaders().getFirst("Retry-After");
        }
        Duration wait = backoffDuration(attempt, retryAfter);
        LOG.debug("{}: attempt {} failed with {}, retrying in {}", op, attempt, mapped.status(), wait);
        connection.sleeper().sleep(wait);
    }

    /** Exponential from the initial backoff, capped; GitLab's Retry-After (seconds) wins when larger. */
    private Duration backoffDuration(int attempt, String retryAfter) {
        Duration exp = connection.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        if (exp.compareTo(connection.maxBackoff()) > 0) {
            exp = connection.maxBackoff();
        }
        if (retryAfter != null) {
            try {
                Duration server = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
                if (server.compareTo(exp) > 0) {
                    return server.compareTo(connection.maxBackoff()) > 0 ? connection.maxBackoff() : server;
                }
            } catch (NumberFormatException ignored) {
                // an HTTP-date Retry-After: fall back to our own backoff
            }
        }
        return exp;
    }

    @Override
    public String toString() {
        return "GitLabExecutor{" + connection + "}";
    }
}

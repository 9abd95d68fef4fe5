package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.irsa.testing.gitlab.FakeGitLab.FakeRunner;
import dev.irsa.testing.gitlab.FakeGitLab.Role;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@code POST /projects/:id/pipeline}, {@code GET /projects/:id/pipelines/:id} and {@code .../jobs}: jobs come from
 * the committed {@code .gitlab-ci.yml} and run (pending, running, success) on an active, online runner whose tags
 * cover the job's. Creating needs Developer ({@code :create_pipeline}), reading Reporter. Used under the fake's lock.
 */
final class PipelineApi {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> RESERVED = Set.of("stages", "before_script", "after_script", "variables", "image",
            "services", "cache", "include", "default", "workflow");

    private final Map<Long, Pipeline> pipelines = new LinkedHashMap<>();
    private final Map<String, String> jobOutcomes = new LinkedHashMap<>();
    private final AccessStore access;
    private final Map<Long, FakeRunner> runners;
    private final RunnerJson runnerJson;
    private final Clock clock;
    private final AtomicLong ids;
    private final Supplier<String> url;

    PipelineApi(AccessStore access, Map<Long, FakeRunner> runners, RunnerJson runnerJson, Clock clock, AtomicLong ids,
                Supplier<String> url) {
        this.access = access;
        this.runners = runners;
        this.runnerJson = runnerJson;
        this.clock = clock;
        this.ids = ids;
        this.url = url;
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

    void register(ApiRouter router) {
        router.route("POST", "/projects/:id/pipeline", this::create);
        router.route("GET", "/projects/:id/pipelines/:pipeline_id", r -> {
            Pipeline p = pipeline(r);
            return ApiResponse.ok(pipelineJson(p, access.projectById(p.projectId)));
        });
        router.route("GET", "/projects/:id/pipelines/:pipeline_id/jobs", r -> {
            Pipeline p = pipeline(r);
            advanceJobs(p);
            ArrayNode jobs = ApiError.JSON.createArrayNode();
            p.jobs.forEach(j -> jobs.add(jobJson(j, p, access.projectById(p.projectId))));
            return ApiResponse.page(r, jobs);
        });
    }

    void setJobOutcome(String jobName, String status) {
        jobOutcomes.put(jobName, status);
    }

    void clear() {
        pipelines.clear();
        jobOutcomes.clear();
    }

    private Pipeline pipeline(ApiRequest r) {
        AccessStore.Project project = access.project(r.token(), r.pathParam("id"), Role.REPORTER);
        String id = r.pathParam("pipeline_id");
        Pipeline p = id.chars().allMatch(Character::isDigit) && !id.isEmpty() ? pipelines.get(Long.parseLong(id)) : null;
        if (p == null || p.projectId != project.id) {
            throw new ApiError(404, ApiError.message("404 Not found"));
        }
        return p;
    }

    private ApiResponse create(ApiRequest r) {
        String ref = r.param("ref");
        if (ref == null || ref.isBlank()) {
            throw ApiError.badRequest("ref is missing");
        }
        AccessStore.Project project = access.project(r.token(), r.pathParam("id"), Role.DEVELOPER);
        if (!project.branches.contains(ref)) {
            throw ApiError.validation("base", "Reference not found");
        }
        FileApi.StoredFile ci = project.files.get(ref + ":.gitlab-ci.yml");
        if (ci == null) {
            throw ApiError.validation("base", "Missing CI config file");
        }
        JsonNode config;
        try {
            config = YAML.readTree(ci.content());
        } catch (IOException e) {
            throw ApiError.validation("base", "Invalid configuration format");
        }
        long id = ids.incrementAndGet();
        Pipeline p = new Pipeline(id, pipelines.values().stream().filter(x -> x.projectId == project.id).count() + 1,
                project.id, ref, ci.commitId(), clock.instant());
        Iterator<Map.Entry<String, JsonNode>> it = config.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (RESERVED.contains(e.getKey()) || e.getKey().startsWith(".") || !e.getValue().isObject()) {
                continue;
            }
            List<String> tags = new ArrayList<>();
            e.getValue().path("tags").forEach(t -> tags.add(t.asText()));
            p.jobs.add(new Job(ids.incrementAndGet(), e.getKey(), e.getValue().path("stage").asText("test"), List.copyOf(tags)));
        }
        if (p.jobs.isEmpty()) {
            throw ApiError.validation("base", "jobs config should contain at least one visible job");
        }
        pipelines.put(id, p);
        return ApiResponse.created(pipelineJson(p, project));
    }

    /**
     * Each poll moves a job one step: a pending job goes to an active, online runner of the project (or a shared
     * one) whose tags cover the job's ({@code match_build_if_online?}, {@code accepting_tags?}: an untagged job
     * needs {@code run_untagged}).
     */
    private void advanceJobs(Pipeline p) {
        for (Job j : p.jobs) {
            switch (j.status) {
                case "pending" -> runners.values().stream()
                        .filter(r -> (r.projectIds.contains(p.projectId) || r.runnerType.equals("instance_type"))
                                && runnerJson.picksJobs(r) && r.tags.containsAll(j.tags) && (!j.tags.isEmpty() || r.runUntagged))
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

    /** The fields a pipeline and a job's {@code pipeline} share. */
    private static ObjectNode pipelineBasics(ObjectNode n, Pipeline p) {
        n.put("id", p.id);
        n.put("project_id", p.projectId);
        n.put("ref", p.ref);
        n.put("sha", p.sha);
        n.put("status", p.status());
        return n;
    }

    private ObjectNode pipelineJson(Pipeline p, AccessStore.Project project) {
        ObjectNode n = pipelineBasics(ApiError.JSON.createObjectNode(), p);
        n.put("iid", p.iid);
        n.put("source", "api");
        n.put("created_at", RunnerJson.time(p.createdAt));
        n.put("updated_at", RunnerJson.time(clock.instant()));
        n.put("web_url", url.get() + "/" + project.path + "/-/pipelines/" + p.id);
        return n;
    }

    private ObjectNode jobJson(Job j, Pipeline p, AccessStore.Project project) {
        ObjectNode n = ApiError.JSON.createObjectNode();
        n.put("id", j.id);
        n.put("status", j.status);
        n.put("stage", j.stage);
        n.put("name", j.name);
        n.put("ref", p.ref);
        n.put("tag", false);
        n.put("allow_failure", false);
        n.put("created_at", RunnerJson.time(p.createdAt));
        if (j.startedAt != null) {
            n.put("started_at", RunnerJson.time(j.startedAt));
        }
        if (j.finishedAt != null) {
            n.put("finished_at", RunnerJson.time(j.finishedAt));
        }
        ArrayNode tags = n.putArray("tag_list");
        j.tags.forEach(tags::add);
        pipelineBasics(n.putObject("pipeline"), p);
        n.put("web_url", url.get() + "/" + project.path + "/-/jobs/" + j.id);
        if (j.runnerId != null && runners.containsKey(j.runnerId)) {
            n.set("runner", runnerJson.summary(runners.get(j.runnerId)));
        } else {
            n.putNull("runner");
        }
        if ("failed".equals(j.status)) {
            n.put("failure_reason", "script_failure");
        }
        return n;
    }
}

package dev.irsa.gitlab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.gitlab4j.api.AbstractApi;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET} and {@code PUT /runners/:id} through GitLab4J's own client (same token, proxy, timeouts, no
 * redirects), reading GitLab's JSON rather than GitLab4J 6.2's {@code RunnerDetail}, which has no
 * {@code locked}, {@code run_untagged}, {@code maximum_timeout} or {@code paused}, and whose
 * {@code updateRunner} sends the deprecated {@code active} and no {@code maximum_timeout}.
 *
 * <p>The shapes are GitLab's: {@code lib/api/entities/ci/runner.rb} exposes {@code id, description, active,
 * paused, is_shared, runner_type, name, online, status}; {@code lib/api/entities/ci/runner_details.rb} adds
 * {@code tag_list, run_untagged, locked, maximum_timeout, access_level, contacted_at, projects, groups}.
 * {@code PUT /runners/:id} ({@code lib/api/ci/runners.rb}) takes {@code description, paused, tag_list} (an array,
 * or comma-separated), {@code run_untagged, locked, access_level, maximum_timeout}, at least one of them, and
 * {@code active} and {@code paused} mutually exclusive; it answers the runner's details.
 */
final class RunnerDetailsApi extends AbstractApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    RunnerDetailsApi(GitLabApi api) {
        super(api);
    }

    /** {@code GET /runners/:id}. */
    RunnerInfo get(long id) throws GitLabApiException {
        return read(get(Response.Status.OK, null, "runners", id), "get runner " + id);
    }

    /** {@code PUT /runners/:id} with every setting irsa gives the runner; answers the runner as GitLab left it. */
    RunnerInfo update(long id, RunnerSpec spec) throws GitLabApiException {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.add("description", spec.gitlabDescription());
        form.add("paused", String.valueOf(spec.paused()));
        // comma-separated: Grape's CommaSeparatedToArray also turns "" into [] (a list of no tags clears them)
        form.add("tag_list", String.join(",", spec.tags()));
        form.add("run_untagged", String.valueOf(spec.runUntagged()));
        form.add("locked", String.valueOf(spec.locked()));
        form.add("access_level", spec.accessLevel());
        if (spec.maximumTimeoutSeconds() != null) {
            form.add("maximum_timeout", String.valueOf(spec.maximumTimeoutSeconds()));
        }
        return read(put(Response.Status.OK, form, "runners", id), "update runner " + id);
    }

    private static RunnerInfo read(Response response, String op) {
        String body = response.readEntity(String.class);
        try {
            return info(JSON.readTree(body));
        } catch (IOException e) {
            throw new GitLabException(op, response.getStatus(), op + ": GitLab's answer is not JSON", null);
        }
    }

    static RunnerInfo info(JsonNode n) {
        Optional<Instant> contactedAt = text(n, "contacted_at").flatMap(RunnerDetailsApi::instant);
        String status = text(n, "status").orElse(contactedAt.isEmpty() ? "never_contacted" : "offline");
        List<Long> projectIds = new ArrayList<>();
        List<String> projectPaths = new ArrayList<>();
        n.path("projects").forEach(p -> {
            if (p.path("id").canConvertToLong()) {
                projectIds.add(p.path("id").asLong());
                projectPaths.add(p.path("path_with_namespace").asText());
            }
        });
        List<String> tags = new ArrayList<>();
        n.path("tag_list").forEach(t -> tags.add(t.asText()));
        // paused came with GitLab 14.8; before it, active (its negation) was the only flag
        boolean paused = n.has("paused") ? n.path("paused").asBoolean() : !n.path("active").asBoolean(true);
        Optional<Integer> maximumTimeout = n.path("maximum_timeout").isNumber()
                ? Optional.of(n.path("maximum_timeout").asInt()) : Optional.empty();
        return new RunnerInfo(n.path("id").asLong(), text(n, "description").orElse(""), tags, n.path("online").asBoolean(),
                status, contactedAt, text(n, "access_level").orElse("not_protected"), text(n, "runner_type").orElse(null),
                projectIds, projectPaths, n.path("locked").asBoolean(), n.path("run_untagged").asBoolean(), paused,
                maximumTimeout);
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.irsa.testing.aws.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fake is as strict as GitLab where irsa (and a user's own tool) touch it, answer for answer. Each case quotes
 * the GitLab source it follows (gitlabhq/gitlabhq: lib/api/user_runners.rb, lib/api/ci/runners.rb,
 * lib/api/ci/runner.rb, lib/api/ci/helpers/runner.rb, lib/api/helpers.rb, lib/api/files.rb, app/models/ci/runner.rb,
 * app/services/ci/runners/create_runner_service.rb and runner_creation_strategies/).
 */
class FakeGitLabStrictnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ManualClock clock = ManualClock.startingNow();
    FakeGitLab gitlab;
    long project;
    String maintainer;

    record Answer(int status, JsonNode body) {
    }

    @BeforeEach
    void start() {
        gitlab = FakeGitLab.start(clock);
        project = gitlab.addProject("group/app");
        maintainer = gitlab.addAccessToken(Set.of("api"), FakeGitLab.Role.MAINTAINER, project);
    }

    @AfterEach
    void stop() {
        gitlab.close();
    }

    Answer call(String token, String method, String path, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gitlab.url() + "/api/v4" + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        if (token != null) {
            b.header("PRIVATE-TOKEN", token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    long createRunner(String form) throws Exception {
        Answer a = call(maintainer, "POST", "/user/runners", "runner_type=project_type&project_id=" + project + "&" + form);
        assertThat(a.status()).as("%s", a.body()).isEqualTo(201);
        return a.body().path("id").asLong();
    }

    JsonNode runner(long id) throws Exception {
        return call(maintainer, "GET", "/runners/" + id, null).body();
    }

    /**
     * A Developer is a member, so the project is visible, but GitLab refuses what needs Maintainer with 403, never
     * 404: CreateRunnerService returns 'Insufficient permissions' (reason :forbidden) when the strategy's
     * authorized_user? (can?(:create_runners, project)) is false, and user_runners.rb calls forbidden!(message);
     * lib/api/helpers.rb renders forbidden!(reason) as {"message": "403 Forbidden - <reason>"}. Reading a runner is
     * authenticate_show_runner!'s forbidden!("No access granted"); listing a project's runners is authorize!
     * :read_project_runners, a bare forbidden!. Committing a file needs only :push_code (Developer).
     */
    @Test
    void aDeveloperIsRefusedWith403AndGitLabsReasonNot404() throws Exception {
        long runner = createRunner("tag_list=k8s");
        String developer = gitlab.addAccessToken(Set.of("api"), FakeGitLab.Role.DEVELOPER, project);

        Answer create = call(developer, "POST", "/user/runners", "runner_type=project_type&project_id=" + project + "&tag_list=k8s");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.body()).hasToString("{\"message\":\"403 Forbidden - Insufficient permissions\"}");
        assertThat(call(developer, "GET", "/runners/" + runner, null))
                .isEqualTo(new Answer(403, JSON.readTree("{\"message\":\"403 Forbidden - No access granted\"}")));
        assertThat(call(developer, "PUT", "/runners/" + runner, "paused=true").status()).isEqualTo(403);
        assertThat(call(developer, "GET", "/projects/" + project + "/runners", null))
                .isEqualTo(new Answer(403, JSON.readTree("{\"message\":\"403 Forbidden\"}")));
        assertThat(call(developer, "GET", "/projects/" + project, null).status()).isEqualTo(200);
        assertThat(call(developer, "POST", "/projects/" + project + "/repository/files/README.md",
                "branch=main&commit_message=m&content=x").status()).isEqualTo(201);

        // a Reporter may read files but not push (authorize! :push_code)
        String reporter = gitlab.addAccessToken(Set.of("api"), FakeGitLab.Role.REPORTER, project);
        assertThat(call(reporter, "GET", "/projects/" + project + "/repository/files/README.md?ref=main", null).status()).isEqualTo(200);
        assertThat(call(reporter, "PUT", "/projects/" + project + "/repository/files/README.md",
                "branch=main&commit_message=m&content=y")).isEqualTo(new Answer(403, JSON.readTree("{\"message\":\"403 Forbidden\"}")));
    }

    /**
     * POST /user/runners looks the project up with Project.find_by_id, whoever asks: a project that exists is
     * 'Insufficient permissions' for a non-member too, a project id nobody has is 'Missing/invalid project' (400), and
     * a project_id that is no Integer is Grape's {"error": "project_id is invalid"} (requires :project_id, type: Integer).
     */
    @Test
    void userRunnersAnswersLikeCreateRunnerService() throws Exception {
        String stranger = gitlab.addAccessToken(Set.of("api"), FakeGitLab.Role.OWNER, gitlab.addProject("other/app"));
        assertThat(call(stranger, "POST", "/user/runners", "runner_type=project_type&project_id=" + project + "&tag_list=k8s"))
                .isEqualTo(new Answer(403, JSON.readTree("{\"message\":\"403 Forbidden - Insufficient permissions\"}")));
        assertThat(call(maintainer, "POST", "/user/runners", "runner_type=project_type&project_id=999999&tag_list=k8s"))
                .isEqualTo(new Answer(400, JSON.readTree("{\"message\":\"400 Bad request - Missing/invalid project\"}")));
        assertThat(call(maintainer, "POST", "/user/runners", "runner_type=project_type&project_id=group%2Fapp&tag_list=k8s"))
                .isEqualTo(new Answer(400, JSON.readTree("{\"error\":\"project_id is invalid\"}")));
        // the model's errors, full messages joined by to_sentence, behind bad_request! (not render_validation_error!)
        assertThat(call(maintainer, "POST", "/user/runners", "runner_type=project_type&project_id=" + project
                + "&run_untagged=false&maximum_timeout=60")).isEqualTo(new Answer(400, JSON.readTree(
                "{\"message\":\"400 Bad request - Tags list can not be empty when runner is not allowed to pick untagged jobs"
                        + " and Maximum timeout needs to be at least 10 minutes\"}")));
        assertThat(gitlab.runners()).isEmpty();
    }

    /** user_runners.rb: locked "defaults to false", run_untagged "defaults to true", paused "defaults to false". */
    @Test
    void aCreatedRunnerHasGitLabsDefaults() throws Exception {
        JsonNode r = runner(createRunner("description=d"));
        assertThat(r.path("locked").asBoolean()).isFalse();
        assertThat(r.path("run_untagged").asBoolean()).isTrue();
        assertThat(r.path("paused").asBoolean()).isFalse();
        assertThat(r.path("access_level").asText()).isEqualTo("not_protected");
        assertThat(r.path("maximum_timeout").isNull()).isTrue();
    }

    /**
     * PUT /runners/:id (lib/api/ci/runners.rb): at_least_one_of and mutually_exclusive :active, :paused are Grape
     * errors ({"error": ...}); the model's tag_constraints and maximum_timeout numericality (>= 600) come back through
     * render_validation_error! as {"message": {"<field>": [...]}}, and nothing is saved.
     */
    @Test
    void updateValidatesLikeGitLab() throws Exception {
        long id = createRunner("tag_list=k8s&run_untagged=false");
        assertThat(call(maintainer, "PUT", "/runners/" + id, null)).isEqualTo(new Answer(400, JSON.readTree(
                "{\"error\":\"description, active, paused, tag_list, run_untagged, locked, access_level, maximum_timeout, "
                        + "maintenance_note are missing, at least one parameter must be provided\"}")));
        assertThat(call(maintainer, "PUT", "/runners/" + id, "active=true&paused=true"))
                .isEqualTo(new Answer(400, JSON.readTree("{\"error\":\"active, paused are mutually exclusive\"}")));
        assertThat(call(maintainer, "PUT", "/runners/" + id, "tag_list=")).isEqualTo(new Answer(400, JSON.readTree(
                "{\"message\":{\"tags_list\":[\"can not be empty when runner is not allowed to pick untagged jobs\"]}}")));
        assertThat(call(maintainer, "PUT", "/runners/" + id, "maximum_timeout=599")).isEqualTo(new Answer(400,
                JSON.readTree("{\"message\":{\"maximum_timeout\":[\"needs to be at least 10 minutes\"]}}")));
        assertThat(call(maintainer, "PUT", "/runners/" + id, "locked=maybe"))
                .isEqualTo(new Answer(400, JSON.readTree("{\"error\":\"locked is invalid\"}")));
        assertThat(gitlab.runner(id).orElseThrow().tags()).containsExactly("k8s");
        assertThat(gitlab.runner(id).orElseThrow().maximumTimeout()).isNull();

        Answer ok = call(maintainer, "PUT", "/runners/" + id, "tag_list=&run_untagged=true&maximum_timeout=600");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().path("tag_list")).isEmpty();
        assertThat(ok.body().path("maximum_timeout").asInt()).isEqualTo(600);
    }

    /**
     * POST /runners/verify runs authenticate_runner!, which heartbeats the runner (contacted_at = now), so GitLab
     * reports it online from then on; a wrong token is forbidden! ({"message": "403 Forbidden"}).
     */
    @Test
    void verifyRecordsTheRunnersContact() throws Exception {
        long id = createRunner("tag_list=k8s");
        String token = gitlab.runner(id).orElseThrow().token();
        assertThat(runner(id).path("status").asText()).isEqualTo("never_contacted");
        clock.advance(Duration.ofMinutes(5));

        assertThat(call(null, "POST", "/runners/verify", "token=" + token).status()).isEqualTo(200);

        JsonNode after = runner(id);
        assertThat(after.path("contacted_at").asText()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        assertThat(after.path("status").asText()).isEqualTo("online");
        assertThat(after.path("online").asBoolean()).isTrue();
        assertThat(call(null, "POST", "/runners/verify", "token=glrt-wrong"))
                .isEqualTo(new Answer(403, JSON.readTree("{\"message\":\"403 Forbidden\"}")));
    }

    /**
     * Ci::Runner#deprecated_rest_status (what REST's status exposes): stale when neither creation nor last contact is
     * within STALE_TIMEOUT (7 days), never_contacted without a contact, paused only for a contacted, inactive runner;
     * online? (the online field) is the contact alone, paused or not; paused is its own field.
     */
    @Test
    void statusIsGitLabsAndPausedIsAFlag() throws Exception {
        long id = createRunner("tag_list=k8s&paused=true");
        assertThat(runner(id).path("status").asText()).isEqualTo("never_contacted");
        assertThat(runner(id).path("paused").asBoolean()).isTrue();
        gitlab.contactRunner(id);
        assertThat(runner(id).path("status").asText()).isEqualTo("paused");
        assertThat(runner(id).path("online").asBoolean()).isTrue();
        assertThat(call(maintainer, "GET", "/projects/" + project + "/runners?status=online", null).body()).hasSize(1);
        assertThat(call(maintainer, "GET", "/projects/" + project + "/runners?paused=false", null).body()).isEmpty();

        clock.advance(Duration.ofHours(3));
        assertThat(runner(id).path("online").asBoolean()).isFalse();
        clock.advance(FakeGitLab.STALE_AFTER);
        assertThat(runner(id).path("status").asText()).isEqualTo("stale");
        long fresh = createRunner("tag_list=k8s");
        clock.advance(FakeGitLab.STALE_AFTER.plusSeconds(1));
        assertThat(runner(fresh).path("status").asText()).isEqualTo("stale");
        assertThat(call(maintainer, "GET", "/projects/" + project + "/runners?status=bogus", null))
                .isEqualTo(new Answer(400, JSON.readTree("{\"error\":\"status does not have a valid value\"}")));
    }

    /** Adding an endpoint is one route on the router: the other fake areas stay as they are. */
    @Test
    void anUnknownEndpointIsGitLabs404AndAKnownPathWithAnotherMethod405() throws Exception {
        assertThat(call(maintainer, "GET", "/personal_access_tokens/nope", null))
                .isEqualTo(new Answer(404, JSON.readTree("{\"error\":\"404 Not Found\"}")));
        assertThat(call(maintainer, "PATCH", "/projects/" + project, null).status()).isEqualTo(405);
    }
}

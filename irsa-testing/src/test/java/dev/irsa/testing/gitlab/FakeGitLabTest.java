package dev.irsa.testing.gitlab;

import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.Pager;
import org.gitlab4j.api.models.CreateRunnerParams;
import org.gitlab4j.api.models.CreateRunnerResponse;
import org.gitlab4j.api.models.RepositoryFile;
import org.gitlab4j.api.models.Runner;
import org.gitlab4j.api.models.RunnerDetail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake speaks GitLab's protocol: GitLab4J, unmodified, talks to it. */
class FakeGitLabTest {
    FakeGitLab gitlab;
    long project;
    String token;
    GitLabApi api;

    @BeforeEach
    void start() {
        gitlab = FakeGitLab.start();
        project = gitlab.addProject("group/app");
        token = gitlab.addAccessToken(Set.of("api"), project);
        api = new GitLabApi(gitlab.url(), token);
    }

    @AfterEach
    void stop() {
        api.close();
        gitlab.close();
    }

    CreateRunnerResponse create(String description, String... tags) throws GitLabApiException {
        return api.getUserApi().createRunner(new CreateRunnerParams().withRunnerType(Runner.RunnerType.PROJECT_TYPE)
                .withProjectId(project).withDescription(description).withTagList(List.of(tags)));
    }

    @Test
    void listenOnLoopbackOnly() {
        assertThat(URI.create(gitlab.url()).getHost()).isEqualTo("127.0.0.1");
        assertThat(URI.create(gitlab.url()).getPort()).isPositive();
    }

    @Test
    void pagesListsWithGitLabsHeaders() throws Exception {
        for (int i = 0; i < 25; i++) {
            create("runner-" + i, "t");
        }
        Pager<Runner> pager = api.getRunnersApi().getProjectRunners(project, 10);
        assertThat(pager.getTotalPages()).isEqualTo(3);
        assertThat(pager.getTotalItems()).isEqualTo(25);
        assertThat(pager.all()).hasSize(25);
        assertThat(api.getRunnersApi().getProjectRunners(project)).hasSize(25);
    }

    @Test
    void runnerDetailHasGitLabsShape() throws Exception {
        CreateRunnerResponse created = create("irsa:dev/r", "a", "b");
        assertThat(created.getToken()).startsWith("glrt-");
        RunnerDetail d = api.getRunnersApi().getRunnerDetail(created.getId());
        assertThat(d.getTagList()).containsExactly("a", "b");
        assertThat(d.getRunnerType()).isEqualTo(Runner.RunnerType.PROJECT_TYPE);
        assertThat(d.getAccessLevel()).isEqualTo(RunnerDetail.RunnerAccessLevel.NOT_PROTECTED);
        assertThat(d.getProjects()).singleElement().satisfies(p -> assertThat(p.getPathWithNamespace()).isEqualTo("group/app"));
        assertThat(d.getOnline()).isFalse();
        assertThat(d.getContactedAt()).isNull();
        gitlab.contactRunner(created.getId());
        assertThat(api.getRunnersApi().getRunnerDetail(created.getId()).getStatus()).isEqualTo(Runner.RunnerStatus.ONLINE);
    }

    @Test
    void authenticationAndScopes() throws Exception {
        try (GitLabApi anonymous = new GitLabApi(gitlab.url(), "glpat-unknown")) {
            assertThatThrownBy(() -> anonymous.getRunnersApi().getProjectRunners(project))
                    .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(401));
        }
        gitlab.revokeAccessToken(token);
        assertThatThrownBy(() -> api.getRunnersApi().getProjectRunners(project))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(401));
        String notAdmin = gitlab.addAccessToken(Set.of("api"), project);
        try (GitLabApi user = new GitLabApi(gitlab.url(), notAdmin)) {
            assertThatThrownBy(() -> user.getRunnersApi().getAllRunners())
                    .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(403));
            long otherProject = gitlab.addProject("other/secret");
            assertThatThrownBy(() -> user.getRunnersApi().getProjectRunners(otherProject))
                    .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(404));
        }
        String admin = gitlab.addAccessToken(Set.of("api"), true);
        try (GitLabApi root = new GitLabApi(gitlab.url(), admin)) {
            assertThat(root.getRunnersApi().getAllRunners()).isEmpty();
        }
    }

    @Test
    void projectsByPathAndFilesBase64() throws Exception {
        RepositoryFile f = new RepositoryFile();
        f.setFilePath("ci/.gitlab-ci.yml");
        f.setContent("job:\n  script: [\"true\"]\n");
        api.getRepositoryFileApi().createFile("group/app", f, "main", "add");
        RepositoryFile read = api.getRepositoryFileApi().getFile(project, "ci/.gitlab-ci.yml", "main");
        assertThat(read.getDecodedContentAsString()).isEqualTo("job:\n  script: [\"true\"]\n");
        assertThatThrownBy(() -> api.getRepositoryFileApi().createFile(project, f, "main", "again"))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getMessage()).contains("already exists"));
        assertThatThrownBy(() -> api.getRepositoryFileApi().getFile(project, "missing.yml", "main"))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(404));
    }

    @Test
    void verifyIsRunnerAuthenticated() throws Exception {
        CreateRunnerResponse created = create("r", "t");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(gitlab.url() + "/api/v4/runners/verify"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + created.getToken())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"id\":" + created.getId());
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(gitlab.url() + "/api/v4/runners/verify"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"glrt-nope\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(403);
    }

    @Test
    void faultsAndCallRecording() throws Exception {
        gitlab.failCall(2, 502);
        api.getRunnersApi().getProjectRunners(project);
        assertThatThrownBy(() -> api.getRunnersApi().getProjectRunners(project))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(502));
        api.getRunnersApi().getProjectRunners(project);
        gitlab.failNext(1, 429, 3);
        assertThatThrownBy(() -> api.getRunnersApi().getProjectRunners(project))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> {
                    assertThat(e.getHttpStatus()).isEqualTo(429);
                    assertThat(e.getHeaders().getFirst("Retry-After")).isEqualTo("3");
                });
        assertThat(gitlab.calls()).extracting(FakeGitLab.Call::status).containsExactly(200, 502, 200, 429);
        assertThat(gitlab.callCount("GET", "/projects/\\d+/runners")).isEqualTo(4);
        assertThat(gitlab.calls().toString()).doesNotContain(token);
    }

    @Test
    void runnerUpdateAndDelete() throws Exception {
        CreateRunnerResponse created = create("r", "t");
        RunnerDetail updated = api.getRunnersApi().updateRunner(created.getId(), "r2", true, List.of("x", "y"), false, true,
                RunnerDetail.RunnerAccessLevel.REF_PROTECTED);
        assertThat(updated.getTagList()).containsExactly("x", "y");
        assertThat(gitlab.runner(created.getId()).orElseThrow().accessLevel()).isEqualTo("ref_protected");
        api.getRunnersApi().removeRunner(created.getId());
        assertThatThrownBy(() -> api.getRunnersApi().removeRunner(created.getId()))
                .isInstanceOfSatisfying(GitLabApiException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(404));
    }
}

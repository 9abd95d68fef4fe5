package dev.irsa.testing.gitlab;

import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabException;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.api.GitLabExecutor.Action;
import dev.irsa.gitlab.api.GitLabExecutor.FileCommit;
import dev.irsa.gitlab.api.GitLabExecutor.JobResult;
import dev.irsa.gitlab.api.RunnerInfo;
import dev.irsa.gitlab.api.RunnerSpec;
import dev.irsa.gitlab.ci.GitLabCiFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every GitLab call irsa makes, through unmodified GitLab4J, against a real HTTP server. */
class GitLabExecutorTest {
    FakeGitLab gitlab;
    long project;
    String apiToken;
    final List<Duration> sleeps = new ArrayList<>();
    final AtomicReference<SecretString> stored = new AtomicReference<>();

    @BeforeEach
    void start() {
        gitlab = FakeGitLab.start();
        project = gitlab.addProject("group/app");
        apiToken = gitlab.addAccessToken(Set.of("api"), project);
    }

    @AfterEach
    void stop() {
        gitlab.close();
    }

    GitLabExecutor executor(String token) {
        return new GitLabExecutor(GitLabConnection.builder().url(gitlab.url()).accessToken(SecretString.of(token))
                .sleeper(sleeps::add).maxAttempts(4).initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(10))
                .build());
    }

    RunnerSpec spec() {
        return RunnerSpec.builder().stack("dev").name("app-dev-runner").projectId(project)
                .tags("k8s-dev-runner").locked(true).protectedOnly(true).maximumTimeoutSeconds(3600).build();
    }

    @Test
    void createsAProjectRunnerWithTheNewWorkflowAndHandsTheTokenToTheSink() {
        try (GitLabExecutor ex = executor(apiToken)) {
            RunnerInfo runner = ex.createRunner(spec(), stored::set);
            FakeGitLab.FakeRunner fake = gitlab.runner(runner.id()).orElseThrow();
            assertThat(fake.runnerType()).isEqualTo("project_type");
            assertThat(fake.projectIds()).containsExactly(project);
            assertThat(fake.description()).matches("irsa:dev/app-dev-runner \\[irsa-registration [0-9a-f]{32}]");
            assertThat(fake.tags()).containsExactly("k8s-dev-runner");
            assertThat(fake.runUntagged()).isFalse();
            assertThat(fake.locked()).isTrue();
            assertThat(fake.accessLevel()).isEqualTo("ref_protected");
            assertThat(fake.maximumTimeout()).isEqualTo(3600);
            assertThat(stored.get().reveal()).startsWith("glrt-").isEqualTo(fake.token());
            assertThat(runner.tags()).containsExactly("k8s-dev-runner");
            assertThat(runner.status()).isEqualTo("never_contacted");
            assertThat(runner.online()).isFalse();
            assertThat(runner.accessLevel()).isEqualTo("ref_protected");
        }
    }

    @Test
    void createRunnerNeedsTheCreateRunnerScope() {
        String readOnly = gitlab.addAccessToken(Set.of("read_api"), project);
        try (GitLabExecutor ex = executor(readOnly)) {
            assertThatThrownBy(() -> ex.createRunner(spec(), stored::set))
                    .isInstanceOf(GitLabException.Forbidden.class).hasMessageContaining("create_runner");
        }
        String createOnly = gitlab.addAccessToken(Set.of("create_runner"), project);
        try (GitLabExecutor ex = executor(createOnly)) {
            // creation works; reading the runner back needs read_api/api, which this token lacks
            assertThatThrownBy(() -> ex.createRunner(spec(), stored::set)).isInstanceOf(GitLabException.Forbidden.class);
        }
        assertThat(gitlab.runners()).hasSize(1);
        assertThat(stored.get()).isNotNull();
    }

    @Test
    void findsItsRunnerAgainByMarkerAndVerifiesTheToken() {
        try (GitLabExecutor ex = executor(apiToken)) {
            assertThat(ex.findRunner(spec())).isEmpty();
            RunnerInfo created = ex.createRunner(spec(), stored::set);
            // a foreign runner with similar tags is not irsa's
            RunnerSpec other = RunnerSpec.builder().stack("dev").name("app-dev-runner-2").projectId(project).tags("k8s-dev-runner").build();
            ex.createRunner(other, t -> { });
            assertThat(ex.findRunner(spec())).map(RunnerInfo::id).contains(created.id());
            assertThat(ex.verifyRunnerToken(stored.get())).contains(created.id());
            assertThat(ex.verifyRunnerToken(SecretString.of("glrt-not-a-real-token"))).isEmpty();
        }
    }

    /**
     * Every setting irsa gives a runner is read back and repaired, those GitLab4J 6.2's RunnerDetail lacks too
     * (GitLab's lib/api/entities/ci/runner_details.rb exposes run_untagged, locked, maximum_timeout, and
     * lib/api/entities/ci/runner.rb paused; PUT /runners/:id in lib/api/ci/runners.rb takes all of them).
     */
    @Test
    void ensureRunnerRepairsEverySettingThatDrifted() {
        try (GitLabExecutor ex = executor(apiToken)) {
            RunnerInfo created = ex.ensureRunner(spec(), Optional.empty(), stored::set).runner();
            assertThat(created.settings()).containsExactlyEntriesOf(spec().settings());
            assertThat(created.drift(spec())).isEmpty();

            ex.updateRunner(created.id(), RunnerSpec.builder().stack("dev").name("app-dev-runner").projectId(project)
                    .tags("k8s-dev-runner").locked(false).runUntagged(true).paused(true).description("edited by hand")
                    .protectedOnly(true).maximumTimeoutSeconds(600).build());
            RunnerInfo drifted = ex.runner(created.id()).orElseThrow();
            assertThat(drifted.drift(spec())).containsExactly("description", "locked", "maximum_timeout", "paused", "run_untagged");

            GitLabExecutor.EnsuredRunner repaired = ex.ensureRunner(spec(), Optional.of(stored.get()), stored::set);
            assertThat(repaired.action()).isEqualTo(Action.UPDATED);
            assertThat(repaired.runner().drift(spec())).isEmpty();
            FakeGitLab.FakeRunner fake = gitlab.runner(created.id()).orElseThrow();
            assertThat(fake.locked()).isTrue();
            assertThat(fake.runUntagged()).isFalse();
            assertThat(fake.paused()).isFalse();
            assertThat(fake.maximumTimeout()).isEqualTo(3600);
            assertThat(fake.description()).isEqualTo("irsa:dev/app-dev-runner");
        }
    }

    @Test
    void ensureRunnerIsRerunnable() {
        try (GitLabExecutor ex = executor(apiToken)) {
            GitLabExecutor.EnsuredRunner first = ex.ensureRunner(spec(), Optional.empty(), stored::set);
            assertThat(first.action()).isEqualTo(Action.CREATED);
            SecretString token = stored.get();
            GitLabExecutor.EnsuredRunner again = ex.ensureRunner(spec(), Optional.of(token), stored::set);
            assertThat(again.action()).isEqualTo(Action.UNCHANGED);
            assertThat(again.runner().id()).isEqualTo(first.runner().id());

            RunnerSpec retagged = RunnerSpec.builder().stack("dev").name("app-dev-runner").projectId(project)
                    .tags("k8s-dev-runner", "eu-west-1").protectedOnly(true).build();
            GitLabExecutor.EnsuredRunner updated = ex.ensureRunner(retagged, Optional.of(token), stored::set);
            assertThat(updated.action()).isEqualTo(Action.UPDATED);
            assertThat(gitlab.runner(first.runner().id()).orElseThrow().tags()).containsExactly("k8s-dev-runner", "eu-west-1");

            // the token is lost: nothing proves the marker runner is the caller's (issue 13 finding 11a), so a new
            // one is registered and the old one left alone
            GitLabExecutor.EnsuredRunner replaced = ex.ensureRunner(retagged, Optional.empty(), stored::set);
            assertThat(replaced.action()).isEqualTo(Action.CREATED);
            assertThat(gitlab.runners()).extracting(FakeGitLab.FakeRunner::id)
                    .containsExactlyInAnyOrder(first.runner().id(), replaced.runner().id());
            assertThat(stored.get()).isNotEqualTo(token);
        }
    }

    @Test
    void removeRunnerTreatsGoneAsSuccess() {
        try (GitLabExecutor ex = executor(apiToken)) {
            RunnerInfo r = ex.createRunner(spec(), stored::set);
            assertThat(ex.removeRunner(r.id())).isTrue();
            assertThat(gitlab.runners()).isEmpty();
            assertThat(ex.removeRunner(r.id())).isFalse();
            assertThat(ex.runner(r.id())).isEmpty();
            assertThat(ex.verifyRunnerToken(stored.get())).isEmpty();
        }
    }

    @Test
    void onlineStatusFollowsContact() {
        try (GitLabExecutor ex = executor(apiToken)) {
            RunnerInfo r = ex.createRunner(spec(), stored::set);
            gitlab.contactRunner(r.id());
            RunnerInfo online = ex.runner(r.id()).orElseThrow();
            assertThat(online.online()).isTrue();
            assertThat(online.status()).isEqualTo("online");
            assertThat(online.contactedAt()).isPresent();
            gitlab.setRunnerContactedAt(r.id(), java.time.Instant.now().minus(Duration.ofHours(3)));
            assertThat(ex.runner(r.id()).orElseThrow().status()).isEqualTo("offline");
        }
    }

    @Test
    void sinkFailureLeavesNoRunnerBehind() {
        try (GitLabExecutor ex = executor(apiToken)) {
            assertThatThrownBy(() -> ex.createRunner(spec(), t -> {
                throw new IllegalStateException("secret store down");
            })).hasMessageContaining("could not store the token").hasMessageNotContaining("glrt-");
            assertThat(gitlab.runners()).isEmpty();
        }
    }

    @Test
    void throttlingIsRetriedHonouringRetryAfter() {
        try (GitLabExecutor ex = executor(apiToken)) {
            gitlab.failNext(2, 429, 7);
            RunnerInfo r = ex.createRunner(spec(), stored::set);
            assertThat(r.id()).isPositive();
            assertThat(sleeps).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
            assertThat(gitlab.runners()).hasSize(1);
        }
    }

    @Test
    void serverErrorsAreRetriedWithExponentialBackoffThenReported() {
        try (GitLabExecutor ex = executor(apiToken)) {
            gitlab.failOn("GET", "/projects/\\d+/runners", 503, 10);
            assertThatThrownBy(() -> ex.findRunner(spec()))
                    .isInstanceOfSatisfying(GitLabException.Unavailable.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.retryable()).isTrue();
                    })
                    .hasMessageContaining("after 4 attempts");
            assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(gitlab.callCount("GET", "/projects/\\d+/runners")).isEqualTo(4);
        }
    }

    @Test
    void aLostAnswerToACreateDoesNotLeaveAnOrphanAndAnotherMarkerRunnerIsKept() {
        try (GitLabExecutor ex = executor(apiToken)) {
            // another registration carrying the same marker (someone else's, or an earlier run's): not this one
            RunnerInfo other = ex.createRunner(spec(), t -> { });
            // GitLab creates the runner but the answer is lost; the retry removes only the runner carrying this
            // registration's nonce (issue 13 finding 11a: the marker alone proves nothing)
            gitlab.dropResponseOn("POST", "/user/runners");
            RunnerInfo r = ex.createRunner(spec(), stored::set);
            assertThat(gitlab.runners()).extracting(FakeGitLab.FakeRunner::id).containsExactlyInAnyOrder(other.id(), r.id());
            assertThat(gitlab.calls()).filteredOn(c -> c.method().equals("POST") && c.path().equals("/user/runners")).hasSize(3);
            assertThat(sleeps).hasSize(1);
        }
    }

    @Test
    void errorsMapToTypedExceptionsThatSayWhatToFix() {
        try (GitLabExecutor ex = executor("glpat-wrong")) {
            assertThatThrownBy(() -> ex.findRunner(spec())).isInstanceOf(GitLabException.Unauthorized.class)
                    .hasMessageContaining("access token");
        }
        try (GitLabExecutor ex = executor(apiToken)) {
            RunnerSpec unknownProject = RunnerSpec.builder().stack("dev").name("r").projectId(999_999).tags("t").build();
            // Ci::Runners::CreateRunnerService: ProjectRunnerStrategy#validate_params answers 'Missing/invalid project'
            // for a project_id no project has, and lib/api/user_runners.rb bad_request!s it
            assertThatThrownBy(() -> ex.createRunner(unknownProject, stored::set))
                    .isInstanceOfSatisfying(GitLabException.Rejected.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessageContaining("400 Bad request - Missing/invalid project");
            gitlab.failNext(1, 409, 0);
            assertThatThrownBy(() -> ex.runner(1)).isInstanceOfSatisfying(GitLabException.Conflict.class,
                    e -> assertThat(e.status()).isEqualTo(409));
            gitlab.failNext(1, 410, 0);
            assertThatThrownBy(() -> ex.runner(1)).isInstanceOfSatisfying(GitLabException.Conflict.class,
                    e -> assertThat(e.status()).isEqualTo(410)).hasMessageContaining("re-run apply");
            gitlab.failNext(1, 422, 0);
            assertThatThrownBy(() -> ex.runner(1)).isInstanceOf(GitLabException.Rejected.class);
            gitlab.failNext(5, 429, 1);
            assertThatThrownBy(() -> ex.runner(1)).isInstanceOf(GitLabException.Throttled.class);
            gitlab.failNext(5, 500, 0);
            assertThatThrownBy(() -> ex.runner(1)).isInstanceOf(GitLabException.Unavailable.class);
        }
    }

    @Test
    void tooManyTagsAreRejectedBeforeAnyCallAndByGitLab() {
        List<String> tags = IntStream.range(0, 51).mapToObj(i -> "t" + i).toList();
        assertThatThrownBy(() -> RunnerSpec.builder().stack("dev").name("r").projectId(project).tags(tags).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("50");
        assertThat(gitlab.calls()).isEmpty();
        // GitLab itself says so too (what a caller bypassing irsa's validation would see)
        try (GitLabExecutor ex = executor(apiToken)) {
            org.gitlab4j.api.GitLabApi api = new org.gitlab4j.api.GitLabApi(gitlab.url(), apiToken);
            assertThatThrownBy(() -> api.getUserApi().createRunner(new org.gitlab4j.api.models.CreateRunnerParams()
                    .withRunnerType(org.gitlab4j.api.models.Runner.RunnerType.PROJECT_TYPE).withProjectId(project).withTagList(tags)))
                    .isInstanceOfSatisfying(org.gitlab4j.api.GitLabApiException.class, e -> {
                        // the model's tag_constraints, as user_runners.rb's bad_request!(errors.to_sentence) renders it
                        assertThat(e.getHttpStatus()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("400 Bad request - Tags list Too many tags specified. "
                                + "Please limit the number of tags to 50");
                    });
            api.close();
            assertThat(ex.findRunner(spec())).isEmpty();
        }
    }

    @Test
    void legacyRegistrationTokenIsRejectedBeforeVerify() {
        try (GitLabExecutor ex = executor(apiToken)) {
            assertThatThrownBy(() -> ex.verifyRunnerToken(SecretString.of("GR1348941oldtoken")))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("registration token");
            assertThat(gitlab.calls()).isEmpty();
        }
    }

    @Test
    void verifyRetriesThrottlingToo() {
        try (GitLabExecutor ex = executor(apiToken)) {
            RunnerInfo r = ex.createRunner(spec(), stored::set);
            gitlab.failOn("POST", "/runners/verify", 429, 1);
            assertThat(ex.verifyRunnerToken(stored.get())).contains(r.id());
            assertThat(sleeps).hasSize(1);
        }
    }

    @Test
    void commitsThePipelineFileOnceAndRunsTheTaggedJobOnTheRunner() {
        String ci = GitLabCiFile.builder().stages("dev")
                .job("infra", j -> j.stage("dev").image("amazon/aws-cli").script("aws sts get-caller-identity").tags("k8s-dev-runner"))
                .build().toYaml();
        try (GitLabExecutor ex = executor(apiToken)) {
            assertThat(ex.commitFile(project, ".gitlab-ci.yml", "main", ci, "irsa: pipeline")).isEqualTo(FileCommit.CREATED);
            assertThat(ex.commitFile(project, ".gitlab-ci.yml", "main", ci, "irsa: pipeline")).isEqualTo(FileCommit.UNCHANGED);
            assertThat(ex.commitFile(project, ".gitlab-ci.yml", "main", ci + "# v2\n", "irsa: pipeline")).isEqualTo(FileCommit.UPDATED);
            assertThat(gitlab.file(project, "main", ".gitlab-ci.yml")).contains(ci + "# v2\n");

            RunnerInfo runner = ex.createRunner(spec(), stored::set);
            long pipeline = ex.triggerPipeline(project, "main");
            // runner not online yet: the job stays pending, the bounded wait says why
            assertThatThrownBy(() -> ex.waitForJob(project, pipeline, "k8s-dev-runner", Duration.ofSeconds(30), Duration.ofSeconds(10)))
                    .isInstanceOf(GitLabException.WaitTimedOut.class).hasMessageContaining("pending").hasMessageContaining("online");
            assertThat(sleeps).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));

            gitlab.contactRunner(runner.id());
            JobResult job = ex.waitForJob(project, pipeline, "k8s-dev-runner", Duration.ofMinutes(5), Duration.ofSeconds(10));
            assertThat(job.succeeded()).isTrue();
            assertThat(job.name()).isEqualTo("infra");
            assertThat(job.runnerId()).contains(runner.id());
        }
    }

    @Test
    void aFailedJobIsReportedWithItsReason() {
        String ci = GitLabCiFile.builder().job("infra", j -> j.script("false").tags("k8s-dev-runner")).build().toYaml();
        try (GitLabExecutor ex = executor(apiToken)) {
            ex.commitFile(project, ".gitlab-ci.yml", "main", ci, "irsa: pipeline");
            RunnerInfo runner = ex.createRunner(spec(), stored::set);
            gitlab.contactRunner(runner.id());
            gitlab.setJobOutcome("infra", "failed");
            JobResult job = ex.waitForJob(project, ex.triggerPipeline(project, "main"), "k8s-dev-runner", Duration.ofMinutes(1), Duration.ofSeconds(5));
            assertThat(job.status()).isEqualTo("failed");
            assertThat(job.failureReason()).contains("script_failure");
            assertThatThrownBy(() -> ex.waitForJob(project, ex.triggerPipeline(project, "main"), "other-tag", Duration.ofMinutes(1), Duration.ofSeconds(5)))
                    .isInstanceOf(GitLabException.Rejected.class).hasMessageContaining("no job");
        }
    }

    @Test
    void pipelineErrorsComeFromGitLab() {
        try (GitLabExecutor ex = executor(apiToken)) {
            assertThatThrownBy(() -> ex.triggerPipeline(project, "main"))
                    .isInstanceOf(GitLabException.Rejected.class).hasMessageContaining("Missing CI config file");
            assertThatThrownBy(() -> ex.commitFile(project, ".gitlab-ci.yml", "no-such-branch", "x: 1", "m"))
                    .isInstanceOf(GitLabException.Rejected.class);
            gitlab.failOn("POST", "/projects/\\d+/pipeline", 500, 1);
            assertThatThrownBy(() -> ex.triggerPipeline(project, "main")).isInstanceOf(GitLabException.Unavailable.class);
            assertThat(sleeps).as("pipeline creation is not retried on 5xx").isEmpty();
        }
    }

    /** Issue 13 finding 11a: the token proves which runner is the caller's; other marker runners are not touched. */
    @Test
    void ensureRunnerLeavesOtherRunnersOfItsMarkerAlone() {
        try (GitLabExecutor ex = executor(apiToken)) {
            RunnerInfo first = ex.createRunner(spec(), stored::set);
            SecretString token = stored.get();
            ex.createRunner(spec(), t -> { });
            ex.createRunner(spec(), t -> { });
            assertThat(ex.findRunnerIds(spec())).hasSize(3);
            GitLabExecutor.EnsuredRunner r = ex.ensureRunner(spec(), Optional.of(token), stored::set);
            assertThat(r.action()).isEqualTo(Action.UNCHANGED);
            assertThat(r.runner().id()).isEqualTo(first.id());
            assertThat(gitlab.runners()).hasSize(3);
        }
    }

    @Test
    void resolvesProjectPaths() {
        try (GitLabExecutor ex = executor(apiToken)) {
            assertThat(ex.projectId("group/app")).isEqualTo(project);
            assertThatThrownBy(() -> ex.projectId("group/missing")).isInstanceOf(GitLabException.NotFound.class);
            assertThatThrownBy(() -> ex.projectId("/bad/")).isInstanceOf(ValidationException.class);
        }
    }

    @Test
    void groupRunnersAreCreatedFoundAndRemoved() {
        long group = gitlab.addGroup("platform");
        String groupOwner = gitlab.addAccessToken(Set.of("api"), group);
        RunnerSpec groupSpec = RunnerSpec.builder().stack("dev").name("group-runner").groupId(group).tags("k8s").build();
        try (GitLabExecutor ex = executor(groupOwner)) {
            GitLabExecutor.EnsuredRunner r = ex.ensureRunner(groupSpec, Optional.empty(), stored::set);
            assertThat(r.action()).isEqualTo(Action.CREATED);
            assertThat(gitlab.runner(r.runner().id()).orElseThrow().runnerType()).isEqualTo("group_type");
            assertThat(ex.ensureRunner(groupSpec, Optional.of(stored.get()), stored::set).action()).isEqualTo(Action.UNCHANGED);
            assertThat(ex.removeRunner(r.runner().id())).isTrue();
        }
        try (GitLabExecutor ex = executor(apiToken)) {
            // GroupRunnerStrategy#authorized_user? is false for a user who does not own the group: CreateRunnerService
            // answers 'Insufficient permissions' with reason :forbidden, which user_runners.rb forbidden!s
            assertThatThrownBy(() -> ex.createRunner(groupSpec, stored::set))
                    .isInstanceOf(GitLabException.Forbidden.class).hasMessageContaining("403 Forbidden - Insufficient permissions")
                    .hasMessageContaining("Owner on a group");
        }
    }
}

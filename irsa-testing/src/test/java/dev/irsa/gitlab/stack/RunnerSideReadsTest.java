package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.SecretString;
import dev.irsa.gitlab.api.RunnerSpec;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.plan.Action;
import dev.irsa.plan.Change;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ResourceId;
import dev.irsa.testing.gitlab.FakeGitLab;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What planning an applied stack reads on the runner side (GitLab, the token Secret, Helm): each thing once,
 * the runner by the id its Secret records, and a Secret holding another runner's token is a lost token.
 */
class RunnerSideReadsTest {
    private static final String SECRET = "gitlab-runner-token";
    private static final String SECRET_GET = "GET /api/v1/namespaces/dev/secrets/" + SECRET;
    private static final ResourceId RUNNER = ResourceId.parse("gitlab.runner/seed/runner");
    private static final ResourceId SECRET_ID = ResourceId.parse("kubernetes.secret/dev/" + SECRET);

    private final StackFixture world = new StackFixture();
    private final RunnerStack seed = StackFixture.seed();

    @BeforeEach
    void apply() {
        world.irsa.apply(seed).orThrow();
    }

    @AfterEach
    void close() {
        world.close();
    }

    private Secret secret() {
        return world.cluster.client().secrets().inNamespace("dev").withName(SECRET).get();
    }

    private long onlyRunnerId() {
        assertThat(world.gitlab.runners()).hasSize(1);
        return world.gitlab.runners().get(0).id();
    }

    /** Requests the API server received since the last drain, as {@code "GET /api/v1/..."} without the query. */
    private List<String> kubernetesRequests() {
        List<String> requests = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = world.cluster.server().takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                String path = r.getPath();
                requests.add(r.getMethod() + " " + (path.contains("?") ? path.substring(0, path.indexOf('?')) : path));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return requests;
    }

    private List<String> gitlabCallsSince(int baseline) {
        return world.gitlab.calls().stream().skip(baseline).map(c -> c.method() + " " + c.path()).toList();
    }

    @Test
    void applyRecordsTheRunnersIdInItsTokenSecret() {
        assertThat(secret().getMetadata().getAnnotations())
                .containsEntry(IrsaMetadata.RUNNER_ID_ANNOTATION, Long.toString(onlyRunnerId()));
    }

    @Test
    void aNoOpPlanReadsTheRunnerByItsIdAndThePipelineByItsProjectPathWithoutLookingUpOrListing() {
        long runner = onlyRunnerId();
        int baseline = world.gitlab.calls().size();

        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();

        // one read per GitLab resource: the runner (its project checked by the path GitLab reports) and the file
        assertThat(gitlabCallsSince(baseline)).containsExactlyInAnyOrder(
                "GET /runners/" + runner,
                "GET /projects/" + StackFixture.PROJECT + "/repository/files/.gitlab-ci.yml");
    }

    @Test
    void aPlanThatNeedsTheProjectsIdLooksItUpOnceForTheRunnerAndThePipeline() {
        world.irsa.destroy(seed).orThrow();
        int baseline = world.gitlab.calls().size();

        world.irsa.apply(seed).orThrow();

        // the runner is listed and created in the project, the pipeline committed to it: one lookup serves all
        assertThat(gitlabCallsSince(baseline)).filteredOn(("GET /projects/" + StackFixture.PROJECT)::equals).hasSize(1);
        assertThat(gitlabCallsSince(baseline)).contains("GET /projects/" + world.projectId + "/runners",
                "POST /projects/" + world.projectId + "/repository/files/.gitlab-ci.yml");
    }

    @Test
    void aRecordedRunnerOfAnotherProjectIsNotTheStacksRunner() {
        long other = world.gitlab.addProject("my-group/other-project");
        String otherToken = world.gitlab.addAccessToken(java.util.Set.of("api", "create_runner"), other, world.projectId);
        try (var otherExecutor = new dev.irsa.gitlab.api.GitLabExecutor(dev.irsa.gitlab.api.GitLabConnection.builder()
                .url(world.gitlab.url()).accessToken(SecretString.of(otherToken)).sleeper(world.clock.sleeper()).build())) {
            // a runner carrying the stack's marker, but registered in another project
            long elsewhere = otherExecutor.createRunner(RunnerSpec.builder().stack("seed").name("runner").projectId(other)
                    .tags("k8s-dev-runner").protectedOnly(true).build(), t -> { }).id();
            world.cluster.client().secrets().inNamespace("dev").withName(SECRET).edit(s -> {
                s.getMetadata().getAnnotations().put(IrsaMetadata.RUNNER_ID_ANNOTATION, Long.toString(elsewhere));
                return s;
            });
        }
        int baseline = world.gitlab.calls().size();

        Change runner = world.irsa.plan(seed).change(RUNNER).orElseThrow();

        // the runner the Secret names is not in the stack's project, so the project's runners are listed; the
        // Secret no longer records the one there (its id was overwritten): it is not provably irsa's any more,
        // so irsa registers its own and leaves that one alone, saying so
        assertThat(gitlabCallsSince(baseline)).contains("GET /projects/" + world.projectId + "/runners");
        assertThat(runner.action()).isEqualTo(Action.CREATE);
        assertThat(runner.diffs().toString()).contains("not irsa's");
    }

    @Test
    void theTokenSecretIsReadOncePerPlanAndAfreshByTheNextPlan() {
        kubernetesRequests();

        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
        assertThat(kubernetesRequests()).filteredOn(SECRET_GET::equals).hasSize(1);

        // the next plan does not reuse the first one's observation: it sees the Secret as it is now
        world.cluster.client().secrets().inNamespace("dev").withName(SECRET).delete();
        kubernetesRequests();
        Plan next = world.irsa.plan(seed);
        assertThat(kubernetesRequests()).filteredOn(SECRET_GET::equals).hasSize(1);
        // without the Secret nothing records the runner: irsa registers its own (the old one is not provably irsa's)
        assertThat(next.change(RUNNER).orElseThrow().action()).isEqualTo(Action.CREATE);
        assertThat(next.change(SECRET_ID).orElseThrow().action()).isEqualTo(Action.CREATE);
    }

    @Test
    void theRunnerAndItsSecretObservedTwiceOverOneResourceListReadTheSecretTwice() {
        var resources = seed.resources(world.irsa.stackBackends());
        var planner = dev.irsa.plan.Planner.create(p -> p.budget(dev.irsa.plan.ExecutionBudget.create(
                b -> b.clock(world.clock).sleeper(world.clock.sleeper()))));
        kubernetesRequests();
        assertThat(planner.plan(seed.name(), resources).hasChanges()).isFalse();
        assertThat(planner.plan(seed.name(), resources).hasChanges()).isFalse();
        assertThat(kubernetesRequests()).filteredOn(SECRET_GET::equals).hasSize(2);
    }

    /** Issue 13 finding 11a: the marker alone proves nothing, so a Secret recording no id proves no runner irsa's. */
    @Test
    void aSecretWithoutTheRunnerIdProvesNoRunnerIrsasAndTheMarkerRunnerIsLeftAlone() {
        long runner = onlyRunnerId();
        world.cluster.client().secrets().inNamespace("dev").withName(SECRET).edit(s -> {
            s.getMetadata().getAnnotations().remove(IrsaMetadata.RUNNER_ID_ANNOTATION);
            return s;
        });
        int baseline = world.gitlab.calls().size();

        Change change = world.irsa.plan(seed).change(RUNNER).orElseThrow();

        assertThat(gitlabCallsSince(baseline)).contains("GET /projects/" + world.projectId + "/runners");
        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.diffs().toString()).contains("#" + runner).contains("not irsa's");
        world.irsa.apply(seed).orThrow();
        assertThat(world.gitlab.runner(runner)).as("left alone").isPresent();
        assertThat(world.gitlab.runners()).hasSize(2);
    }

    @Test
    void aRecordedRunnerThatIsGoneIsLookedForByListing() {
        world.cluster.client().secrets().inNamespace("dev").withName(SECRET).edit(s -> {
            s.getMetadata().getAnnotations().put(IrsaMetadata.RUNNER_ID_ANNOTATION, "999999");
            return s;
        });
        int baseline = world.gitlab.calls().size();

        Change runner = world.irsa.plan(seed).change(RUNNER).orElseThrow();

        assertThat(gitlabCallsSince(baseline)).contains("GET /runners/999999", "GET /projects/" + world.projectId + "/runners");
        // the marker runner found by listing is not the one the Secret records: not provably irsa's
        assertThat(runner.action()).isEqualTo(Action.CREATE);
        assertThat(runner.diffs().toString()).contains("not irsa's");
    }

    @Test
    void aSecretHoldingTheTokenOfARemovedRunnerIsALostTokenAndApplyRegistersAgain() {
        long old = onlyRunnerId();
        // an apply stopped after registering again: it removed the old runner, recorded its new registration
        // and registered, and the Secret still holds the removed runner's token and id
        world.gitlabExecutor.removeRunner(old);
        String registration = RunnerSpec.newRegistration();
        world.kubernetes.recordOnRunnerSecret("dev", SECRET, "seed", java.util.Map.of(IrsaMetadata.RUNNER_REGISTRATION_ANNOTATION, registration));
        SecretString[] unstored = new SecretString[1];
        long replacement = world.gitlabExecutor.createRunner(RunnerSpec.builder().stack("seed").name("runner")
                .projectId(world.projectId).tags("k8s-dev-runner").protectedOnly(true).build(), registration, t -> unstored[0] = t).id();

        Plan plan = world.irsa.plan(seed);

        Change runner = plan.change(RUNNER).orElseThrow();
        assertThat(runner.action()).isEqualTo(Action.UPDATE);
        assertThat(runner.reason()).contains("token");
        assertThat(plan.render()).contains("lost (Secret holds the token of runner " + old + ")").doesNotContain(unstored[0].reveal());

        world.irsa.apply(seed).orThrow();
        long current = onlyRunnerId();
        assertThat(current).isNotIn(old, replacement);
        assertThat(secret().getMetadata().getAnnotations()).containsEntry(IrsaMetadata.RUNNER_ID_ANNOTATION, Long.toString(current))
                .doesNotContainKey(IrsaMetadata.RUNNER_REGISTRATION_ANNOTATION);
        String stored = new String(Base64.getDecoder().decode(secret().getData().get("runner-token")), StandardCharsets.UTF_8);
        assertThat(world.gitlab.runner(current).map(FakeGitLab.FakeRunner::token)).contains(stored);
        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
    }

    @Test
    void theHelmReleaseIsObservedWithAStatusAndItsValues() {
        int baseline = world.helm.calls().size();

        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();

        // helm status, then helm get values at that revision (HelmJavaExecutor's two structured reads)
        assertThat(world.helm.calls().stream().skip(baseline)).containsExactly("status dev/app-dev-runner", "values dev/app-dev-runner");
    }
}

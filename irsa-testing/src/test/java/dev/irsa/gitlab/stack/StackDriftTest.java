package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.plan.Action;
import dev.irsa.plan.Change;
import dev.irsa.plan.FieldDiff;
import dev.irsa.plan.Plan;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Someone edits what irsa applied: the plan shows exactly that, and apply repairs it. */
class StackDriftTest {
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

    @Test
    void anEditedTrustIsTheOnlyChangeAndApplyRestoresIt() {
        String original = world.iam.trustPolicy("eks-cluster-role").orElseThrow();
        world.iam.updateAssumeRolePolicy(b -> b.roleName("eks-cluster-role")
                .policyDocument(original.replace("system:serviceaccount:dev:app-deployer", "system:serviceaccount:dev:intruder")));

        Plan plan = world.irsa.plan(seed);

        assertThat(plan.changes().stream().filter(c -> c.action() != Action.NO_OP)).singleElement().satisfies(c -> {
            assertThat(c.id().toString()).isEqualTo("iam.role/eks-cluster-role");
            assertThat(c.action()).isEqualTo(Action.UPDATE);
            assertThat(c.diffs()).extracting(FieldDiff::name).containsExactly("trust_policy");
        });
        assertThat(plan.render()).contains("~ iam.role/eks-cluster-role").contains("intruder");

        world.clearCalls();
        world.irsa.apply(seed).orThrow();
        assertThat(world.iam.calls().changing()).containsExactly("UpdateAssumeRolePolicy");
        assertThat(world.iam.trustPolicy("eks-cluster-role").orElseThrow()).contains("system:serviceaccount:dev:app-deployer")
                .doesNotContain("intruder");
        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
    }

    @Test
    void anEditedAnnotationIsTheOnlyChangeAndApplyRestoresIt() {
        world.cluster.client().serviceAccounts().inNamespace("dev").withName("app-deployer").edit(sa -> {
            sa.getMetadata().getAnnotations().put("eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/other");
            return sa;
        });

        Plan plan = world.irsa.plan(seed);

        assertThat(plan.changes().stream().filter(c -> c.action() != Action.NO_OP)).singleElement().satisfies(c -> {
            assertThat(c.id().toString()).isEqualTo("kubernetes.service-account/dev/app-deployer");
            assertThat(c.action()).isEqualTo(Action.UPDATE);
            assertThat(c.diffs()).singleElement().hasToString("annotations.eks.amazonaws.com/role-arn: "
                    + "\"arn:aws:iam::111122223333:role/other\" -> \"arn:aws:iam::111122223333:role/eks-cluster-role\"");
        });

        world.irsa.apply(seed).orThrow();
        assertThat(world.cluster.client().serviceAccounts().inNamespace("dev").withName("app-deployer").get()
                .getMetadata().getAnnotations()).containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/eks-cluster-role");
        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
    }

    /**
     * Every setting irsa gives its runner is observed from GitLab's JSON (GitLab4J 6.2's RunnerDetail has no
     * locked, run_untagged, paused or maximum_timeout: lib/api/entities/ci/runner_details.rb exposes them),
     * shown in the plan and repaired with one PUT /runners/:id. Before issue 16 only tags and access level were.
     */
    @Test
    void aRunnerEditedInGitLabShowsEverySettingThatDriftedAndOnePutRepairsThem() {
        long id = world.gitlab.runners().get(0).id();
        // someone edits the runner in GitLab: unlocks it, lets it run untagged jobs, pauses it, renames it
        world.gitlabExecutor.updateRunner(id, dev.irsa.gitlab.api.RunnerSpec.builder().stack("seed").name("runner")
                .projectId(world.projectId).tags("k8s-dev-runner", "extra").protectedOnly(false).locked(false)
                .runUntagged(true).paused(true).description("hand-edited").maximumTimeoutSeconds(7200).build());

        Plan plan = world.irsa.plan(seed);

        Change runner = plan.change(dev.irsa.plan.ResourceId.parse("gitlab.runner/seed/runner")).orElseThrow();
        assertThat(runner.action()).isEqualTo(Action.UPDATE);
        assertThat(runner.diffs()).extracting(FieldDiff::name).containsExactlyInAnyOrder(
                "access_level", "description", "locked", "paused", "run_untagged", "tag_list");
        assertThat(runner.diff("description").orElseThrow()).hasToString(
                "description: \"irsa:seed/runner hand-edited\" -> \"irsa:seed/runner\"");
        assertThat(plan.changes().stream().filter(c -> c.action() != Action.NO_OP)).singleElement();

        int before = world.gitlab.calls().size();
        world.irsa.apply(seed).orThrow();
        assertThat(world.gitlab.calls().subList(before, world.gitlab.calls().size())).filteredOn(c -> !c.method().equals("GET"))
                .extracting(c -> c.method() + " " + c.path()).containsExactly("PUT /runners/" + id);
        dev.irsa.testing.gitlab.FakeGitLab.FakeRunner repaired = world.gitlab.runner(id).orElseThrow();
        assertThat(repaired.description()).isEqualTo("irsa:seed/runner");
        assertThat(repaired.tags()).containsExactly("k8s-dev-runner");
        assertThat(repaired.accessLevel()).isEqualTo("ref_protected");
        assertThat(repaired.locked()).isTrue();
        assertThat(repaired.runUntagged()).isFalse();
        assertThat(repaired.paused()).isFalse();
        // the stack sets no maximum timeout: GitLab's value is left alone
        assertThat(repaired.maximumTimeout()).isEqualTo(7200);
        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
    }

    /**
     * The new token reaches the runner manager only through new pods: the release's pod template gets a new
     * irsa.dev/runner-token-generation stamp (runner id and token generation, never the token), so the upgrade is a
     * rollout. Before issue 16 the upgrade rendered the same values, and no pod restarted.
     */
    @Test
    void aRunnerRemovedInGitLabIsRegisteredAgainAndItsNewTokenRollsOut() {
        long old = world.gitlab.runners().get(0).id();
        assertThat(world.helm.rollouts("app-dev-runner", "dev")).isEqualTo(1);
        assertThat(stamp()).isEqualTo(old + "-1");
        world.gitlabExecutor.removeRunner(old);

        Plan plan = world.irsa.plan(seed);
        Map<String, Action> actions = new java.util.TreeMap<>();
        plan.changes().stream().filter(c -> c.action() != Action.NO_OP).forEach(c -> actions.put(c.id().toString(), c.action()));
        assertThat(actions).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                "gitlab.runner/seed/runner", Action.CREATE,
                "kubernetes.secret/dev/gitlab-runner-token", Action.UPDATE,
                "helm.release/dev/app-dev-runner", Action.UPDATE)));

        world.irsa.apply(seed).orThrow();
        assertThat(world.gitlab.runners()).singleElement().satisfies(r -> assertThat(r.id()).isNotEqualTo(old));
        String stored = new String(java.util.Base64.getDecoder().decode(world.cluster.client().secrets().inNamespace("dev")
                .withName("gitlab-runner-token").get().getData().get("runner-token")), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(world.gitlab.isValidRunnerToken(stored)).isTrue();
        long now = world.gitlab.runners().get(0).id();
        assertThat(world.helm.rollouts("app-dev-runner", "dev")).as("the upgrade rolled the runner manager").isEqualTo(2);
        assertThat(stamp()).isEqualTo(now + "-2").doesNotContain(stored);
        assertThat(plan.render()).contains("irsa.dev/runner-token-generation").doesNotContain(stored);
        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
        world.irsa.apply(seed).orThrow();
        assertThat(world.helm.rollouts("app-dev-runner", "dev")).as("nothing changed: no rollout").isEqualTo(2);
    }

    @SuppressWarnings("unchecked")
    private String stamp() {
        Map<String, Object> values = world.helm.values("app-dev-runner", "dev").orElseThrow();
        return String.valueOf(((Map<String, Object>) values.get("podAnnotations")).get("irsa.dev/runner-token-generation"));
    }

    /**
     * The Secret was irsa's record of which runner is its own: without it the old runner is not provably irsa's
     * (issue 13 finding 11a), so irsa registers a new one and leaves the old one alone, naming it in the plan.
     * The pipeline file, whose hash the Secret recorded too, has exactly the wanted content: used as it is.
     */
    @Test
    void aDeletedTokenSecretMakesIrsaRegisterANewRunnerAndLeaveTheUnprovableOneAlone() {
        long old = world.gitlab.runners().get(0).id();
        world.cluster.client().secrets().inNamespace("dev").withName("gitlab-runner-token").delete();

        Plan plan = world.irsa.plan(seed);
        Change runner = plan.change(dev.irsa.plan.ResourceId.parse("gitlab.runner/seed/runner")).orElseThrow();
        assertThat(runner.action()).isEqualTo(Action.CREATE);
        assertThat(runner.diffs().toString()).contains("#" + old).contains("not irsa's");

        world.irsa.apply(seed).orThrow();
        assertThat(world.gitlab.runners()).hasSize(2);
        assertThat(world.gitlab.runner(old)).isPresent();
        assertThat(world.cluster.client().secrets().inNamespace("dev").withName("gitlab-runner-token").get()).isNotNull();
        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
    }

    @Test
    void aSecretThatLostItsEmptyRegistrationKeyIsRewrittenWithANewToken() {
        world.cluster.client().secrets().inNamespace("dev").withName("gitlab-runner-token").edit(secret -> {
            secret.getData().remove("runner-registration-token");
            return secret;
        });

        Plan plan = world.irsa.plan(seed);
        assertThat(plan.change(dev.irsa.plan.ResourceId.parse("kubernetes.secret/dev/gitlab-runner-token")).orElseThrow()
                .diffs()).extracting(FieldDiff::name).contains("keys", "runner-token");

        world.irsa.apply(seed).orThrow();
        assertThat(world.cluster.client().secrets().inNamespace("dev").withName("gitlab-runner-token").get().getData())
                .containsOnlyKeys("runner-token", "runner-registration-token");
        assertThat(world.gitlab.runners()).hasSize(1);
        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
    }
}

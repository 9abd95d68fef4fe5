package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.SecretString;
import dev.irsa.gitlab.helm.HelmChart;
import dev.irsa.gitlab.helm.HelmReleaseRequest;
import dev.irsa.plan.Action;
import dev.irsa.plan.Change;
import dev.irsa.plan.FieldDiff;
import dev.irsa.plan.Plan;
import dev.irsa.plan.PlanRefusedException;
import dev.irsa.plan.ResourceId;
import dev.irsa.testing.helm.FakeHelm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's Helm release is irsa's only when its values carry the stack's ownership marks; its values are
 * read back ({@code helm get values}) and compared, so drift shows in the plan and apply repairs it.
 */
class HelmReleaseOwnershipTest {
    private static final ResourceId RELEASE = ResourceId.parse("helm.release/dev/app-dev-runner");
    private static final String FOREIGN_TOKEN = "glrt-foreign-secret-0123456789";

    private final StackFixture world = new StackFixture();
    private final RunnerStack seed = StackFixture.seed();

    @AfterEach
    void close() {
        world.close();
    }

    /** Someone else's release with the seed's name and namespace, installed with an inline token. */
    private void installForeignRelease(String values) {
        world.helm.install(HelmReleaseRequest.builder().releaseName("app-dev-runner").namespace("dev")
                .chart(HelmChart.gitlabRunner()).values(values)
                .secretValues(Map.of("runnerToken", SecretString.of(FOREIGN_TOKEN))).build());
    }

    private static RunnerStack withRunner(RunnerStack stack, java.util.function.Consumer<RunnerSettings.Builder> change) {
        RunnerSettings.Builder r = stack.runner().toBuilder();
        change.accept(r);
        return stack.toBuilder().runner(r.build()).build();
    }

    private static Change releaseChange(Plan plan) {
        return plan.change(RELEASE).orElseThrow();
    }

    private static List<Change> changing(Plan plan) {
        return plan.changes().stream().filter(c -> c.action() != Action.NO_OP).toList();
    }

    @Test
    void aForeignReleaseOfTheSameNameIsRefusedAndDestroyLeavesItInstalled() {
        installForeignRelease("gitlabUrl: https://gitlab.other.example/\nconcurrent: 2\n");

        Plan plan = world.irsa.plan(seed);
        assertThat(releaseChange(plan).action()).isEqualTo(Action.REFUSE);
        assertThat(plan.render()).contains("! helm.release/dev/app-dev-runner").doesNotContain(FOREIGN_TOKEN);
        assertThat(plan.toJson()).doesNotContain(FOREIGN_TOKEN);
        world.clearCalls();
        assertThatThrownBy(() -> world.irsa.apply(seed)).isInstanceOf(PlanRefusedException.class);
        assertThat(world.changingCalls()).isZero();

        Plan destroy = world.irsa.destroyPlan(seed);
        assertThat(releaseChange(destroy).action()).isEqualTo(Action.NO_OP);
        assertThat(releaseChange(destroy).reason()).contains("not managed by irsa");
        world.irsa.destroy(seed).orThrow();
        assertThat(world.helm.calls()).noneMatch(c -> c.startsWith("uninstall") || c.startsWith("upgrade"));
        FakeHelm.StoredRelease kept = world.helm.release("app-dev-runner", "dev").orElseThrow();
        assertThat(kept.release().revision()).isEqualTo(1);
        assertThat(kept.values()).contains("gitlab.other.example");
    }

    @Test
    void aReleaseMarkedForAnotherStackIsForeignToo() {
        RunnerStack other = seed.toBuilder().name("other").build();
        installForeignRelease(other.runnerValues().toYaml());

        assertThat(releaseChange(world.irsa.plan(seed)).action()).isEqualTo(Action.REFUSE);
        assertThat(releaseChange(world.irsa.destroyPlan(seed)).action()).isEqualTo(Action.NO_OP);
    }

    @Test
    void adoptTakesTheReleaseOverWithIrsasValuesAndMarks() {
        installForeignRelease("gitlabUrl: https://gitlab.other.example/\nconcurrent: 2\n");
        RunnerStack adopting = withRunner(seed, r -> r.adoptRelease(true));

        Plan plan = world.irsa.plan(adopting);
        Change release = releaseChange(plan);
        assertThat(release.action()).isEqualTo(Action.UPDATE);
        assertThat(release.reason()).contains("adopting");
        assertThat(release.diffs()).extracting(FieldDiff::name)
                .contains("values.deploymentLabels.irsa.dev/managed-by", "values.deploymentLabels.irsa.dev/stack", "values.gitlabUrl");
        assertThat(plan.render()).doesNotContain(FOREIGN_TOKEN);

        world.irsa.apply(adopting).orThrow();
        FakeHelm.StoredRelease adopted = world.helm.release("app-dev-runner", "dev").orElseThrow();
        assertThat(adopted.release().revision()).isEqualTo(2);
        assertThat(adopted.description()).contains("applied by irsa stack seed");
        assertThat(adopted.values()).contains("irsa.dev/stack: seed").doesNotContain("gitlab.other.example");
        assertThat(world.helm.values("app-dev-runner", "dev").orElseThrow()).doesNotContainKey("runnerToken");

        // now irsa's: the plain spec (no adopt) is in sync, and destroy removes it
        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
        world.irsa.destroy(seed).orThrow();
        assertThat(world.helm.release("app-dev-runner", "dev")).isEmpty();
    }

    @Test
    void adoptReleaseIsASpecKey() throws Exception {
        String yaml;
        try (java.io.InputStream in = StackFixture.class.getResourceAsStream("/stacks/seed.yaml")) {
            yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(yaml).contains("  release: app-dev-runner\n");
        RunnerStack adopting = RunnerStack.fromYaml(yaml.replace("  release: app-dev-runner\n",
                "  release: app-dev-runner\n  adoptRelease: true\n"));
        assertThat(adopting.runner().adoptRelease()).isTrue();
        assertThat(seed.runner().adoptRelease()).isFalse();
        installForeignRelease("concurrent: 2\n");
        assertThat(releaseChange(world.irsa.plan(adopting)).action()).isEqualTo(Action.UPDATE);
        assertThat(releaseChange(world.irsa.plan(seed)).action()).isEqualTo(Action.REFUSE);
    }

    @Test
    void aReleaseUpgradedByHandWithAnotherNodeSelectorShowsInThePlanAndApplyRepairsIt() {
        world.irsa.apply(seed).orThrow();
        RunnerStack edited = withRunner(seed, r -> r.nodeSelector(Map.of("nodepool", "gpu")));
        world.helm.upgrade(HelmReleaseRequest.builder().releaseName("app-dev-runner").namespace("dev")
                .chart(HelmChart.gitlabRunner()).values(edited.runnerValues().toYaml()).build());

        Plan plan = world.irsa.plan(seed);
        assertThat(changing(plan)).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(RELEASE);
            assertThat(c.action()).isEqualTo(Action.UPDATE);
            // the hand upgrade also dropped irsa's token stamp (issue 16): it comes back, with the token's generation
            assertThat(c.diffs()).extracting(Object::toString).containsExactlyInAnyOrder(
                    "values.runners.config#runners.0.kubernetes.node_selector.nodepool: \"gpu\" -> \"dev\"",
                    "values.podAnnotations.irsa.dev/runner-token-generation: (none) -> \"" + runnerStamp() + "\"");
        });

        world.clearCalls();
        world.irsa.apply(seed).orThrow();
        assertThat(world.changingCalls()).isEqualTo(1);
        assertThat(world.helm.calls()).contains("upgrade dev/app-dev-runner");
        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
    }

    @Test
    void aNodeSelectorChangeInTheSpecIsAnUpdateThatIsRolledOut() {
        world.irsa.apply(seed).orThrow();
        RunnerStack moved = withRunner(seed, r -> r.nodeSelector(Map.of("nodepool", "prod")));

        Plan plan = world.irsa.plan(moved);
        assertThat(changing(plan)).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(RELEASE);
            assertThat(c.diffs()).extracting(FieldDiff::name)
                    .containsExactly("values.runners.config#runners.0.kubernetes.node_selector.nodepool");
        });
        assertThat(plan.render()).contains("~ helm.release/dev/app-dev-runner").contains("\"prod\"");

        world.irsa.apply(moved).orThrow();
        assertThat(world.helm.release("app-dev-runner", "dev").orElseThrow().values()).contains("nodepool = 'prod'");
        assertThat(world.irsa.plan(moved).hasChanges()).isFalse();
    }

    @Test
    void aValueAddedByHandIsShownAsARemovalAndApplyResetsIt() {
        world.irsa.apply(seed).orThrow();
        world.helm.upgrade(HelmReleaseRequest.builder().releaseName("app-dev-runner").namespace("dev")
                .chart(HelmChart.gitlabRunner()).values(seed.runnerValues().toYaml() + "podLabels:\n  team: intruder\n").build());

        Change release = releaseChange(world.irsa.plan(seed));
        assertThat(release.action()).isEqualTo(Action.UPDATE);
        assertThat(release.diffs()).extracting(Object::toString).containsExactlyInAnyOrder(
                "values.podLabels.team: \"intruder\" -> (none)",
                "values.podAnnotations.irsa.dev/runner-token-generation: (none) -> \"" + runnerStamp() + "\"");

        world.irsa.apply(seed).orThrow();
        assertThat(world.helm.values("app-dev-runner", "dev").orElseThrow()).doesNotContainKey("podLabels");
        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
    }

    @Test
    void reApplyingAnAppliedStackMakesNoChangingCall() {
        world.irsa.apply(seed).orThrow();
        assertThat(world.helm.values("app-dev-runner", "dev").orElseThrow()).containsKey("deploymentLabels");
        world.clearCalls();
        int helmCalls = world.helm.calls().size();
        world.irsa.apply(seed).orThrow();
        assertThat(world.changingCalls()).isZero();
        // two reads observe the release: its status, then its values (ownership marks, drift)
        assertThat(world.helm.calls().subList(helmCalls, world.helm.calls().size()))
                .containsExactly("status dev/app-dev-runner", "values dev/app-dev-runner");
    }

    @Test
    void secretValuesNeverComeBackThroughValues() {
        world.helm.upgrade(HelmReleaseRequest.builder().releaseName("r").namespace("dev").chart(HelmChart.gitlabRunner())
                .values("concurrent: 3\nrunners:\n  secret: s\n")
                .secretValues(Map.of("runnerToken", SecretString.of(FOREIGN_TOKEN),
                        "runners.token", SecretString.of(FOREIGN_TOKEN + "-2"))).build());

        Map<String, Object> values = world.helm.values("r", "dev").orElseThrow();
        assertThat(values).containsEntry("concurrent", 3).containsEntry("runners", Map.of("secret", "s"));
        assertThat(values.toString()).doesNotContain(FOREIGN_TOKEN);
        assertThat(world.helm.values("absent", "dev")).isEmpty();
    }

    /** The token stamp irsa gives a release it has not stamped yet: the runner's id, generation 1. */
    private String runnerStamp() {
        return world.gitlab.runners().get(0).id() + "-1";
    }
}

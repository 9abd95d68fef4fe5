package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.aws.AccountMismatchException;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyCheck;
import dev.irsa.plan.Action;
import dev.irsa.plan.Change;
import dev.irsa.plan.FieldDiff;
import dev.irsa.plan.ObservationException;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.Tag;

/** What a user importing the library met: names repeated, listeners required, a cryptic wrong-account error, tags hidden. */
class RoleBindingFrictionsTest {
    static RoleBinding binding() {
        return RoleBinding.of(b -> b.name("ci").cluster(ClusterRef.eks(StackFixture.CLUSTER, StackFixture.REGION))
                .serviceAccount("dev", "app-deployer")
                .role(r -> r.name("ci-role").tag("team", "platform").inlinePolicy("read", OtherIdentityModesTest.READ_BUCKET)));
    }

    private static Map<String, String> shown(Change change) {
        return change.diffs().stream().filter(d -> d.name().startsWith("tags.") && d.after().isPresent())
                .collect(Collectors.toMap(FieldDiff::name, d -> d.after().get().render()));
    }

    @Test
    void aBindingPlansUnderItsOwnNameAndItsIamAppliesWithoutAListener() {
        RoleBinding binding = binding();
        try (StackFixture world = new StackFixture()) {
            Plan plan = binding.planIam(Planner.create(), world.bindings.bindingBackends());
            assertThat(plan.stack()).isEqualTo("ci");
            assertThat(plan.changes()).extracting(c -> c.id().type()).containsExactly("iam.oidc-provider", "iam.role");

            world.bindings.applyIam(binding).orThrow();
            assertThat(world.iam.roleNames()).containsExactly("ci-role");
            assertThat(binding.planIam(Planner.create(), world.bindings.bindingBackends()).hasChanges()).isFalse();
            assertThat(binding.destroyIamPlan(Planner.create(), world.bindings.bindingBackends()).toDestroy()).isEqualTo(2);
            world.bindings.destroyIam(binding).orThrow();
            assertThat(world.iam.roleNames()).isEmpty();
        }
    }

    @Test
    void thePlanShowsEveryTagApplyWritesAndIgnoresTagsOfOtherTools() {
        RoleBinding binding = binding();
        try (StackFixture world = new StackFixture()) {
            Plan plan = world.bindings.planIam(binding);
            assertThat(shown(plan.change(binding.roleResourceId()).orElseThrow())).containsOnly(
                    Map.entry("tags.irsa.dev/managed-by", "\"irsa\""), Map.entry("tags.irsa.dev/stack", "\"ci\""),
                    Map.entry("tags.team", "\"platform\""));
            Change provider = plan.changes().get(0);
            assertThat(shown(provider)).containsOnly(Map.entry("tags.irsa.dev/managed-by", "\"irsa\""), Map.entry("tags.irsa.dev/stack", "\"ci\""));
            assertThat(plan.render()).contains("tags.irsa.dev/stack").doesNotContain("tags = \"\"");

            world.bindings.applyIam(binding).orThrow();
            assertThat(world.iam.roleTags("ci-role")).containsEntry("irsa.dev/managed-by", "irsa")
                    .containsEntry("irsa.dev/stack", "ci").containsEntry("team", "platform");

            // Another tool's tag is not irsa's to remove, so it is no difference (apply would not touch it).
            world.iam.tagRole(b -> b.roleName("ci-role").tags(Tag.builder().key("cost-center").value("42").build()));
            assertThat(world.bindings.planIam(binding).hasChanges()).as(world.bindings.planIam(binding).render()).isFalse();

            // A tag of the spec removed out of band is shown and put back.
            world.iam.untagRole(b -> b.roleName("ci-role").tagKeys("team"));
            Change drift = world.bindings.planIam(binding).change(binding.roleResourceId()).orElseThrow();
            assertThat(drift.action()).isEqualTo(Action.UPDATE);
            assertThat(drift.diffs()).extracting(FieldDiff::name).containsExactly("tags.team");
            world.bindings.applyIam(binding).orThrow();
            assertThat(world.iam.roleTags("ci-role")).containsEntry("team", "platform");
        }
    }

    @Test
    void anAccountThatIsNotTheCallersIsRefusedBeforeAnyChange() {
        try (StackFixture world = new StackFixture()) {
            RoleBinding wrong = binding().toBuilder().cluster(ClusterRef.eks(StackFixture.CLUSTER, StackFixture.REGION,
                    world.issuer.issuerUrl(), "999988887777", "aws")).build();
            world.clearCalls();
            assertThatThrownBy(() -> world.bindings.applyIam(wrong)).isInstanceOf(ObservationException.class)
                    .rootCause().isInstanceOfSatisfying(AccountMismatchException.class, e -> {
                        assertThat(e.getMessage()).startsWith("account 999988887777 is not the caller's account 111122223333");
                        assertThat(e.specAccountId()).isEqualTo("999988887777");
                        assertThat(e.callerAccountId()).isEqualTo("111122223333");
                    });
            assertThat(world.changingCalls()).isZero();
            assertThat(world.iam.roleNames()).isEmpty();

            VerifyCheck account = world.bindings.verify(wrong).check("account").orElseThrow();
            assertThat(account.status()).isEqualTo(VerifyCheck.Status.FAIL);
            assertThat(account.detail()).contains("999988887777").contains("111122223333");

            // The right account, given in the spec, costs one GetCallerIdentity and no DescribeCluster.
            RoleBinding right = wrong.toBuilder().cluster(ClusterRef.eks(StackFixture.CLUSTER, StackFixture.REGION,
                    world.issuer.issuerUrl(), StackFixture.ACCOUNT, "aws")).build();
            world.clearCalls();
            world.bindings.planIam(right);
            assertThat(world.sts.calls().all()).containsExactly("GetCallerIdentity");
            assertThat(world.eks.calls().all()).isEmpty();
        }
    }
}

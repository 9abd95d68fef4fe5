package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dev and prod from one spec, applied together: one shared OIDC provider, two roles, two runners. */
class EnvironmentsOnFakesTest {
    @Test
    void bothEnvironmentsApplyTogetherShareTheProviderAndDestroyOneAfterTheOther() {
        RunnerStack spec = StackFixture.seed().toBuilder()
                .environment("dev", e -> e.namespace("dev").tags("k8s-dev-runner").nodePool("dev"))
                .environment("prod", e -> e.namespace("prod").tags("k8s-prod-runner").nodePool("prod")
                        .roleName("eks-cluster-role-prod").releaseName("app-prod-runner"))
                .build();
        List<RunnerStack> stacks = spec.expand();
        try (StackFixture world = new StackFixture()) {
            // dev first creates the shared provider; then both together (the second is a no-op for dev)
            world.irsa.apply(stacks.get(0)).orThrow();
            List<ApplyResult> results = world.irsa.applyAll(stacks, ApplyListener.NONE);
            results.forEach(ApplyResult::orThrow);

            assertThat(world.iam.roleNames()).containsExactlyInAnyOrder("eks-cluster-role", "eks-cluster-role-prod");
            assertThat(world.iam.oidcProviderArns()).hasSize(1);
            assertThat(world.gitlab.runners()).hasSize(2);
            assertThat(world.helm.releases()).hasSize(2);
            stacks.forEach(s -> assertThat(world.irsa.plan(s).hasChanges()).isFalse());
            world.gitlab.runners().forEach(r -> world.gitlab.contactRunner(r.id()));
            stacks.forEach(s -> assertThat(world.irsa.verify(s).passed()).as(world.irsa.verify(s).render()).isTrue());

            world.irsa.destroy(stacks.get(0)).orThrow();
            assertThat(world.iam.roleNames()).containsExactly("eks-cluster-role-prod");
            assertThat(world.iam.oidcProviderArns()).as("kept: prod's role still trusts it").hasSize(1);
            assertThat(world.irsa.verify(stacks.get(1)).passed()).isTrue();

            world.irsa.destroy(stacks.get(1)).orThrow();
            assertThat(world.iam.roleNames()).isEmpty();
            assertThat(world.iam.oidcProviderArns()).isEmpty();
            assertThat(world.gitlab.runners()).isEmpty();
        }
    }

    /** RunnerStacks.destroyAll is one plan too: the shared provider is deleted once, after both roles, with one ListRoles. */
    @Test
    void bothEnvironmentsDestroyedTogetherDeleteTheSharedProviderOnce() {
        List<RunnerStack> stacks = StackFixture.seed().toBuilder()
                .environment("dev", e -> e.namespace("dev").tags("k8s-dev-runner").nodePool("dev"))
                .environment("prod", e -> e.namespace("prod").tags("k8s-prod-runner").nodePool("prod")
                        .roleName("eks-cluster-role-prod").releaseName("app-prod-runner"))
                .build().expand();
        try (StackFixture world = new StackFixture()) {
            List<ApplyResult> applied = world.irsa.applyAll(stacks, ApplyListener.NONE);
            applied.forEach(ApplyResult::orThrow);
            assertThat(world.iam.calls().count("CreateOpenIDConnectProvider")).isEqualTo(1);
            // the shared provider is reported once, in the first stack that has it
            assertThat(applied.get(0).outcomes()).anyMatch(o -> o.id().type().equals("iam.oidc-provider"));
            assertThat(applied.get(1).outcomes()).noneMatch(o -> o.id().type().equals("iam.oidc-provider"));
            assertThat(applied).extracting(ApplyResult::stack).containsExactly(stacks.get(0).name(), stacks.get(1).name());

            world.iam.calls().clear();
            List<ApplyResult> destroyed = world.irsa.destroyAll(stacks, ApplyListener.NONE);
            destroyed.forEach(ApplyResult::orThrow);
            assertThat(world.iam.calls().count("ListRoles")).as("one look for roles still trusting the provider").isEqualTo(1);
            assertThat(world.iam.calls().count("DeleteOpenIDConnectProvider")).isEqualTo(1);
            assertThat(world.iam.roleNames()).isEmpty();
            assertThat(world.iam.oidcProviderArns()).isEmpty();
            assertThat(world.gitlab.runners()).isEmpty();
            assertThat(world.helm.releases()).isEmpty();
        }
    }
}

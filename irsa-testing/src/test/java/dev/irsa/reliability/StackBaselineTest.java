package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.gitlab.stack.RunnerStack;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The baseline every other reliability test compares against: a clean apply, a no-op re-apply, verify, destroy. */
class StackBaselineTest {
    @Test
    void cleanApplyReapplyVerifyDestroy() {
        try (Sandbox sb = new Sandbox(false)) {
            Map<String, String> empty = sb.snapshot();
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            Map<String, String> applied = sb.snapshot();
            System.out.println("[reliability] baseline apply calls: " + sb.faults.counts() + " gitlab=" + sb.gitlab.calls().size());
            assertThat(applied).containsKeys("iam.role/eks-cluster-role", "k8s.serviceaccount/dev/app-deployer",
                    "k8s.secret/dev/gitlab-runner-token", "helm.release/dev/app-dev-runner", "gitlab.file/.gitlab-ci.yml");
            assertThat(applied.keySet()).filteredOn(k -> k.startsWith("gitlab.runner/")).hasSize(1);
            assertThat(applied.get("k8s.secret/dev/gitlab-runner-token")).contains("<token of gitlab.runner/");

            sb.faults.reset();
            assertThat(sb.plan(stack).hasChanges()).as(sb.plan(stack).render()).isFalse();
            sb.apply(stack).orThrow();
            assertThat(sb.snapshot()).isEqualTo(applied);

            assertThat(sb.irsa.verify(stack).passed()).as(sb.irsa.verify(stack).render()).isTrue();

            sb.faults.reset();
            int gitlabBefore = sb.gitlab.calls().size();
            var destroyed = sb.destroy(stack);
            System.out.println("[reliability] baseline destroy: " + destroyed.summary() + " calls " + sb.faults.log()
                    + " gitlab " + sb.gitlabCalls().subList(gitlabBefore, sb.gitlab.calls().size()));
            destroyed.orThrow();
            assertThat(sb.snapshot()).isEqualTo(empty);
        }
    }
}

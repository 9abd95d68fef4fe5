package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.plan.Plan;
import org.junit.jupiter.api.Test;

/** Issue 13 finding 13: the plan lists every lint finding the stack accepts, where it is and under which acceptance. */
class AcceptedLintInPlanTest {

    @Test
    void theSeedPlanListsTheAcceptedIamStarFinding() throws Exception {
        try (Sandbox sb = new Sandbox(true)) {
            RoleBinding scoped = RoleBinding.builder().name(Sandbox.STACK).cluster(ClusterRef.eks(Sandbox.CLUSTER, Sandbox.REGION))
                    .role(Sandbox.walkthrough().role()).serviceAccount("dev", "app-deployer")
                    .acceptLint("IRSA-P002@eks-admin").build();
            Plan plan = sb.plan(sb.stack().toBuilder().binding(scoped).build());

            assertThat(plan.notes()).hasSize(1);
            String note = plan.notes().get(0);
            assertThat(note).startsWith("iam.role/eks-cluster-role: accepted lint finding IRSA-P002@eks-admin (ERROR)")
                    .contains("(ERROR) at role.inlinePolicies[eks-admin].Statement[0].Action").contains("iam:*");
            assertThat(plan.render()).contains("Notes:\n  - " + note + "\n");
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(plan.toJson()).at("/notes/0").asText()).isEqualTo(note);
        }
    }
}

package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.aws.AwsClients;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.plan.Action;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.Plan;
import dev.irsa.testing.aws.MotoServer;
import dev.irsa.testing.aws.MotoServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.iam.model.Tag;

/** The AWS part of the seed stack through the same code against moto (real SDK wire protocol on loopback). */
@ExtendWith(MotoServerExtension.class)
class StackOnMotoTest {
    static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

    @Test
    void theSeedBindingAppliesReAppliesAsNoOpAndDestroysAgainstMoto(MotoServer moto) {
        moto.reset();
        AwsClients clients = moto.clients();
        String account = clients.sts().getCallerIdentity().account();
        RoleBinding binding = StackFixture.seed().binding().toBuilder()
                .cluster(ClusterRef.eks("devops", "eu-west-1", ISSUER, account, "aws")).build();
        dev.irsa.Irsa irsa = dev.irsa.Irsa.builder().aws(AwsExecutor.create(clients)).build();

        Plan first = irsa.planIam(binding);
        assertThat(first.changes()).extracting(c -> c.action()).containsOnly(Action.CREATE);
        irsa.applyIam(binding, ApplyListener.NONE).orThrow();

        var role = clients.iam().getRole(b -> b.roleName("eks-cluster-role")).role();
        assertThat(role.arn()).isEqualTo("arn:aws:iam::" + account + ":role/eks-cluster-role");
        assertThat(clients.iam().listRoleTags(b -> b.roleName("eks-cluster-role")).tags())
                .contains(Tag.builder().key("irsa.dev/managed-by").value("irsa").build(),
                        Tag.builder().key("irsa.dev/stack").value("seed").build());
        assertThat(clients.iam().listRolePolicies(b -> b.roleName("eks-cluster-role")).policyNames()).containsExactly("eks-admin");
        assertThat(clients.iam().listOpenIDConnectProviders().openIDConnectProviderList()).hasSize(1);

        Plan again = irsa.planIam(binding);
        assertThat(again.hasChanges()).as(again.render()).isFalse();

        irsa.destroyIam(binding, ApplyListener.NONE).orThrow();
        assertThat(clients.iam().listRoles().roles()).noneMatch(r -> r.roleName().equals("eks-cluster-role"));
        assertThat(clients.iam().listOpenIDConnectProviders().openIDConnectProviderList()).isEmpty();
        assertThat(irsa.destroyIamPlan(binding).hasChanges()).isFalse();
    }
}

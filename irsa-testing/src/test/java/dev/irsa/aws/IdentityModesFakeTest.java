package dev.irsa.aws;

import dev.irsa.testing.aws.FakeAws;
import dev.irsa.testing.oidc.FakeOidcIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The GitLab OIDC and EKS Pod Identity modes through the executor and the fakes. */
class IdentityModesFakeTest {
    private final FakeAws aws = FakeAws.create();
    private final AwsExecutor executor = aws.executor();
    private final Ownership ci = Ownership.of("ci");
    private final FakeOidcIssuer gitlab = FakeOidcIssuer.gitlab(aws.clock());

    @AfterEach
    void close() {
        gitlab.close();
        aws.close();
    }

    @Test
    void gitLabOidcLetsOnlyTheMainBranchOfTheProjectAssumeTheRole() {
        aws.sts().registerIssuer(gitlab);
        ClusterIdentity id = executor.identity().ofIssuer(gitlab.issuerUrl());
        String audience = "https://gitlab.com";
        executor.oidcProviders().ensure(new DesiredOidcProvider(gitlab.issuerUrl(), List.of(audience), List.of()), ci, false);
        String trust = IamPolicy.builder().version("2012-10-17").addStatement(s -> s.effect(IamEffect.ALLOW)
                .addPrincipal(IamPrincipalType.FEDERATED, id.providerArn())
                .addAction("sts:AssumeRoleWithWebIdentity")
                .addCondition(IamConditionOperator.STRING_EQUALS, "gitlab.com:sub", "project_path:group/app:ref_type:branch:ref:main")
                .addCondition(IamConditionOperator.STRING_EQUALS, "gitlab.com:aud", audience)).build().toJson();
        String arn = executor.roles().ensure(DesiredRole.builder().name("gitlab-deployer").trustPolicyJson(trust).build(), ci, false).arn();

        String main = gitlab.mintGitLabToken("group/app", "branch", "main", List.of(audience), Duration.ofMinutes(5));
        assertThat(aws.sts().assumeRoleWithWebIdentity(b -> b.roleArn(arn).roleSessionName("pipeline-1").webIdentityToken(main))
                .subjectFromWebIdentityToken()).isEqualTo("project_path:group/app:ref_type:branch:ref:main");
        String tag = gitlab.mintGitLabToken("group/app", "tag", "main", List.of(audience), Duration.ofMinutes(5));
        assertThatThrownBy(() -> aws.sts().assumeRoleWithWebIdentity(b -> b.roleArn(arn).roleSessionName("pipeline-2").webIdentityToken(tag)))
                .hasMessageContaining("Not authorized");
    }

    @Test
    void podIdentityRoleAndAssociationAreCreatedAndDestroyedTogether() {
        ClusterIdentity id = executor.identity().ofCluster(FakeAws.CLUSTER);
        String trust = IamPolicy.builder().version("2012-10-17").addStatement(s -> s.effect(IamEffect.ALLOW)
                .addPrincipal(IamPrincipalType.SERVICE, "pods.eks.amazonaws.com")
                .addAction("sts:AssumeRole").addAction("sts:TagSession")
                .addCondition(IamConditionOperator.STRING_EQUALS, "aws:SourceAccount", id.accountId())).build().toJson();
        String roleArn = executor.roles().ensure(DesiredRole.builder().name("runner-pods").trustPolicyJson(trust).build(), ci, false).arn();
        PodIdentityExecutor.Result association = executor.podIdentity().ensure(FakeAws.CLUSTER, "gitlab-runner", "job-sa", roleArn, ci, false);
        assertThat(association.changes()).hasSize(1);
        assertThat(aws.eks().podIdentityAssociations()).singleElement().satisfies(a -> {
            assertThat(a.roleArn()).isEqualTo(roleArn);
            assertThat(a.tags()).containsEntry("irsa.dev/stack", "ci");
        });
        // Destroy in reverse order; a second destroy finds nothing to do.
        assertThat(executor.podIdentity().delete(FakeAws.CLUSTER, "gitlab-runner", "job-sa", ci)).hasSize(1);
        assertThat(executor.roles().delete("runner-pods", ci)).extracting(AwsChange::operation).containsExactly("DeleteRole");
        assertThat(executor.podIdentity().delete(FakeAws.CLUSTER, "gitlab-runner", "job-sa", ci)).isEmpty();
        assertThat(executor.roles().delete("runner-pods", ci)).isEmpty();
    }
}

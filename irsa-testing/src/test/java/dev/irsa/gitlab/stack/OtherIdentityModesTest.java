package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.ValidationException;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyCheck;
import dev.irsa.binding.VerifyReport;
import dev.irsa.plan.ApplyListener;
import dev.irsa.policy.PermissionsPolicy;
import org.junit.jupiter.api.Test;

/** GitLab OIDC and EKS Pod Identity bindings through the same facade. */
class OtherIdentityModesTest {
    static final PermissionsPolicy READ_BUCKET = PermissionsPolicy.builder()
            .addStatement(s -> s.effect(software.amazon.awssdk.policybuilder.iam.IamEffect.ALLOW)
                    .addAction("s3:GetObject").addResource("arn:aws:s3:::artifacts/*"))
            .build();

    @Test
    void aGitLabOidcBindingTrustsExactlyTheProjectBranchAndVerifyExplainsAnotherBranch() {
        RoleBinding binding = RoleBinding.of(b -> b.name("ci-deploy").mode(IdentityMode.GITLAB_OIDC).accountId(StackFixture.ACCOUNT)
                .gitlabOidc(g -> g.branch("my-group/my-project", "main"))
                .role(r -> r.name("gitlab-deploy").inlinePolicy("read", READ_BUCKET)));
        try (StackFixture world = new StackFixture()) {
            world.bindings.apply(binding, ApplyListener.NONE).orThrow();
            assertThat(world.iam.oidcProviderForIssuer("https://gitlab.com")).hasValueSatisfying(p ->
                    assertThat(p.clientIds()).containsExactly("https://gitlab.com"));
            assertThat(world.iam.trustPolicy("gitlab-deploy").orElseThrow())
                    .contains("project_path:my-group/my-project:ref_type:branch:ref:main");
            VerifyReport ok = world.bindings.verify(binding);
            assertThat(ok.passed()).as(ok.render()).isTrue();
            assertThat(world.bindings.plan(binding).hasChanges()).isFalse();

            RoleBinding otherBranch = binding.toBuilder().gitlabOidc(g -> g.branch("my-group/my-project", "release")).build();
            VerifyCheck trust = world.bindings.verify(otherBranch).check("trust").orElseThrow();
            assertThat(trust.status()).isEqualTo(VerifyCheck.Status.FAIL);
            assertThat(trust.cause()).hasValueSatisfying(c -> assertThat(c).startsWith("sub typo").contains("ref:main").contains("ref:release"));

            world.bindings.destroy(binding, ApplyListener.NONE).orThrow();
            assertThat(world.iam.roleNames()).isEmpty();
            assertThat(world.iam.oidcProviderArns()).isEmpty();
        }
    }

    @Test
    void aPodIdentityBindingCreatesTheAssociationInsteadOfAnAnnotation() {
        RoleBinding binding = RoleBinding.of(b -> b.name("pods").mode(IdentityMode.POD_IDENTITY)
                .cluster(ClusterRef.eks(StackFixture.CLUSTER, StackFixture.REGION))
                .serviceAccount("dev", "app-deployer")
                .role(r -> r.name("pod-role").inlinePolicy("read", READ_BUCKET)));
        try (StackFixture world = new StackFixture()) {
            world.bindings.apply(binding, ApplyListener.NONE).orThrow();
            assertThat(world.eks.podIdentityAssociations()).singleElement().satisfies(a -> {
                assertThat(a.namespace()).isEqualTo("dev");
                assertThat(a.serviceAccount()).isEqualTo("app-deployer");
                assertThat(a.roleArn()).isEqualTo("arn:aws:iam::111122223333:role/pod-role");
            });
            assertThat(world.iam.oidcProviderArns()).isEmpty();
            // The association only names dev/app-deployer; pods running as it need the account to exist (issue 14).
            assertThat(world.cluster.client().serviceAccounts().inNamespace("dev").withName("app-deployer").get())
                    .satisfies(sa -> assertThat(sa.getMetadata().getAnnotations()).doesNotContainKey("eks.amazonaws.com/role-arn"));
            assertThat(world.iam.trustPolicy("pod-role").orElseThrow()).contains("pods.eks.amazonaws.com").contains("sts:TagSession");
            VerifyReport report = world.bindings.verify(binding);
            assertThat(report.passed()).as(report.render()).isTrue();
            assertThat(world.bindings.plan(binding).hasChanges()).isFalse();

            world.bindings.destroy(binding, ApplyListener.NONE).orThrow();
            assertThat(world.eks.podIdentityAssociations()).isEmpty();
            assertThat(world.iam.roleNames()).isEmpty();
            assertThat(world.cluster.client().serviceAccounts().inNamespace("dev").withName("app-deployer").get()).isNull();
        }
    }

    @Test
    void aBindingIsValidatedWhenBuiltBeforeAnyCall() {
        assertThatThrownBy(() -> RoleBinding.of(b -> b.name("x").eksCluster("devops", "eu-west-1").role(r -> r.name("r"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("serviceAccount"));
        assertThatThrownBy(() -> RoleBinding.of(b -> b.name("x").mode(IdentityMode.POD_IDENTITY)
                .cluster(ClusterRef.issuer("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC", "111122223333", "aws"))
                .serviceAccount("dev", "sa").role(r -> r.name("r"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("cluster.name"));
        assertThatThrownBy(() -> RoleBinding.of(b -> b.name("x").eksCluster("devops", "eu-west-1").serviceAccount("dev", "sa")
                .role(r -> r.name("r").tag("irsa.dev/stack", "other"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("role.tags"));
    }
}

package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.binding.VerifyCheck;
import dev.irsa.binding.VerifyReport;
import dev.irsa.plan.Action;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ResourceId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seed stack end to end on the fakes: fresh apply, verify, no-op re-apply, destroy. */
class StackLifecycleTest {
    private final StackFixture world = new StackFixture();
    private final RunnerStack seed = StackFixture.seed();

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void freshApplyCreatesTheWholeWalkthroughInDependencyOrder() {
        Plan plan = world.irsa.plan(seed);
        List<String> order = plan.changes().stream().map(c -> c.id().toString()).toList();
        assertThat(order).containsExactlyInAnyOrder(
                "iam.oidc-provider/eks:devops", "kubernetes.namespace/dev", "gitlab.runner/seed/runner",
                "iam.role/eks-cluster-role", "kubernetes.secret/dev/gitlab-runner-token",
                "kubernetes.service-account/dev/app-deployer", "gitlab.file/my-group/my-project/main/.gitlab-ci.yml",
                "helm.release/dev/app-dev-runner");
        assertThat(order).containsSubsequence("iam.oidc-provider/eks:devops", "iam.role/eks-cluster-role",
                "kubernetes.service-account/dev/app-deployer", "helm.release/dev/app-dev-runner");
        assertThat(order).containsSubsequence("gitlab.runner/seed/runner", "kubernetes.secret/dev/gitlab-runner-token",
                "helm.release/dev/app-dev-runner");
        assertThat(order).containsSubsequence("kubernetes.namespace/dev", "kubernetes.service-account/dev/app-deployer");
        assertThat(plan.render()).contains("+ iam.role/eks-cluster-role").contains("(known after apply)")
                .doesNotContain("glrt-");
        assertThat(plan.changes()).allMatch(c -> c.action() == Action.CREATE);

        ApplyResult result = world.irsa.apply(seed);
        result.orThrow();
        assertThat(result.summary()).startsWith("8 created, 0 updated, 0 deleted, 0 unchanged");

        String roleArn = "arn:aws:iam::111122223333:role/eks-cluster-role";
        assertThat(world.iam.roleNames()).containsExactly("eks-cluster-role");
        assertThat(world.iam.roleTags("eks-cluster-role")).containsEntry("irsa.dev/managed-by", "irsa").containsEntry("irsa.dev/stack", "seed");
        assertThat(world.iam.oidcProviderForIssuer(world.issuer.issuerUrl())).isPresent();
        assertThat(world.cluster.client().serviceAccounts().inNamespace("dev").withName("app-deployer").get()
                .getMetadata().getAnnotations()).containsEntry("eks.amazonaws.com/role-arn", roleArn);
        assertThat(world.gitlab.runners()).singleElement().satisfies(r -> {
            assertThat(r.tags()).containsExactly("k8s-dev-runner");
            assertThat(r.description()).startsWith("irsa:seed/runner");
        });
        var secret = world.cluster.client().secrets().inNamespace("dev").withName("gitlab-runner-token").get();
        assertThat(secret.getData()).containsOnlyKeys("runner-token", "runner-registration-token");
        assertThat(world.helm.release("app-dev-runner", "dev")).hasValueSatisfying(r -> {
            assertThat(r.values()).contains("service_account = 'app-deployer'").contains("nodepool").doesNotContain("glrt-");
        });
        assertThat(world.gitlab.file(world.projectId, "main", ".gitlab-ci.yml")).hasValue(seed.pipelineYaml().orElseThrow());
    }

    @Test
    void verifyPassesAfterApplyWithARealSignedTokenAcceptedByFakeSts() {
        world.irsa.apply(seed).orThrow();
        world.gitlab.contactRunner(world.gitlab.runners().get(0).id());

        VerifyReport report = world.irsa.verify(seed);

        assertThat(report.passed()).as(report.render()).isTrue();
        assertThat(report.check("assume-role-with-web-identity")).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo(VerifyCheck.Status.PASS);
            assertThat(c.detail()).contains("arn:aws:sts::111122223333:assumed-role/eks-cluster-role/irsa-verify");
        });
        assertThat(report.checks()).extracting(VerifyCheck::name).contains("oidc-provider", "role", "trust",
                "service-account-annotation", "pods-credentials", "runner-config", "runner-secret", "helm-release",
                "runner-registered", "runner-online");
        assertThat(report.render()).doesNotContain("glrt-").doesNotContain("eyJ");
    }

    @Test
    void reApplyingAnAppliedStackPlansNoChangesAndMakesNoChangingCall() {
        world.irsa.apply(seed).orThrow();
        world.clearCalls();

        Plan again = world.irsa.plan(seed);
        assertThat(again.hasChanges()).as(again.render()).isFalse();
        assertThat(again.render()).contains("No changes.");
        ApplyResult result = world.irsa.apply(seed);

        assertThat(result.summary()).startsWith("0 created, 0 updated, 0 deleted, 8 unchanged");
        assertThat(world.changingCalls()).isZero();
        assertThat(world.lockChanges()).as("the stack lock: its Lease created and deleted").isEqualTo(2);
    }

    @Test
    void destroyRemovesEverythingIrsaOwnsAndNothingElse() {
        world.cluster.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("other").endMetadata().build()).create();
        world.cluster.client().configMaps().inNamespace("other").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("keep-me").endMetadata().build()).create();
        world.iam.createRole(b -> b.roleName("someone-elses-role").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
        world.irsa.apply(seed).orThrow();

        Plan destroy = world.irsa.destroyPlan(seed);
        assertThat(destroy.changes()).allMatch(c -> c.action() == Action.DELETE);
        assertThat(destroy.changes().get(0).id()).isEqualTo(ResourceId.parse("helm.release/dev/app-dev-runner"));
        world.irsa.destroy(seed).orThrow();

        assertThat(world.iam.roleNames()).containsExactly("someone-elses-role");
        assertThat(world.iam.oidcProviderArns()).isEmpty();
        assertThat(world.gitlab.runners()).isEmpty();
        assertThat(world.helm.releases()).isEmpty();
        assertThat(world.gitlab.file(world.projectId, "main", ".gitlab-ci.yml")).isEmpty();
        assertThat(world.cluster.client().namespaces().withName("dev").get()).isNull();
        assertThat(world.cluster.client().configMaps().inNamespace("other").withName("keep-me").get()).isNotNull();

        // idempotent: a second destroy finds nothing to delete
        Plan again = world.irsa.destroyPlan(seed);
        assertThat(again.hasChanges()).as(again.render()).isFalse();
        assertThat(world.irsa.destroy(seed).failures()).isEmpty();
    }

    @Test
    void iamOnlyDestroyAndApplyIsTheEveningMorningScheduleAndSafeToRepeat() {
        world.irsa.apply(seed).orThrow();

        for (int day = 0; day < 2; day++) {
            world.irsa.destroyIam(seed).orThrow();
            world.irsa.destroyIam(seed).orThrow();   // a second evening run changes nothing
            assertThat(world.iam.roleNames()).isEmpty();
            assertThat(world.cluster.client().serviceAccounts().inNamespace("dev").withName("app-deployer").get()).isNotNull();

            world.irsa.applyIam(seed).orThrow();
            world.irsa.applyIam(seed).orThrow();
            assertThat(world.iam.roleNames()).containsExactly("eks-cluster-role");
        }
        assertThat(world.irsa.plan(seed).hasChanges()).isFalse();
        assertThat(List.of(world.irsa.planIam(seed).hasChanges())).containsExactly(false);
    }
}

package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.gitlab.helm.HelmChart;
import dev.irsa.gitlab.helm.HelmReleaseRequest;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.plan.Action;
import dev.irsa.plan.Plan;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.gitlab4j.api.models.CreateRunnerParams;
import org.gitlab4j.api.models.Runner;
import org.junit.jupiter.api.Test;

/**
 * Ownership: an object irsa did not create, with the name the stack wants, already exists (a role, a service
 * account, a Secret, a Helm release, a runner). Apply must refuse it without an explicit adopt (and change
 * nothing at all: the refusal comes before any changing call); destroy must leave it untouched.
 */
class OwnershipTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    @Test
    void foreignRoleIsRefusedAndKept() {
        refusedAndKept("iam.role", sb -> {
            sb.iam.createRole(b -> b.roleName("eks-cluster-role").assumeRolePolicyDocument(TRUST).description("someone else's"));
            sb.iam.putRolePolicy(b -> b.roleName("eks-cluster-role").policyName("theirs").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"));
        });
    }

    @Test
    void foreignServiceAccountIsRefusedAndKept() {
        refusedAndKept("kubernetes.service-account", sb -> {
            namespace(sb);
            sb.cluster.client().serviceAccounts().inNamespace("dev").resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName("app-deployer").addToAnnotations("owner", "team-a").endMetadata().build()).create();
        });
    }

    @Test
    void foreignSecretIsRefusedAndKept() {
        refusedAndKept("kubernetes.secret", sb -> {
            namespace(sb);
            sb.cluster.client().secrets().inNamespace("dev").resource(new SecretBuilder().withNewMetadata()
                    .withName("gitlab-runner-token").endMetadata().addToData("runner-token", "dGhlaXJz").build()).create();
        });
    }

    @Test
    void foreignHelmReleaseIsRefusedAndKept() {
        refusedAndKept("helm.release", sb -> sb.helm.upgrade(HelmReleaseRequest.builder().releaseName("app-dev-runner").namespace("dev")
                .chart(HelmChart.gitlabRunner()).values("theirs: true\n").build()));
    }

    /** The explicit adopt: the foreign SA is taken over, annotated, and on destroy given back as it was (kept). */
    @Test
    void foreignServiceAccountIsAdoptedOnlyWhenAskedAndKeptOnDestroy() {
        try (Sandbox sb = new Sandbox(true)) {
            namespace(sb);
            sb.cluster.client().serviceAccounts().inNamespace("dev").resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName("app-deployer").addToAnnotations("owner", "team-a").endMetadata().build()).create();
            String before = sb.snapshot().get("k8s.serviceaccount/dev/app-deployer");
            RunnerStack adopting = sb.stack().toBuilder().binding(Sandbox.walkthrough().toBuilder()
                    .serviceAccount(s -> s.namespace("dev").name("app-deployer").adopt(true)).build()).build();
            sb.apply(adopting).orThrow();
            String adopted = sb.snapshot().get("k8s.serviceaccount/dev/app-deployer");
            assertThat(adopted).contains("eks.amazonaws.com/role-arn=arn:aws:iam::111122223333:role/eks-cluster-role")
                    .contains("owner=team-a").contains("irsa.dev/origin=adopted");
            sb.destroy(adopting).orThrow();
            assertThat(sb.snapshot().get("k8s.serviceaccount/dev/app-deployer")).as("given back as it was").isEqualTo(before);
            assertThat(sb.snapshot()).containsKey("k8s.namespace/dev");
        }
    }

    /** Runners have no unique name in GitLab: irsa finds its own by marker, so a foreign one is never touched. */
    @Test
    void foreignRunnerIsNeverTouched() throws Exception {
        try (Sandbox sb = new Sandbox(true)) {
            sb.gitlabApi.getUserApi().createRunner(new CreateRunnerParams().withRunnerType(Runner.RunnerType.PROJECT_TYPE)
                    .withProjectId(sb.projectId).withDescription("app-dev-runner").withTagList(List.of("k8s-dev-runner")));
            String foreign = sb.snapshot().get("gitlab.runner/app-dev-runner");
            assertThat(foreign).isNotNull();
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            assertThat(sb.snapshot().get("gitlab.runner/app-dev-runner")).isEqualTo(foreign);
            sb.destroy(stack).orThrow();
            Map<String, String> after = sb.snapshot();
            assertThat(after.get("gitlab.runner/app-dev-runner")).isEqualTo(foreign);
            assertThat(after.keySet()).filteredOn(k -> k.startsWith("gitlab.runner/")).containsExactly("gitlab.runner/app-dev-runner");
        }
    }

    // issue 13 findings 6 and 11: ownership is proven by what irsa recorded, never by a name or description.

    /** Finding 6: a pipeline file someone else wrote is not irsa's: refused on apply, kept on destroy. */
    @Test
    void existingPipelineFileIsRefusedAndKept() {
        refusedAndKept("gitlab.file", sb -> commit(sb, "theirs:\n  script: [make]\n"));
    }

    /** A file irsa committed and a user edited since: apply does not revert the edit, destroy does not delete it. */
    @Test
    void pipelineFileEditedAfterIrsaWroteItIsRefusedAndKept() throws Exception {
        try (Sandbox sb = new Sandbox(true)) {
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            org.gitlab4j.api.models.RepositoryFile edited = new org.gitlab4j.api.models.RepositoryFile();
            edited.setFilePath(".gitlab-ci.yml");
            edited.setContent(Sandbox.seed("gitlab-ci.yml") + "\nextra:\n  script: [make test]\n");
            sb.gitlabApi.getRepositoryFileApi().updateFile(sb.projectId, edited, "main", "a user's edit");
            String theirs = sb.snapshot().get("gitlab.file/.gitlab-ci.yml");

            Plan plan = sb.plan(stack);
            assertThat(plan.changes()).as(plan.render()).anySatisfy(c -> {
                assertThat(c.id().toString()).contains("gitlab.file");
                assertThat(c.action()).isEqualTo(Action.REFUSE);
                assertThat(c.diffs().toString()).contains("edited");
            });
            sb.destroy(stack).orThrow();
            assertThat(sb.snapshot().get("gitlab.file/.gitlab-ci.yml")).as("the user's edit survives destroy").isEqualTo(theirs);
        }
    }

    /** With {@code adopt}, the existing file is overwritten and, being irsa's from then on, deleted by destroy. */
    @Test
    void existingPipelineFileIsAdoptedOnlyWhenAsked() {
        try (Sandbox sb = new Sandbox(true)) {
            commit(sb, "theirs:\n  script: [make]\n");
            RunnerStack adopting = sb.stack().toBuilder().pipeline(p -> p.branch("main").path(".gitlab-ci.yml")
                    .content(Sandbox.seed("gitlab-ci.yml")).adopt(true)).build();
            sb.apply(adopting).orThrow();
            assertThat(sb.gitlab.file(sb.projectId, "main", ".gitlab-ci.yml")).contains(Sandbox.seed("gitlab-ci.yml"));
            assertThat(sb.plan(adopting).changes()).filteredOn(c -> c.id().toString().contains("gitlab.file"))
                    .allSatisfy(c -> assertThat(c.action()).isEqualTo(Action.NO_OP));
            sb.destroy(adopting).orThrow();
            assertThat(sb.gitlab.file(sb.projectId, "main", ".gitlab-ci.yml")).isEmpty();
        }
    }

    /** The same opt-in in a YAML spec: {@code pipeline.adopt}, as {@code serviceAccount.adopt} is. */
    @Test
    void pipelineAdoptIsASpecKey() throws Exception {
        String yaml;
        try (java.io.InputStream in = OwnershipTest.class.getResourceAsStream("/stacks/seed.yaml")) {
            yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(yaml).contains("  path: .gitlab-ci.yml\n");
        assertThat(RunnerStack.fromYaml(yaml).pipeline().orElseThrow().adopt()).isFalse();
        assertThat(RunnerStack.fromYaml(yaml.replace("  path: .gitlab-ci.yml\n", "  path: .gitlab-ci.yml\n  adopt: true\n"))
                .pipeline().orElseThrow().adopt()).isTrue();
    }

    /**
     * Finding 11a: someone registers a runner whose description carries irsa's marker. irsa never recorded its
     * id (nor a registration nonce in it), so it is not irsa's: apply registers irsa's own beside it and says so
     * in the plan, destroy leaves it.
     */
    @Test
    void foreignRunnerWithIrsasMarkerDescriptionIsNeverTouched() throws Exception {
        try (Sandbox sb = new Sandbox(true)) {
            sb.gitlabApi.getUserApi().createRunner(new CreateRunnerParams().withRunnerType(Runner.RunnerType.PROJECT_TYPE)
                    .withProjectId(sb.projectId).withDescription("irsa:seed/runner (team b)").withTagList(List.of("team-b")));
            String foreign = sb.snapshot().get("gitlab.runner/irsa:seed/runner (team b)");
            assertThat(foreign).isNotNull();
            RunnerStack stack = sb.stack();
            Plan plan = sb.plan(stack);
            assertThat(plan.render()).as("the plan says the marker runner is not irsa's").contains("not irsa's");
            sb.apply(stack).orThrow();
            assertThat(sb.snapshot().get("gitlab.runner/irsa:seed/runner (team b)")).isEqualTo(foreign);
            assertThat(sb.gitlab.runners()).hasSize(2);
            sb.destroy(stack).orThrow();
            Map<String, String> after = sb.snapshot();
            assertThat(after.get("gitlab.runner/irsa:seed/runner (team b)")).isEqualTo(foreign);
            assertThat(after.keySet()).filteredOn(k -> k.startsWith("gitlab.runner/")).containsExactly("gitlab.runner/irsa:seed/runner (team b)");
        }
    }

    /** Finding 11b: a role irsa does not own trusts irsa's OIDC provider: destroy keeps the provider (and the role). */
    @Test
    void providerTrustedByAForeignRoleSurvivesDestroy() {
        try (Sandbox sb = new Sandbox(true)) {
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            String provider = sb.iam.oidcProviderArns().get(0);
            String issuer = provider.substring(provider.indexOf("oidc-provider/") + "oidc-provider/".length());
            sb.iam.createRole(b -> b.roleName("team-b-app").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{"
                    + "\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + provider + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
                    + "\"Condition\":{\"StringEquals\":{\"" + issuer + ":sub\":\"system:serviceaccount:b:app\",\"" + issuer
                    + ":aud\":\"sts.amazonaws.com\"}}}]}"));
            sb.destroy(stack).orThrow();
            Map<String, String> after = sb.snapshot();
            assertThat(after.keySet()).filteredOn(k -> k.startsWith("iam.oidc-provider/")).as("still trusted by team-b-app").hasSize(1);
            assertThat(after).containsKey("iam.role/team-b-app").doesNotContainKey("iam.role/eks-cluster-role");
        }
    }

    private static void commit(Sandbox sb, String content) {
        org.gitlab4j.api.models.RepositoryFile file = new org.gitlab4j.api.models.RepositoryFile();
        file.setFilePath(".gitlab-ci.yml");
        file.setContent(content);
        try {
            sb.gitlabApi.getRepositoryFileApi().createFile(sb.projectId, file, "main", "their pipeline");
        } catch (org.gitlab4j.api.GitLabApiException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void namespace(Sandbox sb) {
        sb.cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("dev").endMetadata().build()).create();
    }

    private static void refusedAndKept(String type, Consumer<Sandbox> foreign) {
        try (Sandbox sb = new Sandbox(true)) {
            foreign.accept(sb);
            Map<String, String> before = sb.snapshot();
            RunnerStack stack = sb.stack();

            Plan plan = sb.plan(stack);
            assertThat(plan.changes()).as(plan.render()).anySatisfy(c -> {
                assertThat(c.id().toString()).contains(type);
                assertThat(c.action()).isEqualTo(Action.REFUSE);
            });
            boolean applied;
            try {
                applied = sb.apply(stack).succeeded();
            } catch (RuntimeException refused) {
                System.out.println("[reliability] foreign " + type + ": apply refused: " + refused.getMessage().lines().findFirst().orElse(""));
                applied = false;
            }
            assertThat(applied).as("apply over a foreign " + type).isFalse();
            assertThat(sb.snapshot()).as("nothing changed by the refused apply").isEqualTo(before);

            sb.destroy(stack).orThrow();
            assertThat(sb.snapshot()).as("destroy leaves the foreign " + type + " (and everything else) untouched").isEqualTo(before);
        }
    }
}

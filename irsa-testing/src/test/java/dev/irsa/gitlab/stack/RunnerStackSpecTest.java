package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.ValidationException;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.lint.LintException;
import dev.irsa.lint.LintReport;
import dev.irsa.policy.PermissionsPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec: YAML equals Java, environments, validation before any call, the lint gate. */
class RunnerStackSpecTest {
    static String resource(String name) {
        try (InputStream in = RunnerStackSpecTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The walkthrough built in Java from the seed vectors. */
    static RunnerStack javaSeed() {
        return RunnerStack.builder()
                .name("seed")
                .binding(b -> b.mode(IdentityMode.IRSA)
                        .eksCluster("devops", "eu-west-1")
                        .role(r -> r.name("eks-cluster-role")
                                .description("GitLab CI jobs of the dev runner manage EKS (the walkthrough's admin policy)")
                                .inlinePolicy("eks-admin", PermissionsPolicy.fromJson(resource("/seed/eks-admin-policy.json"))))
                        .serviceAccount("dev", "app-deployer")
                        .acceptLint("IRSA-P002@eks-admin"))
                .runner(r -> r.gitlabUrl("https://gitlab.com").project("my-group/my-project").tags("k8s-dev-runner")
                        .protectedOnly(true).locked(true).runUntagged(false).releaseName("app-dev-runner")
                        .image("ubuntu:18.04").concurrent(10).nodeSelector("nodepool", "dev"))
                .pipeline(p -> p.branch("main").path(".gitlab-ci.yml").content(resource("/seed/gitlab-ci.yml")))
                .build();
    }

    @Test
    void theSeedYamlEqualsTheJavaBuiltStack() {
        RunnerStack yaml = StackFixture.seed();
        assertThat(yaml).isEqualTo(javaSeed());
        assertThat(yaml.binding().name()).isEqualTo("seed");
        assertThat(yaml.runnerValues().jobs().serviceAccount()).isEqualTo("app-deployer");
        assertThat(yaml.runnerValues().jobs().nodeSelector()).isEqualTo(Map.of("nodepool", "dev"));
    }

    @Test
    void theClasspathCopyIsExamplesStacksSeedYaml() throws IOException {
        Path examples = Path.of("..", "examples", "stacks", "seed.yaml");   // relative to the module, as Maven runs tests
        assertThat(examples).exists();
        assertThat(Files.readString(examples)).isEqualTo(resource("/stacks/seed.yaml"));
    }

    @Test
    void theSeedAdminPolicyIsAnErrorThatTheSpecAcceptsDeliberately() {
        RunnerStack seed = StackFixture.seed();
        LintReport report = seed.lint();
        assertThat(report.findings("IRSA-P002")).isNotEmpty();
        assertThat(report.hasErrors()).isFalse();

        RunnerStack notAccepted = seed.toBuilder().binding(RoleBinding.of(b -> b.name("seed").eksCluster("devops", "eu-west-1")
                .role(seed.binding().role()).serviceAccount("dev", "app-deployer"))).build();
        assertThat(notAccepted.lint().hasErrors()).isTrue();
        try (StackFixture world = new StackFixture()) {
            assertThatThrownBy(() -> world.irsa.plan(notAccepted)).isInstanceOf(LintException.class).hasMessageContaining("IRSA-P002");
            assertThat(world.iam.calls().all()).isEmpty();
            assertThat(world.eks.calls().all()).isEmpty();
            assertThat(world.gitlab.calls()).isEmpty();
        }
    }

    @Test
    void badYamlIsAValidationExceptionNamingTheField() {
        String seed = resource("/stacks/seed.yaml");
        assertThatThrownBy(() -> RunnerStack.fromYaml(seed.replace("  release: app-dev-runner", "  relase: app-dev-runner")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("runner.relase");
                    assertThat(e.rule()).contains("unknown field").contains("release");
                });
        assertThatThrownBy(() -> RunnerStack.fromYaml(seed.replace("name: app-deployer", "name: App_Deployer")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("serviceAccount.name"));
        assertThatThrownBy(() -> RunnerStack.fromYaml(seed.replace("name: eks-cluster-role", "name: \"eks cluster role\"")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("role.name"));
        assertThatThrownBy(() -> RunnerStack.fromYaml(seed.replace("mode: irsa", "mode: kerberos")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("mode"));
        assertThatThrownBy(() -> RunnerStack.fromYaml(seed.replace("  release: app-dev-runner", "  release: App.Dev")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("runner.release"));
    }

    @Test
    void environmentsExpandToOneStackEachDifferingInNamespaceTagsNodePoolAndRole() {
        RunnerStack spec = RunnerStack.fromYaml(resource("/stacks/seed.yaml") + """
                environments:
                  dev:
                    namespace: dev
                    tags: [k8s-dev-runner]
                    nodePool: dev
                  prod:
                    namespace: prod
                    tags: [k8s-prod-runner]
                    nodePool: prod
                    roleName: eks-cluster-role-prod
                    releaseName: app-prod-runner
                """);

        List<RunnerStack> stacks = spec.expand();

        assertThat(stacks).extracting(RunnerStack::name).containsExactly("seed-dev", "seed-prod");
        RunnerStack prod = stacks.get(1);
        assertThat(prod.binding().serviceAccount().orElseThrow().namespace()).isEqualTo("prod");
        assertThat(prod.binding().role().name()).isEqualTo("eks-cluster-role-prod");
        assertThat(prod.binding().role().inlinePolicies()).isEqualTo(spec.binding().role().inlinePolicies());
        assertThat(prod.binding().providerOwner()).isEqualTo("seed");
        assertThat(prod.runner().tags()).containsExactly("k8s-prod-runner");
        assertThat(prod.runner().nodeSelector()).isEqualTo(Map.of("nodepool", "prod"));
        assertThat(prod.runner().releaseName()).isEqualTo("app-prod-runner");
        assertThat(prod.runnerValues().jobs().namespace()).isEqualTo("prod");
        assertThat(prod.pipeline()).isEmpty();
        RunnerStack dev = stacks.get(0);
        assertThat(dev.binding().role().name()).isEqualTo("eks-cluster-role");
        assertThat(dev.runner().releaseName()).isEqualTo("app-dev-runner");
        assertThat(StackFixture.seed().expand()).containsExactly(StackFixture.seed());
    }
}

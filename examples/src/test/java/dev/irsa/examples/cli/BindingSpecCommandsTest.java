package dev.irsa.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.ValidationException;
import dev.irsa.binding.IdentityMode;
import dev.irsa.gitlab.stack.StackSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specs of role bindings without a runner (examples/stacks/gitlab-oidc.yaml, workload-roles.yaml) through the CLI. */
class BindingSpecCommandsTest {
    static final String GITLAB_OIDC = "stacks/gitlab-oidc.yaml";
    static final String WORKLOADS = "stacks/workload-roles.yaml";

    @Test
    void aGitLabOidcSpecIsPlannedAsOnePlanWithTheProviderOnce() {
        CliRun run = CliRun.of("plan", "--spec", GITLAB_OIDC, "--sandbox");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsOnlyOnce("iam.oidc-provider/gitlab.com will be created")
                .contains("iam.role/gitlab-deploy will be created", "iam.role/gitlab-release-reader will be created",
                        "Plan: 3 to add, 0 to change, 0 to destroy.")
                .doesNotContain("runner");
    }

    @Test
    void workloadRolesAreAppliedVerifiedAndDestroyed() {
        CliRun apply = CliRun.of("apply", "--spec", WORKLOADS, "--sandbox");
        assertThat(apply.exitCode()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.out()).contains("Apply complete: 6 created").containsOnlyOnce("kubernetes.namespace/apps will be created");

        CliRun verify = CliRun.of("verify", "--spec", WORKLOADS, "--sandbox");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("(sandbox: applying the 2 binding(s) first").contains("assumed-role/apps-orders/")
                .contains("assumed-role/apps-reports/");

        CliRun destroy = CliRun.of("destroy", "--spec", WORKLOADS, "--sandbox");
        assertThat(destroy.exitCode()).as(destroy.out() + destroy.err()).isZero();
        assertThat(destroy.out()).contains("Destroy complete: 0 created, 0 updated, 6 deleted");
    }

    @Test
    void iamOnlyLeavesTheServiceAccountsAlone() {
        CliRun apply = CliRun.of("apply", "--spec", WORKLOADS, "--sandbox", "--iam-only");
        assertThat(apply.exitCode()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.out()).contains("Apply complete (IAM only): 3 created").doesNotContain("kubernetes.");
    }

    @Test
    void lintAndRenderReadSpecsWithoutARunner() throws IOException {
        CliRun lint = CliRun.of("lint", GITLAB_OIDC);
        assertThat(lint.exitCode()).as(lint.out() + lint.err()).isZero();
        assertThat(lint.out()).contains("# binding deploy", "# binding release-reader");

        CliRun pipeline = CliRun.of("render", "pipeline", "--spec", GITLAB_OIDC);
        assertThat(pipeline.exitCode()).as(pipeline.out() + pipeline.err()).isZero();
        // GitLab's id_tokens keyword (docs: ci/yaml/#id_tokens) with the audience the trust pins, and no access key.
        // rules:if (docs: ci/yaml/#rulesif): each job only on the ref its role trusts.
        assertThat(pipeline.out()).contains("deploy:", "release-reader:", "id_tokens:", "aud: https://gitlab.com",
                "AWS_ROLE_ARN: arn:aws:iam::111122223333:role/gitlab-deploy", "AWS_WEB_IDENTITY_TOKEN_FILE")
                .doesNotContain("AWS_ACCESS_KEY_ID").doesNotContain("AWS_SECRET_ACCESS_KEY");

        var jobs = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(pipeline.out());
        assertThat(jobs.at("/deploy/rules/0/if").asText()).isEqualTo("$CI_COMMIT_BRANCH == \"main\"");
        assertThat(jobs.at("/release-reader/rules/0/if").asText()).isEqualTo("$CI_COMMIT_TAG == \"v1.0.0\"");

        CliRun values = CliRun.of("render", "values", "--spec", GITLAB_OIDC);
        assertThat(values.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(values.err()).contains("runner");
    }

    @Test
    void theSpecsJavaTwinIsTheSameBindings() {
        StackSpec read = StackSpec.fromYaml(Path.of(GITLAB_OIDC));
        assertThat(read.runnerStack()).isEmpty();
        assertThat(read.bindings()).extracting(b -> b.name()).containsExactly("deploy", "release-reader");
        assertThat(read.bindings()).allSatisfy(b -> {
            assertThat(b.mode()).isEqualTo(IdentityMode.GITLAB_OIDC);
            assertThat(b.providerOwner()).isEqualTo("gitlab-ci-roles");
        });
        assertThat(StackSpec.of("gitlab-ci-roles", read.bindings()).bindings()).isEqualTo(read.bindings());
    }

    @Test
    void badBindingSpecsNameTheField(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> StackSpec.fromYaml("name: x\nbindings:\n  - name: a\n    role: {name: r}\n    gitlabOidc: {project: g/p, branch: main}\n"
                + "  - name: a\n    role: {name: r2}\n    gitlabOidc: {project: g/p, branch: main}\nmode: gitlab-oidc\n"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("bindings[1].name"));
        assertThatThrownBy(() -> StackSpec.fromYaml("name: x\nmode: irsa\nbindings:\n  - name: a\n    role: {name: r}\n"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).startsWith("bindings[0]."));
        assertThatThrownBy(() -> StackSpec.fromYaml("name: x\nrole: {name: r}\nbindings:\n  - name: a\n    role: {name: r}\n"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("role"));
        assertThatThrownBy(() -> StackSpec.fromYaml("name: x\nbindings: []\n"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("bindings"));
        Path spec = dir.resolve("bad.yaml");
        Files.writeString(spec, "name: x\nmode: gitlab-oidc\naccountId: \"111122223333\"\nbindings:\n  - name: a\n    role: {name: r}\n"
                + "    gitlabOidc: {project: g/p, branch: main}\n  - name: b\n    role: {name: r}\n    gitlabOidc: {project: g/p, branch: dev}\n");
        CliRun plan = CliRun.of("plan", "--spec", spec.toString(), "--sandbox");
        assertThat(plan.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(plan.err()).contains("bindings[1].role.name");
    }

    @Test
    void theGitLabOidcDemoAssumesTheRoleWithAJobToken() {
        CliRun run = CliRun.of("demo", "--gitlab-oidc");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsSubsequence("1. The spec: 2 GitLab OIDC role bindings",
                "2. Plan", "Plan: 3 to add",
                "3. Apply", "3 created",
                "4. The .gitlab-ci.yml jobs", "id_tokens:",
                "job of my-group/my-project on branch main -> gitlab-deploy: credentials for arn:aws:sts::111122223333:assumed-role/gitlab-deploy/",
                "on branch feature-x -> gitlab-deploy: AccessDenied",
                "on branch main -> gitlab-release-reader: AccessDenied",
                "on tag v1.0.0 -> gitlab-release-reader: credentials for",
                "6. Verify", "7. Plan again", "no changes", "8. Destroy", "3 deleted",
                "Done: GitLab jobs get AWS credentials from their own OIDC token");
        assertThat(run.out() + run.err()).doesNotContain("eyJ").doesNotContainIgnoringCase("secretAccessKey");
    }

    @Test
    void preflightChecksEachBindingAndNoClusterForGitLabOidcRoles() {
        CliRun oidc = CliRun.of("preflight", "--spec", GITLAB_OIDC, "--sandbox");
        assertThat(oidc.exitCode()).as(oidc.out() + oidc.err()).isZero();
        assertThat(oidc.out()).contains("aws.credentials", "aws.permissions").doesNotContain("kubernetes.");

        CliRun workloads = CliRun.of("preflight", "--spec", WORKLOADS, "--sandbox");
        assertThat(workloads.exitCode()).as(workloads.out() + workloads.err()).isZero();
        assertThat(workloads.out()).contains("aws.cluster", "kubernetes.access.serviceaccounts/apps");
    }
}

package dev.irsa.examples.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** plan/apply/verify/destroy --spec through picocli on the sandbox, and the real-endpoint guard rails. */
class StackCommandsTest {
    @TempDir
    Path dir;

    @AfterEach
    void restoreEnvironment() {
        StackCommands.environment = System::getenv;
    }

    private String seed() throws IOException {
        Path file = dir.resolve("seed.yaml");
        if (Files.exists(file)) {
            return file.toString();
        }
        try (InputStream in = getClass().getResourceAsStream("/dev/irsa/examples/stacks/seed.yaml")) {
            Files.copy(in, file);
        }
        return file.toString();
    }

    @Test
    void planOnTheSandboxListsEveryResource() throws IOException {
        CliRun run = CliRun.of("plan", "--spec", seed(), "--sandbox");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("(sandbox: account 111122223333, cluster devops", "iam.oidc-provider/eks:devops will be created",
                "kubernetes.service-account/dev/app-deployer will be created", "gitlab.runner/seed/runner will be created",
                "Plan: 8 to add, 0 to change, 0 to destroy.");
    }

    @Test
    void applyShowsProgressAndSummaryWithoutTheRunnerToken() throws IOException {
        CliRun run = CliRun.of("apply", "--spec", seed(), "--sandbox");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsSubsequence("Plan: 8 to add", "iam.role/eks-cluster-role: Creating...",
                "iam.role/eks-cluster-role: Creation complete", "Apply complete: 8 created, 0 updated, 0 deleted, 0 unchanged");
        assertThat(run.out() + run.err()).doesNotContain("glrt-").doesNotContain("eyJ");
    }

    @Test
    void verifyAndDestroyOnTheSandboxApplyFirstAndSaySo() throws IOException {
        String spec = seed();
        CliRun verify = CliRun.of("verify", "--spec", spec, "--sandbox");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("applying stack seed first", "PASS  assume-role-with-web-identity", "Verify: all");
        CliRun destroy = CliRun.of("destroy", "--spec", spec, "--sandbox");
        assertThat(destroy.exitCode()).as(destroy.out() + destroy.err()).isZero();
        assertThat(destroy.out()).contains("Plan: 0 to add, 0 to change, 8 to destroy.", "Destroy complete: 0 created, 0 updated, 8 deleted, 0 unchanged");
        assertThat(verify.out() + destroy.out()).doesNotContain("glrt-");
    }

    /** issue 14: in Pod Identity mode the job pods' service account is planned, created and verified too. */
    @Test
    void podIdentityModeCreatesAndVerifiesTheJobPodsServiceAccount() throws IOException {
        Path spec = dir.resolve("pod-identity.yaml");
        Files.writeString(spec, Files.readString(Path.of(seed())).replace("mode: irsa", "mode: pod-identity"));
        CliRun plan = CliRun.of("plan", "--spec", spec.toString(), "--sandbox");
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).contains("kubernetes.service-account/dev/app-deployer will be created",
                "eks.pod-identity-association/devops/dev/app-deployer will be created");
        CliRun verify = CliRun.of("verify", "--spec", spec.toString(), "--sandbox");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("PASS  service-account: service account dev/app-deployer exists", "PASS  pod-identity-association");
    }

    @Test
    void realEndpointsNeedTheTokenFromTheEnvironmentNeverAFlag() throws IOException {
        StackCommands.environment = Map.<String, String>of()::get;
        CliRun missing = CliRun.of("plan", "--spec", seed(), "--gitlab-token-env", "MY_GITLAB_TOKEN");
        assertThat(missing.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(missing.err()).contains("error: no GitLab token", "looked at: environment variable MY_GITLAB_TOKEN (unset)",
                "never taken from a flag");
        CliRun flag = CliRun.of("plan", "--spec", seed(), "--gitlab-token", "glpat-secret");
        assertThat(flag.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(flag.err()).contains("Unknown option").doesNotContain("glpat-secret is");
    }

    /** issue 14: a kubeconfig that is not there is named before AWS, Kubernetes or GitLab is called. */
    @Test
    void aMissingKubeconfigSaysWhereItLookedBeforeAnyCall() throws IOException {
        StackCommands.environment = Map.of("IRSA_GITLAB_TOKEN", "glpat-test")::get;
        Path missing = dir.resolve("no-such-kubeconfig");
        CliRun run = CliRun.of("plan", "--spec", seed(), "--kubeconfig", missing.toString(), "--region", "eu-west-1");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(IrsaCli.USAGE);
        assertThat(run.err()).contains("error: no kubeconfig at " + missing, "looked at: " + missing + " is not a readable, non-empty file",
                "fix: Pass the path of a kubeconfig file").doesNotContain("glpat-test");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void plainHttpToAHostThatIsNotLoopbackIsRefusedBeforeTheTokenIsSentAnywhere() throws IOException {
        StackCommands.environment = Map.of("IRSA_GITLAB_TOKEN", "glpat-Xq3vR8sLm2NpT7wZ4yKd")::get;
        CliRun run = CliRun.of("plan", "--spec", seed(), "--gitlab-url", "http://gitlab.example.test");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(IrsaCli.USAGE);
        assertThat(run.err()).contains("field: gitlab.url", "value: http://gitlab.example.test", "unencrypted", "--allow-insecure-http");
        assertThat(run.out() + run.err()).doesNotContain("glpat-Xq3vR8sLm2NpT7wZ4yKd");
    }

    @Test
    void badSpecIsAValidationErrorBeforeAnyCall() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, Files.readString(Path.of(seed())).replace("name: app-deployer", "name: App_Deployer"));
        CliRun run = CliRun.of("plan", "--spec", bad.toString(), "--sandbox");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(IrsaCli.USAGE);
        assertThat(run.err()).contains("field: ").contains("value: App_Deployer").contains("rule:");
        assertThat(run.out()).doesNotContain("sandbox:");
    }

    @Test
    void aRejectedValueCannotDriveTheTerminalOrForgeALine() throws IOException {
        // YAML double quotes turn \e and \n into ESC and a line feed: the value reaches the error as written.
        Path bad = dir.resolve("escape.yaml");
        Files.writeString(bad, Files.readString(Path.of(seed()))
                .replace("name: app-deployer", "name: \"app\\e[31m-deployer\\nrule: forged\\u202e\""));
        CliRun run = CliRun.of("plan", "--spec", bad.toString(), "--sandbox");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(IrsaCli.USAGE);
        assertThat(run.err()).contains("field: serviceAccount.name").contains("value: app\\u001b[31m-deployer\\nrule: forged\\u202e")
                .doesNotContain("\u001b").doesNotContain("\u202e");
        assertThat(run.err().lines()).noneMatch(line -> line.strip().startsWith("rule: forged"));
        assertThat(run.err().lines()).filteredOn(line -> line.strip().startsWith("rule:")).hasSize(1);
    }

    @Test
    void aLongRejectedValueIsCutWithAMarker() throws IOException {
        Path bad = dir.resolve("long.yaml");
        Files.writeString(bad, Files.readString(Path.of(seed())).replace("name: app-deployer", "name: " + "A".repeat(5000)));
        CliRun run = CliRun.of("plan", "--spec", bad.toString(), "--sandbox");
        assertThat(run.err()).contains("(5000 characters)").hasSizeLessThan(3000);
    }

    @Test
    void anArgumentPicocliRejectsIsEscapedToo() {
        CliRun run = CliRun.of("plan", "--spec", "seed.yaml", "--bogus\u001b[2J\nrule: forged");
        assertThat(run.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(run.err()).contains("Unknown option").contains("\\u001b[2J").doesNotContain("\u001b");
        assertThat(run.err().lines()).noneMatch(line -> line.strip().startsWith("rule: forged"));
    }

    @Test
    void unknownEnvironmentIsAUsageError() throws IOException {
        CliRun run = CliRun.of("plan", "--spec", seed(), "--sandbox", "--environment", "staging");
        assertThat(run.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(run.err()).contains("field: --environment").contains("value: staging");
    }
}

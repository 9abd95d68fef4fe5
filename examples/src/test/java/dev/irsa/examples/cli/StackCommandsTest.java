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

    @Test
    void realEndpointsNeedTheTokenFromTheEnvironmentNeverAFlag() throws IOException {
        StackCommands.environment = Map.<String, String>of()::get;
        CliRun missing = CliRun.of("plan", "--spec", seed(), "--gitlab-token-env", "MY_GITLAB_TOKEN");
        assertThat(missing.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(missing.err()).contains("MY_GITLAB_TOKEN").contains("never taken from a flag");
        CliRun flag = CliRun.of("plan", "--spec", seed(), "--gitlab-token", "glpat-secret");
        assertThat(flag.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(flag.err()).contains("Unknown option").doesNotContain("glpat-secret is");
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
    void unknownEnvironmentIsAUsageError() throws IOException {
        CliRun run = CliRun.of("plan", "--spec", seed(), "--sandbox", "--environment", "staging");
        assertThat(run.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(run.err()).contains("field: --environment").contains("value: staging");
    }
}

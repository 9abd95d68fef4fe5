package dev.irsa.examples.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    @Test
    void demoWalksThroughEveryStepAndExitsZero() {
        CliRun run = CliRun.of("demo");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsSubsequence(
                "Render the walkthrough's artifacts",
                "system:serviceaccount:dev:app-deployer",
                "IRSA-P002 ERROR", "[accepted]",
                "service_account = 'app-deployer'",
                "k8s-dev-runner",
                "3. Plan", "iam.role/eks-cluster-role will be created", "gitlab.runner/seed/runner will be created",
                "helm.release/dev/app-dev-runner will be created", "Plan: 8 to add, 0 to change, 0 to destroy.",
                "4. Apply", "iam.role/eks-cluster-role: Creation complete", "8 created, 0 updated, 0 deleted, 0 unchanged",
                "5. Verify", "PASS  assume-role-with-web-identity", "assumed-role/eks-cluster-role/", "PASS  runner-registered", "Verify: all",
                "6. Plan again", "No changes.", "changing calls to AWS, Kubernetes, GitLab and Helm: 0",
                "7. Destroy", "Plan: 0 to add, 0 to change, 8 to destroy.", "0 created, 0 updated, 8 deleted",
                "left in the sandbox: no role, provider, service account, Secret, runner or release",
                "Done: the walkthrough works end to end.");
        // No secret material: no JWT (header "eyJ"), no STS secret key, no runner token.
        assertThat(run.out() + run.err()).doesNotContain("FAIL ").doesNotContain("eyJ").doesNotContain("glrt-").doesNotContainIgnoringCase("secretAccessKey");
    }
}

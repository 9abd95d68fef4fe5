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
                "service_account",
                "k8s-dev-runner",
                "Apply",
                "CreateRole on role eks-cluster-role",
                "Verify",
                "STS AssumeRoleWithWebIdentity accepted it: arn:aws:sts::111122223333:assumed-role/eks-cluster-role/",
                "No changes",
                "during the second apply: 0",
                "Destroy",
                "DeleteRole on role eks-cluster-role",
                "Done: the walkthrough works end to end.");
        // No secret material: no JWT (header "eyJ"), no STS secret key, no runner token.
        assertThat(run.out() + run.err()).doesNotContain("eyJ").doesNotContain("glrt-").doesNotContainIgnoringCase("secretAccessKey");
    }
}

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
                "7. The evening/morning cycle", "evening: irsa destroy --iam-only", "0 created, 0 updated, 2 deleted",
                "kept overnight: 1 service account, 1 runner, 1 token Secret, 1 Helm release",
                "verify at night", "FAIL  role: role eks-cluster-role does not exist", "Verify: 3 of 5 checks failed.",
                "morning: irsa apply --iam-only", "2 created, 0 updated, 0 deleted", "Verify: all 6 checks passed.",
                "8. Destroy", "Plan: 0 to add, 0 to change, 8 to destroy.", "0 created, 0 updated, 8 deleted",
                "left in the sandbox: no role, provider, service account, Secret, runner or release",
                "Done: the walkthrough works end to end.");
        // No secret material: no JWT (header "eyJ"), no STS secret key, no runner token.
        // The only failed checks are the night's, while the role is gone.
        String night = run.out().substring(run.out().indexOf("verify at night"), run.out().indexOf("morning: irsa apply --iam-only"));
        assertThat(run.out().split("FAIL ", -1).length - 1).isEqualTo(night.split("FAIL ", -1).length - 1).isEqualTo(3);
        assertThat(run.out() + run.err()).doesNotContain("eyJ").doesNotContain("glrt-").doesNotContainIgnoringCase("secretAccessKey");
    }
}

package dev.irsa.examples.cli;

import dev.irsa.testing.IrsaSandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code irsa preflight}: exit 0 when every check passed, 1 with the failed check's cause and fix otherwise. */
class PreflightCommandTest {
    @RegisterExtension
    final SeedOnSharedSandbox seed = new SeedOnSharedSandbox();

    private IrsaSandbox sandbox() {
        return seed.sandbox();
    }

    @Test
    void allChecksPassOnTheSandbox() {
        CliRun run = CliRun.of("preflight", "--spec", seed.spec(), "--sandbox");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("PASS  aws.credentials: arn:aws:iam::111122223333:user/irsa-test (account 111122223333)",
                "PASS  aws.permissions: all 26 IAM/EKS actions irsa calls are allowed", "PASS  kubernetes.access.leases/default",
                "PASS  gitlab.scopes: api, create_runner", "PASS  helm.release: no Helm release app-dev-runner in dev yet")
                .contains("Preflight: all ");
    }

    @Test
    void aFailedCheckExitsOneWithItsCauseAndFix() {
        // the sandbox's caller (IAM user irsa-test) loses AdministratorAccess and keeps only reads
        sandbox().iam().detachUserPolicy(b -> b.userName("irsa-test").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        sandbox().iam().putUserPolicy(b -> b.userName("irsa-test").policyName("read-only").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:Get*\",\"iam:List*\",\"eks:Describe*\"],\"Resource\":\"*\"}]}"));

        CliRun run = CliRun.of("preflight", "--spec", seed.spec(), "--sandbox");

        assertThat(run.exitCode()).isEqualTo(IrsaCli.FAILED);
        assertThat(run.out()).contains("FAIL  aws.permissions: ", "iam:CreateRole on arn:aws:iam::111122223333:role/eks-cluster-role (implicitDeny)",
                "cause: the policies of arn:aws:iam::111122223333:user/irsa-test do not allow them",
                "fix:   Grant iam:CreateRole, ", "Preflight: 1 of ");
    }

    @Test
    void aMissingPieceOnRealEndpointsPointsAtPreflight() {
        CliRun run = CliRun.of("plan", "--spec", seed.spec(), "--kubeconfig", seed.dir().resolve("missing").toString());

        assertThat(run.exitCode()).isEqualTo(IrsaCli.USAGE);
        // the first missing piece is named (the GitLab token here, unless set), then where to see all of them
        assertThat(run.err()).contains("error: no ", "  looked at: ", "  fix: ",
                "  next: irsa preflight --spec FILE checks every other piece (AWS, Kubernetes, GitLab, Helm) at once");
    }

    @Test
    void iamOnlyChecksNeitherGitLabNorHelm() {
        CliRun run = CliRun.of("preflight", "--spec", seed.spec(), "--sandbox", "--iam-only");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("kubernetes.access.serviceaccounts/token/dev", "kubernetes.access.leases/default")
                .doesNotContain("gitlab.", "helm.", "kubernetes.access.secrets");
    }
}

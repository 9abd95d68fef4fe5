package dev.irsa.endpoints;

import dev.irsa.Preflight;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.aws.PermissionSimulator;
import dev.irsa.PreflightReport;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyCheck;
import dev.irsa.testing.aws.MotoServer;
import dev.irsa.testing.aws.MotoServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Preflight} on real-endpoint wiring: what is missing is a failed check naming where irsa looked, and moto's gaps. */
@ExtendWith(MotoServerExtension.class)
class PreflightOnEndpointsTest {
    static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    static final RoleBinding BINDING = RoleBinding.of(b -> b.name("ci").cluster(ClusterRef.eks("devops", "eu-west-1"))
            .serviceAccount("dev", "app-deployer").role(r -> r.name("ci-role")));

    @TempDir
    Path dir;

    @Test
    void noKubeconfigAndNoCredentialsAreBothReportedWithWhereIrsaLooked() {
        Path missing = dir.resolve("missing-kubeconfig");
        PreflightReport report = Preflight.builder().endpoints(e -> e.region("eu-west-1").kubeconfig(missing)
                .credentialsProvider(() -> {
                    throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
                })).build().check(BINDING);

        VerifyCheck aws = report.check("aws.credentials").orElseThrow();
        assertThat(aws.status()).isEqualTo(VerifyCheck.Status.FAIL);
        assertThat(aws.cause().orElseThrow()).startsWith("no AWS credentials; looked at: the given credentials provider");
        VerifyCheck kubeconfig = report.check("kubernetes.kubeconfig").orElseThrow();
        assertThat(kubeconfig.status()).isEqualTo(VerifyCheck.Status.FAIL);
        assertThat(kubeconfig.cause()).hasValue("no kubeconfig at " + missing + "; looked at: " + missing + " is not a readable, non-empty file");
        assertThat(kubeconfig.fix()).hasValue("Pass the path of a kubeconfig file");
        // what needs the credentials is skipped, and the actions to grant are still listed
        assertThat(report.check("aws.permissions").orElseThrow().detail()).startsWith("needs aws.credentials; irsa calls iam:GetRole, iam:CreateRole");
        assertThat(report.passed()).isFalse();
    }

    /**
     * moto 5.2.1 has no SimulatePrincipalPolicy: its {@code BaseResponse.call_action} raises
     * {@code NotImplementedError("The SimulatePrincipalPolicy action has not been implemented")}, which the server
     * answers with HTTP 500 (moto/core/responses.py). Preflight then lists the actions instead of guessing.
     */
    @Test
    void onMotoTheCallerIsFoundAndTheUnsimulatedActionsAreListed(MotoServer moto) {
        moto.reset();
        PreflightReport report = Preflight.builder().endpoints(e -> e.region("eu-west-1").awsEndpoint(moto.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .kubeconfig(dir.resolve("none"))).build().check(BINDING);

        // moto's GetCallerIdentity says arn:aws:sts::...:user/moto (real STS: arn:aws:iam::...:user/<name>), not a
        // principal IAM can simulate: the actions are listed
        assertThat(report.check("aws.credentials").orElseThrow().detail()).isEqualTo("arn:aws:sts::123456789012:user/moto (account 123456789012)");
        VerifyCheck permissions = report.check("aws.permissions").orElseThrow();
        assertThat(permissions.status()).isEqualTo(VerifyCheck.Status.SKIPPED);
        assertThat(permissions.detail()).startsWith("not simulated: IAM simulates users and roles only; the caller is arn:aws:sts::123456789012:user/moto")
                .contains("may call: iam:GetRole, iam:CreateRole");

        // and asked for a user, moto answers SimulatePrincipalPolicy with HTTP 500: not simulated, said so
        AwsExecutor aws = AwsExecutor.builder().iam(moto.clients().iam()).sts(moto.clients().sts()).sleeper(d -> { }).build();
        PermissionSimulator.Simulation simulation = aws.permissions().simulate("arn:aws:iam::123456789012:user/moto",
                Map.of("*", List.of("iam:GetRole")));
        assertThat(simulation.unavailable().orElseThrow()).startsWith("IAM did not answer SimulatePrincipalPolicy (");
    }
}

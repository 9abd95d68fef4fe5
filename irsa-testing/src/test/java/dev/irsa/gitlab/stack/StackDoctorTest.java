package dev.irsa.gitlab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.VerifyCheck;
import dev.irsa.binding.VerifyReport;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** verify ("doctor") after injected misconfigurations: each fails with the right cause. */
class StackDoctorTest {
    private final StackFixture world = new StackFixture();
    private final RunnerStack seed = StackFixture.seed();

    @AfterEach
    void close() {
        world.close();
    }

    private VerifyCheck failed(VerifyReport report, String check) {
        assertThat(report.passed()).as(report.render()).isFalse();
        VerifyCheck c = report.check(check).orElseThrow();
        assertThat(c.status()).as(report.render()).isEqualTo(VerifyCheck.Status.FAIL);
        return c;
    }

    private void editTrust(String from, String to) {
        String trust = world.iam.trustPolicy("eks-cluster-role").orElseThrow();
        assertThat(trust).contains(from);
        world.iam.updateAssumeRolePolicy(b -> b.roleName("eks-cluster-role").policyDocument(trust.replace(from, to)));
    }

    /** A paused runner still contacts GitLab, so GitLab calls it online (Ci::Runner#online?): it picks no job all the same. */
    @Test
    void aPausedRunnerIsNamedThoughGitLabCallsItOnline() {
        world.irsa.apply(seed).orThrow();
        long id = world.gitlab.runners().get(0).id();
        world.gitlab.contactRunner(id);
        world.gitlabExecutor.updateRunner(id, dev.irsa.gitlab.api.RunnerSpec.builder().stack("seed").name("runner")
                .projectId(world.projectId).tags("k8s-dev-runner").protectedOnly(true).paused(true).build());

        VerifyCheck online = failed(world.irsa.verify(seed), "runner-online");

        assertThat(online.detail()).contains("paused");
        assertThat(online.fix()).hasValueSatisfying(f -> assertThat(f).contains("apply"));
    }

    @Test
    void aSubTypoInTheTrustIsNamedWithTheDifferingPart() {
        world.irsa.apply(seed).orThrow();
        editTrust("system:serviceaccount:dev:app-deployer", "system:serviceaccount:dev:app-deployr");

        VerifyReport report = world.irsa.verify(seed);

        VerifyCheck trust = failed(report, "trust");
        assertThat(trust.cause()).hasValueSatisfying(c -> assertThat(c).contains("sub typo")
                .contains("service account 'app-deployr'").contains("'app-deployer'"));
        assertThat(failed(report, "assume-role-with-web-identity").detail()).contains("AccessDenied");
    }

    @Test
    void aWrongAudienceInTheTrustIsNamed() {
        world.irsa.apply(seed).orThrow();
        editTrust("\"sts.amazonaws.com\"", "\"sts.example.com\"");

        VerifyCheck trust = failed(world.irsa.verify(seed), "trust");

        assertThat(trust.cause()).hasValueSatisfying(c -> assertThat(c).startsWith("wrong audience"));
    }

    @Test
    void aMissingProviderIsNamed() {
        world.irsa.apply(seed).orThrow();
        String arn = world.iam.oidcProviderForIssuer(world.issuer.issuerUrl()).orElseThrow().arn();
        world.iam.deleteOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn));

        VerifyReport report = world.irsa.verify(seed);

        assertThat(failed(report, "oidc-provider").cause()).hasValueSatisfying(c -> assertThat(c).startsWith("missing provider"));
        assertThat(failed(report, "assume-role-with-web-identity").cause())
                .hasValueSatisfying(c -> assertThat(c).startsWith("missing provider"));
    }

    @Test
    void anIssuerOtherThanTheClustersIsNamed() {
        RunnerStack wrongIssuer = seed.toBuilder().binding(seed.binding().toBuilder().cluster(ClusterRef.eks("devops", "eu-west-1",
                "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", StackFixture.ACCOUNT, "aws")).build()).build();
        world.irsa.apply(wrongIssuer).orThrow();

        VerifyCheck assume = failed(world.irsa.verify(wrongIssuer), "assume-role-with-web-identity");

        assertThat(assume.cause()).hasValueSatisfying(c -> assertThat(c).startsWith("issuer mismatch")
                .contains(world.issuer.issuerUrl()));
    }

    @Test
    void aPodStartedBeforeTheAnnotationIsReportedWithTheWorkloadToRestart() {
        world.cluster.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("dev").endMetadata().build()).create();
        world.cluster.client().serviceAccounts().inNamespace("dev").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("app-deployer").endMetadata().build()).create();
        world.cluster.client().pods().inNamespace("dev").resource(new PodBuilder().withNewMetadata().withName("early-job").endMetadata()
                .withNewSpec().withServiceAccountName("app-deployer").addNewContainer().withName("job").withImage("amazon/aws-cli")
                .endContainer().endSpec().build()).create();
        RunnerStack adopting = seed.toBuilder().binding(seed.binding().toBuilder()
                .serviceAccount(s -> s.namespace("dev").name("app-deployer").adopt(true)).build()).build();
        world.irsa.apply(adopting).orThrow();

        VerifyCheck pods = failed(world.irsa.verify(adopting), "pods-credentials");

        assertThat(pods.detail()).contains("early-job");
        assertThat(pods.cause()).hasValueSatisfying(c -> assertThat(c).startsWith("pod predates annotation"));
    }

    @Test
    void iamPropagationWithinTheBoundIsRiddenOutOnTheManualClock() {
        world.iam.propagationDelay(Duration.ofSeconds(30));
        world.irsa.apply(seed).orThrow();

        VerifyReport report = world.irsa.verify(seed);

        assertThat(report.check("assume-role-with-web-identity").orElseThrow().status()).as(report.render())
                .isEqualTo(VerifyCheck.Status.PASS);
    }

    @Test
    void iamPropagationBeyondTheBoundFailsNamingTheRole() {
        world.irsa.apply(seed).orThrow();
        // The trust is rewritten (same content) while IAM takes 30 minutes to propagate: far beyond verify's 2.
        world.iam.propagationDelay(Duration.ofMinutes(30));
        editTrust("system:serviceaccount:dev:app-deployer", "system:serviceaccount:dev:app-deployer");

        VerifyCheck assume = failed(world.irsa.verify(seed), "assume-role-with-web-identity");

        assertThat(assume.cause()).hasValueSatisfying(c -> assertThat(c).startsWith("IAM propagation timeout")
                .contains("eks-cluster-role"));
    }
}

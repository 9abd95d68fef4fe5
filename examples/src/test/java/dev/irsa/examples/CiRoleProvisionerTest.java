package dev.irsa.examples;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.policy.TrustPolicy;
import dev.irsa.testing.IrsaInject;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.IrsaSandboxTest;
import dev.irsa.testing.SandboxResources;
import dev.irsa.testing.Service;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a user tests their own tool with irsa-testing: {@code @IrsaSandboxTest} starts IAM, STS, EKS, the
 * cluster and GitLab offline and injects what the test asks for; {@code cleanState} empties the sandbox
 * before each test.
 */
@IrsaSandboxTest(clusterName = "prod-eks", cleanState = true)
class CiRoleProvisionerTest {
    @IrsaInject
    IrsaSandbox sandbox;

    private final CiRoleProvisioner provisioner;

    CiRoleProvisionerTest(AwsExecutor aws, KubernetesExecutor kubernetes) {
        this.provisioner = new CiRoleProvisioner(aws, kubernetes, "platform");
    }

    @Test
    void createsExactlyOneRoleTrustingOnlyThatServiceAccount() {
        CiRoleProvisioner.Result result = provisioner.provision("prod-eks", "ci", "deployer", "artifacts");

        SandboxResources now = sandbox.resources();
        assertThat(now.roles()).singleElement().satisfies(role -> {
            assertThat(role.arn()).isEqualTo(result.roleArn());
            String providerArn = now.oidcProviders().get(0).arn();
            assertThat(role.trustPolicy().equivalentTo(TrustPolicy.irsa(s -> s.providerArn(providerArn)
                    .serviceAccount("ci", "deployer")))).isTrue();
            assertThat(role.inlinePolicies()).containsOnlyKeys("read-artifacts");
        });
        assertThat(now.serviceAccount("ci", "deployer")).flatMap(SandboxResources.ServiceAccount::roleArn).contains(result.roleArn());
    }

    @Test
    void secondRunChangesNothing() {
        provisioner.provision("prod-eks", "ci", "deployer", "artifacts");
        int before = sandbox.calls().withoutStackLock().changing().size();

        CiRoleProvisioner.Result again = provisioner.provision("prod-eks", "ci", "deployer", "artifacts");

        assertThat(again.changed()).isFalse();
        assertThat(sandbox.calls().withoutStackLock().changing()).hasSize(before);
    }

    @Test
    void theServiceAccountsTokenAssumesTheRoleAndNoOtherDoes(KubernetesExecutor kubernetes, StsClient sts) {
        String roleArn = provisioner.provision("prod-eks", "ci", "deployer", "artifacts").roleArn();

        String token = kubernetes.requestToken("ci", "deployer", Duration.ofHours(1)).token().reveal();
        assertThat(sts.assumeRoleWithWebIdentity(r -> r.roleArn(roleArn).roleSessionName("pipeline-1").webIdentityToken(token))
                .credentials()).isNotNull();

        String other = sandbox.serviceAccountToken("ci", "someone-else", Duration.ofHours(1)).reveal();
        assertThatThrownBy(() -> sts.assumeRoleWithWebIdentity(r -> r.roleArn(roleArn).roleSessionName("pipeline-2").webIdentityToken(other)))
                .isInstanceOfSatisfying(StsException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }

    @Test
    void survivesIamThrottlingAndFailsCleanlyOnAKubernetesOutage() {
        sandbox.faults().throttle(Service.IAM, 0.3, 2026);
        provisioner.provision("prod-eks", "ci", "deployer", "artifacts");
        assertThat(sandbox.resources().roles()).hasSize(1);

        sandbox.faults().throttle(Service.KUBERNETES, 1.0, 1);
        assertThatThrownBy(() -> provisioner.provision("prod-eks", "ci", "builder", "artifacts"))
                .isInstanceOf(dev.irsa.IrsaException.class);
        sandbox.faults().clear();
        provisioner.provision("prod-eks", "ci", "builder", "artifacts"); // re-run after the outage converges
        assertThat(sandbox.resources().serviceAccount("ci", "builder")).isPresent();
    }
}

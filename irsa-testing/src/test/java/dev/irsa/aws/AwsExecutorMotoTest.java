package dev.irsa.aws;

import dev.irsa.testing.aws.MotoServer;
import dev.irsa.testing.aws.MotoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The executor scenarios against a real moto server on loopback, through SDK clients built by
 * {@link AwsClients} (url-connection-client, endpoint override): proves the wire wiring. Pod identity,
 * AddClientIDToOpenIDConnectProvider and token validation are not served by moto; the fakes cover them.
 */
@ExtendWith(MotoServerExtension.class)
class AwsExecutorMotoTest {
    private static MotoServer moto;
    private static IamClient iam;
    private static StsClient sts;
    private static EksClient eks;
    private AwsExecutor executor;
    private final Ownership ci = Ownership.of("ci");

    @BeforeAll
    static void connect(MotoServer server) {
        moto = server;
        AwsClients clients = server.clients();
        iam = clients.iam();
        sts = clients.sts();
        eks = clients.eks();
    }

    @AfterAll
    static void disconnect() {
        if (iam != null) {
            iam.close();
            sts.close();
            eks.close();
        }
    }

    @BeforeEach
    void fresh() {
        moto.reset();
        executor = AwsExecutor.builder().iam(iam).sts(sts).eks(eks).build();
    }

    private String managedPolicy(String name) {
        return iam.createPolicy(b -> b.policyName(name).policyDocument(Trusts.permissions("s3:GetObject"))).policy().arn();
    }

    private ClusterIdentity cluster() {
        String role = iam.createRole(b -> b.roleName("eks-cluster").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"))
                .role().arn();
        eks.createCluster(b -> b.name("prod").roleArn(role).resourcesVpcConfig(v -> v.subnetIds("subnet-1", "subnet-2")));
        return executor.identity().ofCluster("prod");
    }

    @Test
    void clusterIdentityComesFromMotosEksAndSts() {
        ClusterIdentity id = cluster();
        assertThat(id.accountId()).isEqualTo("123456789012");
        assertThat(id.partition()).isEqualTo("aws");
        assertThat(id.issuerUrl()).startsWith("https://oidc.eks.us-east-1.amazonaws.com/id/");
        assertThat(id.providerArn()).isEqualTo("arn:aws:iam::123456789012:oidc-provider/" + id.issuerHostPath());
        assertThatThrownBy(() -> executor.identity().ofCluster("missing"))
                .isInstanceOfSatisfying(AwsOperationException.class, e -> assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException"));
    }

    /** Issue 13 finding 11b on moto: a role with no irsa tags that trusts irsa's provider keeps it alive. */
    @Test
    void providerTrustedByAForeignRoleIsKept() {
        ClusterIdentity id = cluster();
        executor.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ci, false);
        iam.createRole(b -> b.roleName("team-b-app").assumeRolePolicyDocument(Trusts.serviceAccount(id, "b", "app")));
        assertThatThrownBy(() -> executor.oidcProviders().delete(id.issuerUrl(), ci))
                .isInstanceOfSatisfying(ProviderStillTrustedException.class,
                        e -> assertThat(e.trustingRoles()).containsExactly("team-b-app"));
        assertThat(executor.oidcProviders().observe(id.issuerUrl())).isPresent();
        iam.deleteRole(b -> b.roleName("team-b-app"));
        assertThat(executor.oidcProviders().delete(id.issuerUrl(), ci)).hasSize(1);
    }

    @Test
    void providerAndRoleAreCreatedConvergedAndDestroyed() {
        ClusterIdentity id = cluster();
        OidcProviderExecutor.Result provider = executor.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ci, false);
        assertThat(provider.arn()).isEqualTo(id.providerArn());
        assertThat(provider.changes()).hasSize(1);
        assertThat(executor.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ci, false).changes()).isEmpty();

        String readOnly = managedPolicy("read-only");
        DesiredRole desired = DesiredRole.builder().name("ci-deployer").path("/irsa/").description("ci deployer")
                .trustPolicyJson(Trusts.serviceAccount(id, "ci", "deployer"))
                .putInlinePolicy("permissions", Trusts.permissions("eks:DescribeCluster"))
                .addManagedPolicyArn(readOnly).putTag("team", "platform").build();
        RoleExecutor.Result created = executor.roles().ensure(desired, ci, false);
        assertThat(created.arn()).isEqualTo("arn:aws:iam::123456789012:role/irsa/ci-deployer");
        assertThat(created.changes()).extracting(AwsChange::operation).containsExactly("CreateRole", "PutRolePolicy", "AttachRolePolicy");
        assertThat(executor.roles().ensure(desired, ci, false).changes()).as("re-apply").isEmpty();

        ObservedRole observed = executor.roles().observe("ci-deployer").orElseThrow();
        assertThat(observed.ownedBy(ci)).isTrue();
        assertThat(observed.trustPolicyJson()).startsWith("{");
        assertThat(observed.inlinePolicies()).containsOnlyKeys("permissions");
        assertThat(observed.managedPolicyArns()).containsExactly(readOnly);

        // Drift: someone edits the trust and adds a policy; one ensure repairs both.
        iam.updateAssumeRolePolicy(b -> b.roleName("ci-deployer").policyDocument(Trusts.serviceAccount(id, "ci", "other")));
        String extra = managedPolicy("extra");
        iam.attachRolePolicy(b -> b.roleName("ci-deployer").policyArn(extra));
        assertThat(executor.roles().ensure(desired, ci, false).changes()).extracting(AwsChange::operation)
                .containsExactlyInAnyOrder("UpdateAssumeRolePolicy", "DetachRolePolicy");
        assertThat(executor.roles().ensure(desired, ci, false).changes()).isEmpty();

        assertThatThrownBy(() -> executor.oidcProviders().delete(id.issuerUrl(), ci)).hasMessageContaining("ci-deployer");
        assertThat(executor.roles().delete("ci-deployer", ci)).extracting(AwsChange::operation)
                .containsExactly("DetachRolePolicy", "DeleteRolePolicy", "DeleteRole");
        assertThat(executor.roles().delete("ci-deployer", ci)).isEmpty();
        assertThat(executor.oidcProviders().delete(id.issuerUrl(), ci)).hasSize(1);
        assertThat(executor.oidcProviders().observe(id.issuerUrl())).isEmpty();
    }

    @Test
    void unownedRoleIsRefusedAndAdoptedOnlyWhenAsked() {
        ClusterIdentity id = cluster();
        executor.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ci, false);
        String trust = Trusts.serviceAccount(id, "ci", "deployer");
        iam.createRole(b -> b.roleName("legacy").assumeRolePolicyDocument(trust));
        DesiredRole desired = DesiredRole.builder().name("legacy").trustPolicyJson(trust).build();
        assertThatThrownBy(() -> executor.roles().ensure(desired, ci, false)).isInstanceOf(NotOwnedException.class);
        assertThatThrownBy(() -> executor.roles().delete("legacy", ci)).isInstanceOf(NotOwnedException.class);
        assertThat(executor.roles().ensure(desired, ci, true).changes()).extracting(AwsChange::operation).containsExactly("TagRole");
        assertThat(executor.roles().ensure(desired, ci, false).changes()).isEmpty();
    }

    @Test
    void trustQuotaIsReadFromTheAccountSummary() {
        assertThat(executor.roles().trustPolicyQuota()).isEqualTo(2048);
    }

    @Test
    void motoAcceptsAnyWebIdentityTokenWhichIsWhyFakeStsExists() {
        ClusterIdentity id = cluster();
        executor.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ci, false);
        String arn = executor.roles().ensure(DesiredRole.builder().name("r").trustPolicyJson(Trusts.serviceAccount(id, "ci", "deployer")).build(), ci, false).arn();
        // moto does not check signature, issuer or trust conditions: any string is accepted.
        var r = sts.assumeRoleWithWebIdentity(b -> b.roleArn(arn).roleSessionName("s1").webIdentityToken("not-even-a-jwt"));
        assertThat(r.credentials()).isNotNull();
        assertThat(List.of(r.assumedRoleUser().arn())).singleElement().asString().contains("assumed-role/r/s1");
    }
}

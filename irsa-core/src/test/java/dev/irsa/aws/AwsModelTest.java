package dev.irsa.aws;

import dev.irsa.ValidationException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsModelTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

    @Test
    void ownershipTagsAndChecks() {
        Ownership ci = Ownership.of("ci");
        assertThat(ci.tags()).containsExactly(Map.entry("irsa.dev/managed-by", "irsa"), Map.entry("irsa.dev/stack", "ci"));
        assertThat(ci.owns(ci.tags())).isTrue();
        assertThat(ci.owns(Map.of("irsa.dev/managed-by", "irsa", "irsa.dev/stack", "other"))).isFalse();
        assertThat(Ownership.managedByIrsa(Map.of("irsa.dev/managed-by", "irsa"))).isTrue();
        assertThatThrownBy(() -> Ownership.of("")).isInstanceOf(ValidationException.class);
    }

    @Test
    void clusterIdentityDerivesTheProviderArn() {
        ClusterIdentity id = ClusterIdentity.of("123456789012", "aws-us-gov", "https://oidc.eks.us-gov-west-1.amazonaws.com/id/ABC/");
        assertThat(id.issuerUrl()).isEqualTo("https://oidc.eks.us-gov-west-1.amazonaws.com/id/ABC");
        assertThat(id.providerArn()).isEqualTo("arn:aws-us-gov:iam::123456789012:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/ABC");
        assertThatThrownBy(() -> ClusterIdentity.of("12345", "aws", "https://x")).isInstanceOf(ValidationException.class);
    }

    @Test
    void desiredRoleIsValidatedOnBuild() {
        DesiredRole role = DesiredRole.builder().name("r").trustPolicyJson(TRUST).build();
        assertThat(role.path()).isEqualTo("/");
        assertThat(role.maxSessionDurationSeconds()).isEqualTo(3600);
        assertThatThrownBy(() -> DesiredRole.builder().name("r").trustPolicyJson(TRUST).maxSessionDurationSeconds(60).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("role.maxSessionDuration"));
        assertThatThrownBy(() -> DesiredRole.builder().name("r").trustPolicyJson(TRUST).addManagedPolicyArn("ReadOnlyAccess").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("role.managedPolicyArns"));
        assertThatThrownBy(() -> DesiredRole.builder().name("r").trustPolicyJson(TRUST).putInlinePolicy("p", "x".repeat(10241)).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).contains("10240"));
        assertThatThrownBy(() -> DesiredRole.builder().name("r").trustPolicyJson("{\"Sid\":\"\u20ac\"}").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("role.trustPolicy"));
        assertThatThrownBy(() -> DesiredRole.builder().name("r").trustPolicyJson(TRUST).putTag("aws:x", "y").build())
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void desiredProviderDefaultsToTheStsAudience() {
        assertThat(DesiredOidcProvider.forIssuer("https://gitlab.com").clientIds()).containsExactly("sts.amazonaws.com");
        assertThatThrownBy(() -> new DesiredOidcProvider("https://gitlab.com", java.util.List.of("a"), java.util.List.of("nothex")))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void clientsAreBuiltForTheRightRegionsWithoutCallingAws() {
        AwsClients clients = AwsClients.builder().region("eu-west-1").build();
        assertThat(clients.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(AwsClients.globalRegionFor(Region.CN_NORTH_1)).isEqualTo(Region.AWS_CN_GLOBAL);
        assertThat(AwsClients.globalRegionFor(Region.US_GOV_WEST_1)).isEqualTo(Region.AWS_US_GOV_GLOBAL);
        try (var iam = clients.iam(); var sts = clients.sts(); var eks = clients.eks()) {
            assertThat(iam.serviceClientConfiguration().region()).isEqualTo(Region.AWS_GLOBAL);
            assertThat(sts.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
            assertThat(eks.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
        }
        AwsClients local = AwsClients.builder().region("us-east-1").endpointOverride(URI.create("http://127.0.0.1:5000")).build();
        try (var iam = local.iam()) {
            assertThat(iam.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:5000"));
        }
        assertThatThrownBy(() -> AwsClients.builder().region("Europe").build()).isInstanceOf(ValidationException.class);
    }

    @Test
    void operationErrorsReadWell() {
        AwsOperationException e = new AwsOperationException("role r", "DeleteRole", "DeleteConflict", 409, "must detach", null);
        assertThat(e.getMessage()).isEqualTo("DeleteRole on role r failed: DeleteConflict (HTTP 409): must detach");
        assertThat(new AwsOperationException("role r", "CreateRole", "why").getMessage()).isEqualTo("CreateRole on role r failed: why");
    }
}

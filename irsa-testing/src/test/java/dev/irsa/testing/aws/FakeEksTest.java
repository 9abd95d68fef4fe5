package dev.irsa.testing.aws;

import dev.irsa.testing.oidc.FakeOidcIssuer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eks.model.InvalidParameterException;
import software.amazon.awssdk.services.eks.model.PodIdentityAssociationSummary;
import software.amazon.awssdk.services.eks.model.ResourceInUseException;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeEksTest {
    private final FakeEks eks = FakeEks.builder().region("eu-west-1").build();
    private final String role = "arn:aws:iam::123456789012:role/r";

    @Test
    void describeClusterReturnsTheIssuer() {
        try (FakeOidcIssuer issuer = FakeOidcIssuer.eks("eu-west-1")) {
            eks.addCluster("prod", issuer);
            var cluster = eks.describeCluster(b -> b.name("prod")).cluster();
            assertThat(cluster.identity().oidc().issuer()).isEqualTo(issuer.issuerUrl()).startsWith("https://oidc.eks.eu-west-1.amazonaws.com/id/");
            assertThat(cluster.arn()).isEqualTo("arn:aws:eks:eu-west-1:123456789012:cluster/prod");
            assertThatThrownBy(() -> eks.describeCluster(b -> b.name("dev"))).isInstanceOf(ResourceNotFoundException.class)
                    .satisfies(e -> assertThat(((ResourceNotFoundException) e).statusCode()).isEqualTo(404));
        }
    }

    @Test
    void clusterArnsAreInTheRegionsPartition() {
        FakeEks china = FakeEks.builder().region("cn-north-1").accountId("210987654321").build()
                .addCluster("prod", "https://oidc.eks.cn-north-1.amazonaws.com.cn/id/X");
        assertThat(china.describeCluster(b -> b.name("prod")).cluster().arn()).isEqualTo("arn:aws-cn:eks:cn-north-1:210987654321:cluster/prod");
        FakeEks govCloud = FakeEks.builder().region("us-gov-west-1").build().addCluster("prod", "https://oidc.eks.us-gov-west-1.amazonaws.com/id/X");
        assertThat(govCloud.describeCluster(b -> b.name("prod")).cluster().arn()).startsWith("arn:aws-us-gov:eks:us-gov-west-1:");
    }

    @Test
    void podIdentityAssociationsBehaveLikeEks() {
        eks.addCluster("prod", "https://oidc.eks.eu-west-1.amazonaws.com/id/X");
        var created = eks.createPodIdentityAssociation(b -> b.clusterName("prod").namespace("ci").serviceAccount("runner").roleArn(role)).association();
        assertThat(created.associationId()).startsWith("a-");
        assertThatThrownBy(() -> eks.createPodIdentityAssociation(b -> b.clusterName("prod").namespace("ci").serviceAccount("runner").roleArn(role)))
                .isInstanceOf(ResourceInUseException.class).satisfies(e -> assertThat(((ResourceInUseException) e).statusCode()).isEqualTo(409));
        assertThatThrownBy(() -> eks.createPodIdentityAssociation(b -> b.clusterName("prod").namespace("ci").serviceAccount("x").roleArn("nope")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> eks.createPodIdentityAssociation(b -> b.clusterName("missing").namespace("ci").serviceAccount("x").roleArn(role)))
                .isInstanceOf(ResourceNotFoundException.class);
        for (int i = 0; i < 4; i++) {
            int n = i;
            eks.createPodIdentityAssociation(b -> b.clusterName("prod").namespace("ci").serviceAccount("sa" + n).roleArn(role));
        }
        assertThat(eks.listPodIdentityAssociationsPaginator(b -> b.clusterName("prod").maxResults(2)).associations().stream()
                .map(PodIdentityAssociationSummary::serviceAccount)).hasSize(5);
        assertThat(eks.listPodIdentityAssociations(b -> b.clusterName("prod").serviceAccount("runner")).associations()).hasSize(1);

        String other = "arn:aws:iam::123456789012:role/other";
        eks.updatePodIdentityAssociation(b -> b.clusterName("prod").associationId(created.associationId()).roleArn(other));
        assertThat(eks.describePodIdentityAssociation(b -> b.clusterName("prod").associationId(created.associationId())).association().roleArn())
                .isEqualTo(other);
        eks.deletePodIdentityAssociation(b -> b.clusterName("prod").associationId(created.associationId()));
        assertThatThrownBy(() -> eks.describePodIdentityAssociation(b -> b.clusterName("prod").associationId(created.associationId())))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> eks.deletePodIdentityAssociation(b -> b.clusterName("prod").associationId(created.associationId())))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(eks.calls().count("CreatePodIdentityAssociation")).isEqualTo(8);
    }

    @Test
    void throttlingOnEksIs429ThrottlingException() {
        eks.faults().throttle("DescribeCluster", 1);
        assertThatThrownBy(() -> eks.describeCluster(b -> b.name("x")))
                .isInstanceOf(software.amazon.awssdk.services.eks.model.ThrottlingException.class)
                .satisfies(e -> assertThat(((software.amazon.awssdk.services.eks.model.ThrottlingException) e).isThrottlingException()).isTrue());
    }
}

package dev.irsa.aws;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.DescribeClusterRequest;
import software.amazon.awssdk.services.eks.model.DescribeClusterResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.iam.IamClient;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ClusterIdentityExecutor#ofCluster} takes account and partition from the cluster ARN of one
 * DescribeCluster answer (no STS call) and refuses an answer whose ARN it cannot read. The clients are
 * minimal SDK client implementations answering exactly what a test gives them.
 */
class ClusterIdentityExecutorTest {
    private static final String CN_ISSUER = "https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABCDEF0123";
    private static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123";

    private final AtomicInteger describeCalls = new AtomicInteger();
    private final AtomicInteger callerIdentityCalls = new AtomicInteger();

    private ClusterIdentityExecutor executor(String clusterArn, String issuer) {
        EksClient eks = new EksClient() {
            @Override
            public DescribeClusterResponse describeCluster(DescribeClusterRequest request) {
                describeCalls.incrementAndGet();
                return DescribeClusterResponse.builder().cluster(Cluster.builder().name(request.name()).arn(clusterArn)
                        .identity(i -> i.oidc(o -> o.issuer(issuer))).build()).build();
            }

            @Override
            public String serviceName() {
                return "eks";
            }

            @Override
            public void close() {
            }
        };
        StsClient sts = new StsClient() {
            @Override
            public GetCallerIdentityResponse getCallerIdentity(GetCallerIdentityRequest request) {
                callerIdentityCalls.incrementAndGet();
                return GetCallerIdentityResponse.builder().account("999999999999").arn("arn:aws:iam::999999999999:user/other").build();
            }

            @Override
            public String serviceName() {
                return "sts";
            }

            @Override
            public void close() {
            }
        };
        IamClient iam = new IamClient() {
            @Override
            public String serviceName() {
                return "iam";
            }

            @Override
            public void close() {
            }
        };
        return AwsExecutor.builder().iam(iam).sts(sts).eks(eks).build().identity();
    }

    @Test
    void accountAndPartitionComeFromTheClusterArnWithoutSts() {
        ClusterIdentity id = executor("arn:aws:eks:eu-west-1:111122223333:cluster/prod", ISSUER).ofCluster("prod");

        assertThat(id.accountId()).isEqualTo("111122223333");
        assertThat(id.partition()).isEqualTo("aws");
        assertThat(id.issuerUrl()).isEqualTo(ISSUER);
        assertThat(describeCalls).hasValue(1);
        assertThat(callerIdentityCalls).hasValue(0);
    }

    @Test
    void aChinaClusterIsInTheAwsCnPartition() {
        ClusterIdentity id = executor("arn:aws-cn:eks:cn-north-1:210987654321:cluster/prod", CN_ISSUER).ofCluster("prod");

        assertThat(id.partition()).isEqualTo("aws-cn");
        assertThat(id.accountId()).isEqualTo("210987654321");
        assertThat(id.providerArn()).isEqualTo("arn:aws-cn:iam::210987654321:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABCDEF0123");
        assertThat(callerIdentityCalls).hasValue(0);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "not-an-arn", "arn:aws:eks:eu-west-1:1234:cluster/prod", "arn:aws:iam::111122223333:role/prod",
            "arn:aws:eks:eu-west-1:111122223333:nodegroup/prod", "arn:aws:eks::111122223333:cluster/prod",
            "arn:nope:eks:eu-west-1:111122223333:cluster/prod"})
    void anUnreadableClusterArnIsAClearError(String arn) {
        assertThatThrownBy(() -> executor(arn, ISSUER).ofCluster("prod"))
                .isInstanceOfSatisfying(AwsOperationException.class, e -> {
                    assertThat(e.operation()).isEqualTo("DescribeCluster");
                    assertThat(e.resource()).isEqualTo("cluster prod");
                    assertThat(e.getMessage()).contains("arn:<partition>:eks:<region>:<account>:cluster/<name>");
                    assertThat(e.getMessage()).contains(arn == null || arn.isEmpty() ? "carries no cluster ARN" : "is malformed");
                });
        assertThat(callerIdentityCalls).hasValue(0);
    }

    @Test
    void anArnOfAnotherClusterIsRefused() {
        assertThatThrownBy(() -> executor("arn:aws:eks:eu-west-1:111122223333:cluster/staging", ISSUER).ofCluster("prod"))
                .isInstanceOfSatisfying(AwsOperationException.class,
                        e -> assertThat(e.getMessage()).contains("names another cluster"));
    }

    @Test
    void withoutAClusterStsStillGivesTheAccount() {
        ClusterIdentity id = executor("arn:aws:eks:eu-west-1:111122223333:cluster/prod", ISSUER).ofIssuer(ISSUER);
        assertThat(id.accountId()).isEqualTo("999999999999");
        assertThat(callerIdentityCalls).hasValue(1);
        assertThat(describeCalls).hasValue(0);
    }
}

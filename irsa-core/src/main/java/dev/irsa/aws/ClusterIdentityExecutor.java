package dev.irsa.aws;

import dev.irsa.aws.internal.AwsCalls;
import dev.irsa.validation.Validators;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.util.Objects;

/**
 * Reads who and where we are: STS {@code GetCallerIdentity} gives the account and partition, EKS
 * {@code DescribeCluster} the cluster's OIDC issuer. Read-only.
 */
public final class ClusterIdentityExecutor {
    private final EksClient eks;
    private final StsClient sts;
    private final AwsCalls calls;

    ClusterIdentityExecutor(EksClient eks, StsClient sts, AwsCalls calls) {
        this.eks = eks;
        this.sts = Objects.requireNonNull(sts, "sts");
        this.calls = calls;
    }

    /** Account id and partition of the caller (partition from the caller ARN, e.g. {@code arn:aws-cn:...}). */
    public CallerIdentity callerIdentity() {
        GetCallerIdentityResponse r = calls.call("caller identity", "GetCallerIdentity", () -> sts.getCallerIdentity(b -> { }));
        String arn = r.arn();
        String partition = arn.split(":", 3)[1];
        return new CallerIdentity(r.account(), partition, arn);
    }

    /** The named cluster's identity: its issuer from EKS, account and partition from STS. */
    public ClusterIdentity ofCluster(String clusterName) {
        Validators.eksClusterName("cluster.name", clusterName);
        if (eks == null) {
            throw new IllegalStateException("no EKS client configured; use ofIssuer(issuerUrl)");
        }
        Cluster cluster = calls.call("cluster " + clusterName, "DescribeCluster", () -> eks.describeCluster(b -> b.name(clusterName))).cluster();
        String issuer = cluster.identity() == null || cluster.identity().oidc() == null ? null : cluster.identity().oidc().issuer();
        if (issuer == null || issuer.isBlank()) {
            throw new AwsOperationException("cluster " + clusterName, "DescribeCluster",
                    "the cluster has no OIDC issuer (identity.oidc.issuer is empty); is it an EKS cluster with IAM roles for service accounts support?");
        }
        CallerIdentity caller = callerIdentity();
        return new ClusterIdentity(caller.accountId(), caller.partition(), issuer);
    }

    /** An issuer given directly (no EKS call), with the account and partition from STS. */
    public ClusterIdentity ofIssuer(String issuerUrl) {
        String issuer = Validators.issuerUrl("cluster.issuerUrl", issuerUrl);
        CallerIdentity caller = callerIdentity();
        return new ClusterIdentity(caller.accountId(), caller.partition(), issuer);
    }

    /** The caller as STS reports it. */
    public record CallerIdentity(String accountId, String partition, String arn) {
    }
}

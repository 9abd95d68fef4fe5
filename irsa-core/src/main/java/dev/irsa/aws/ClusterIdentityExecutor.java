package dev.irsa.aws;

import dev.irsa.ValidationException;
import dev.irsa.aws.internal.AwsCalls;
import dev.irsa.validation.Validators;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.util.Objects;

/**
 * Reads who and where we are. For a named cluster one EKS {@code DescribeCluster} is enough: it gives the
 * OIDC issuer, and the cluster ARN ({@code arn:<partition>:eks:<region>:<account>:cluster/<name>}) the
 * account and partition (DescribeCluster only sees the caller's own account's clusters, so that account
 * is the caller's). Without a cluster, STS {@code GetCallerIdentity} gives account and partition.
 * Read-only.
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

    /**
     * The named cluster's identity from one EKS {@code DescribeCluster}: the issuer from
     * {@code identity.oidc.issuer}, account and partition from the cluster ARN (no STS call).
     *
     * @throws AwsOperationException when the call fails, or the response lacks the issuer or a well-formed
     *                               ARN of this cluster
     */
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
        String[] arn = clusterArn(clusterName, cluster.arn());
        return new ClusterIdentity(arn[4], arn[1], issuer);
    }

    /** The cluster ARN split in its six parts, checked to be an EKS cluster ARN naming {@code clusterName}. */
    private static String[] clusterArn(String clusterName, String arn) {
        String problem;
        if (arn == null || arn.isBlank()) {
            problem = "the response carries no cluster ARN";
        } else {
            try {
                Validators.eksClusterArn("cluster.arn", arn);
                String[] parts = arn.split(":", 6);
                if (parts[5].equals("cluster/" + clusterName)) {
                    return parts;
                }
                problem = "the cluster ARN '" + arn + "' names another cluster";
            } catch (ValidationException e) {
                problem = "the cluster ARN '" + arn + "' is malformed: " + e.rule();
            }
        }
        throw new AwsOperationException("cluster " + clusterName, "DescribeCluster",
                problem + "; irsa reads the account and partition from arn:<partition>:eks:<region>:<account>:cluster/<name>");
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

package dev.irsa.binding;

import dev.irsa.validation.Validators;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the service account lives: an EKS cluster looked up by name (one EKS {@code DescribeCluster}: the
 * issuer, and the account and partition from the cluster ARN), or an issuer given directly with its
 * account and partition (no lookup; also for non-EKS clusters with a public issuer).
 *
 * <pre>{@code
 * ClusterRef.eks("devops", "eu-west-1");
 * ClusterRef.issuer("https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", "111122223333");
 * }</pre>
 */
public record ClusterRef(Optional<String> clusterName, Optional<String> region, Optional<String> issuerUrl,
                         Optional<String> accountId, String partition) {
    public ClusterRef {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(issuerUrl, "issuerUrl");
        Objects.requireNonNull(accountId, "accountId");
        partition = partition == null ? "aws" : partition;
        clusterName.ifPresent(n -> Validators.eksClusterName("cluster.name", n));
        region.ifPresent(r -> Validators.region("cluster.region", r));
        issuerUrl.ifPresent(u -> Validators.issuerUrl("cluster.issuerUrl", u));
        accountId.ifPresent(a -> Validators.accountId("cluster.accountId", a));
        Validators.partition("cluster.partition", partition);
        if (clusterName.isEmpty() && issuerUrl.isEmpty()) {
            throw new dev.irsa.ValidationException("cluster", null, "give an EKS cluster name or an issuer URL");
        }
        if (issuerUrl.isPresent() && accountId.isEmpty()) {
            throw new dev.irsa.ValidationException("cluster.accountId", null, "an issuer given directly needs the account id");
        }
    }

    /** An EKS cluster by name; issuer and account are looked up when planning. */
    public static ClusterRef eks(String clusterName, String region) {
        return new ClusterRef(Optional.of(clusterName), Optional.of(region), Optional.empty(), Optional.empty(), "aws");
    }

    /**
     * An issuer with its account; no lookup. The partition follows from an EKS issuer's host
     * ({@code …amazonaws.com.cn} is {@code aws-cn}, {@code us-gov-*} regions {@code aws-us-gov}); any other
     * issuer is in {@code aws} (use {@link #issuer(String, String, String)} to say otherwise).
     */
    public static ClusterRef issuer(String issuerUrl, String accountId) {
        String url = Validators.issuerUrl("cluster.issuerUrl", issuerUrl);
        String host = url.substring("https://".length()).split("/", 2)[0];
        String partition = Validators.eksIssuerPartition(host);
        return issuer(url, accountId, partition == null ? "aws" : partition);
    }

    /** An issuer with its account and partition; no lookup. */
    public static ClusterRef issuer(String issuerUrl, String accountId, String partition) {
        return new ClusterRef(Optional.empty(), Optional.empty(), Optional.of(issuerUrl), Optional.of(accountId), partition);
    }

    /** An EKS cluster whose issuer and account are known (no lookup; pod identity still needs the name). */
    public static ClusterRef eks(String clusterName, String region, String issuerUrl, String accountId, String partition) {
        return new ClusterRef(Optional.of(clusterName), Optional.of(region), Optional.of(issuerUrl), Optional.of(accountId), partition);
    }

    /** True when {@link #issuerUrl()} and {@link #accountId()} are given, so nothing needs to be looked up. */
    public boolean resolved() {
        return issuerUrl.isPresent() && accountId.isPresent();
    }
}

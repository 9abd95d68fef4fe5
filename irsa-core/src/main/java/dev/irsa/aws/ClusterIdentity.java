package dev.irsa.aws;

import dev.irsa.validation.Validators;

/**
 * Where a cluster's service-account tokens come from and which IAM OIDC provider must trust them.
 *
 * <pre>{@code
 * ClusterIdentity id = ClusterIdentity.of("123456789012", "aws", "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC");
 * id.providerArn();   // arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC
 * id.issuerHostPath(); // oidc.eks.eu-west-1.amazonaws.com/id/ABC (the prefix of trust condition keys)
 * }</pre>
 */
public record ClusterIdentity(String accountId, String partition, String issuerUrl) {
    public ClusterIdentity {
        Validators.accountId("aws.accountId", accountId);
        Validators.partition("aws.partition", partition);
        issuerUrl = Validators.issuerUrl("cluster.issuerUrl", issuerUrl);
    }

    public static ClusterIdentity of(String accountId, String partition, String issuerUrl) {
        return new ClusterIdentity(accountId, partition, issuerUrl);
    }

    /** The issuer without {@code https://}: the way IAM names the provider and prefixes condition keys. */
    public String issuerHostPath() {
        return issuerUrl.substring("https://".length());
    }

    public String providerArn() {
        return "arn:" + partition + ":iam::" + accountId + ":oidc-provider/" + issuerHostPath();
    }
}

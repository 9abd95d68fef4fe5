package dev.irsa.policy;

import dev.irsa.ValidationException;
import dev.irsa.validation.Validators;

import java.util.Objects;

/**
 * An IAM OpenID Connect identity provider: the issuer a web-identity token comes from (an EKS
 * cluster's issuer, {@code https://gitlab.com} or a self-managed GitLab) registered in one account of
 * one partition. Its {@link #hostPath()} is both the tail of the provider ARN and the prefix of the
 * condition keys ({@code <hostPath>:sub}, {@code <hostPath>:aud}).
 *
 * <pre>{@code
 * OidcProvider p = OidcProvider.of(
 *         "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", "111122223333", "aws");
 * p.arn();        // "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
 * p.hostPath();   // "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
 * p.conditionKey("sub");   // "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"
 *
 * OidcProvider same = OidcProvider.fromArn(p.arn());   // equal to p
 * }</pre>
 *
 * <p>Both factories validate: https only, no port, query, fragment or user info, at most 255
 * characters, a 12-digit account, a known partition, and an EKS issuer host that matches the
 * partition ({@code .amazonaws.com.cn} is {@code aws-cn}, {@code us-gov-*} is {@code aws-us-gov}).
 */
public final class OidcProvider {
    private final String hostPath;
    private final String accountId;
    private final String partition;

    private OidcProvider(String hostPath, String accountId, String partition) {
        this.hostPath = hostPath;
        this.accountId = accountId;
        this.partition = partition;
    }

    /**
     * The provider for {@code issuerUrl} (e.g. an EKS cluster's {@code identity.oidc.issuer}) in an
     * account and partition. A trailing {@code /} is dropped, as IAM does.
     *
     * @throws ValidationException naming the field ({@code oidcProvider.issuerUrl}, {@code .accountId},
     *                             {@code .partition}), the value and the rule
     */
    public static OidcProvider of(String issuerUrl, String accountId, String partition) {
        String url = Validators.issuerUrl("oidcProvider.issuerUrl", issuerUrl);
        Validators.accountId("oidcProvider.accountId", accountId);
        Validators.partition("oidcProvider.partition", partition);
        String hostPath = url.substring("https://".length());
        Validators.hostPath("oidcProvider.issuerUrl", issuerUrl, hostPath);
        checkPartition("oidcProvider.partition", partition, hostPath);
        return new OidcProvider(hostPath, accountId, partition);
    }

    /**
     * The provider an ARN names, e.g. from {@code ListOpenIDConnectProviders} or a trust policy's
     * {@code Federated} principal.
     *
     * @throws ValidationException (field {@code oidcProvider.arn}) for a malformed ARN, another
     *                             service, a region, a bad account or a partition the host does not belong to
     */
    public static OidcProvider fromArn(String providerArn) {
        Validators.oidcProviderArn("oidcProvider.arn", providerArn);
        String[] parts = providerArn.split(":", 6);
        String hostPath = parts[5].substring("oidc-provider/".length());
        checkPartition("oidcProvider.arn", parts[1], hostPath);
        return new OidcProvider(hostPath, parts[4], parts[1]);
    }

    private static void checkPartition(String field, String partition, String hostPath) {
        int slash = hostPath.indexOf('/');
        String host = slash < 0 ? hostPath : hostPath.substring(0, slash);
        String expected = Validators.eksIssuerPartition(host);
        if (expected != null && !expected.equals(partition)) {
            throw new ValidationException(field, partition, "the EKS issuer " + host + " belongs to partition '" + expected
                    + "', not '" + partition + "'");
        }
    }

    /** {@code arn:<partition>:iam::<account>:oidc-provider/<hostPath>}. */
    public String arn() {
        return "arn:" + partition + ":iam::" + accountId + ":oidc-provider/" + hostPath;
    }

    /** {@code https://<hostPath>}: the {@code iss} claim of tokens from this provider. */
    public String issuerUrl() {
        return "https://" + hostPath;
    }

    /** The issuer URL without {@code https://}; the prefix of this provider's condition keys. */
    public String hostPath() {
        return hostPath;
    }

    /** The 12-digit account the provider is registered in. */
    public String accountId() {
        return accountId;
    }

    /** The partition of the provider ARN ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...). */
    public String partition() {
        return partition;
    }

    /** {@code <hostPath>:<claim>}, the IAM condition key for a token claim ({@code sub}, {@code aud}, {@code amr}). */
    public String conditionKey(String claim) {
        return hostPath + ":" + Validators.notBlank("claim", claim);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OidcProvider other && hostPath.equals(other.hostPath) && accountId.equals(other.accountId)
                && partition.equals(other.partition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hostPath, accountId, partition);
    }

    @Override
    public String toString() {
        return arn();
    }
}

package dev.irsa.aws;

import java.util.List;

/**
 * An OIDC provider was not deleted because roles still trust it: irsa's (e.g. the roles of another
 * environment sharing the cluster's provider) or anyone else's (deleting the provider would break their web
 * identity). Nothing was deleted; delete or change those roles first, or keep it.
 */
public class ProviderStillTrustedException extends AwsOperationException {
    private static final long serialVersionUID = 1L;

    private final List<String> trustingRoles;

    public ProviderStillTrustedException(String resource, List<String> trustingRoles) {
        super(resource, "DeleteOpenIDConnectProvider",
                "still trusted by roles " + trustingRoles + " (irsa's or not); kept: delete or change those roles first");
        this.trustingRoles = List.copyOf(trustingRoles);
    }

    /** The roles (irsa's or not) whose trust names the provider. */
    public List<String> trustingRoles() {
        return trustingRoles;
    }
}

package dev.irsa.aws;

import java.util.List;

/**
 * An OIDC provider was not deleted because irsa-owned roles still trust it (e.g. the roles of another
 * environment sharing the cluster's provider). Nothing was deleted; delete those roles first, or keep it.
 */
public class ProviderStillTrustedException extends AwsOperationException {
    private static final long serialVersionUID = 1L;

    private final List<String> trustingRoles;

    public ProviderStillTrustedException(String resource, List<String> trustingRoles) {
        super(resource, "DeleteOpenIDConnectProvider",
                "still trusted by irsa-owned roles " + trustingRoles + "; delete those roles first");
        this.trustingRoles = List.copyOf(trustingRoles);
    }

    /** The irsa-owned roles whose trust names the provider. */
    public List<String> trustingRoles() {
        return trustingRoles;
    }
}

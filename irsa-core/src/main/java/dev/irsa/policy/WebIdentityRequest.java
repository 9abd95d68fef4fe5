package dev.irsa.policy;

import java.util.Map;

/** PLACEHOLDER (replaced on merge by the policy helper's version): a web-identity assume-role request. */
public record WebIdentityRequest(String providerArn, Map<String, Object> claims) {
}

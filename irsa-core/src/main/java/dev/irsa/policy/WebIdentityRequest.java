package dev.irsa.policy;

import dev.irsa.ValidationException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@code sts:AssumeRoleWithWebIdentity} call as the trust policy sees it: the IAM OIDC provider the
 * token was issued by and the token's claims exactly as in the JWT ({@code iss}, {@code sub} strings,
 * {@code aud} a string or a list of strings, any other claim). The token itself never appears here,
 * so nothing secret is held.
 *
 * <pre>{@code
 * WebIdentityRequest request = new WebIdentityRequest(
 *         "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
 *         Map.of("iss", "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
 *                "sub", "system:serviceaccount:dev:app-deployer",
 *                "aud", List.of("sts.amazonaws.com")));
 * }</pre>
 */
public record WebIdentityRequest(String providerArn, Map<String, Object> claims) {
    public WebIdentityRequest {
        OidcProvider.fromArn(providerArn);
        if (claims == null) {
            throw new ValidationException("webIdentityRequest.claims", null, "the token's claims are required");
        }
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }

    /** A request for an IRSA service-account token ({@code aud} {@value TrustPolicy#STS_AUDIENCE}). */
    public static WebIdentityRequest serviceAccountToken(OidcProvider provider, ServiceAccountRef serviceAccount) {
        return new WebIdentityRequest(provider.arn(), Map.of(
                "iss", provider.issuerUrl(), "sub", serviceAccount.subject(), "aud", TrustPolicy.STS_AUDIENCE));
    }

    /** A request for a GitLab CI {@code id_token}. */
    public static WebIdentityRequest gitLabJobToken(OidcProvider provider, String audience, String projectPath,
                                                    GitLabSubject.RefType refType, String ref) {
        GitLabSubject subject = refType == GitLabSubject.RefType.TAG ? GitLabSubject.tag(projectPath, ref) : GitLabSubject.branch(projectPath, ref);
        return new WebIdentityRequest(provider.arn(), Map.of(
                "iss", provider.issuerUrl(), "sub", subject.sub(), "aud", audience,
                "project_path", projectPath, "ref_type", refType.claimValue(), "ref", ref));
    }
}

/**
 * The policy model: trust policies for the three identity modes (IRSA, EKS Pod Identity, GitLab OIDC),
 * permissions policies, a linter with stable finding ids, and an offline evaluator of
 * {@code sts:AssumeRoleWithWebIdentity}. Everything here is pure (no I/O) and immutable; JSON is
 * written and read by AWS SDK v2 iam-policy-builder.
 *
 * <p>The walkthrough in four lines (render, lint, evaluate):
 * <pre>{@code
 * OidcProvider cluster = OidcProvider.of(
 *         "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", "111122223333", "aws");
 * TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(cluster).serviceAccount("dev", "app-deployer"));
 * PolicyLinter.lintTrust(trust).throwIfErrors();                      // clean
 * TrustEvaluator.evaluate(trust, WebIdentityRequest.serviceAccountToken(
 *         cluster, new ServiceAccountRef("dev", "app-deployer"))).allowed();   // true
 * }</pre>
 *
 * <p>Entry points: {@link dev.irsa.policy.TrustPolicy}, {@link dev.irsa.policy.PermissionsPolicy},
 * {@link dev.irsa.policy.OidcProvider}, {@link dev.irsa.policy.ServiceAccountRef},
 * {@link dev.irsa.policy.GitLabSubject}, {@link dev.irsa.policy.PolicyLinter},
 * {@link dev.irsa.policy.TrustEvaluator}. Bad input raises {@link dev.irsa.ValidationException} naming the
 * field, the value and the rule; unaccepted ERROR findings raise {@link dev.irsa.lint.LintException}.
 */
package dev.irsa.policy;

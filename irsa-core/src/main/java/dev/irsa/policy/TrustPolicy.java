package dev.irsa.policy;

import dev.irsa.ValidationException;
import dev.irsa.policy.internal.DefaultTrustPolicy;
import dev.irsa.policy.internal.DefaultTrustPolicyBuilder;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * A role's trust policy (assume-role policy document) for one of the three identity modes irsa
 * binds: IRSA (an EKS cluster's OIDC provider admits service accounts), EKS Pod Identity (the
 * {@code pods.eks.amazonaws.com} service) and GitLab OIDC (GitLab CI {@code id_tokens}). Immutable;
 * JSON is written and read by iam-policy-builder's {@link IamPolicy}.
 *
 * <p><b>IRSA</b>: the walkthrough's trust, {@code dev/app-deployer} on one cluster:
 * <pre>{@code
 * OidcProvider cluster = OidcProvider.of(
 *         "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", "111122223333", "aws");
 * TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(cluster).serviceAccount("dev", "app-deployer"));
 * System.out.println(trust.toJson(true));
 * // {
 * //   "Version" : "2012-10-17",
 * //   "Statement" : [ {
 * //     "Effect" : "Allow",
 * //     "Principal" : {
 * //       "Federated" : "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
 * //     },
 * //     "Action" : "sts:AssumeRoleWithWebIdentity",
 * //     "Condition" : {
 * //       "StringEquals" : {
 * //         "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub" : "system:serviceaccount:dev:app-deployer",
 * //         "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud" : "sts.amazonaws.com"
 * //       }
 * //     }
 * //   } ]
 * // }
 * }</pre>
 * Several service accounts become one {@code StringEquals} list; several clusters one statement each;
 * wildcards only through {@link IrsaBuilder#serviceAccountPattern}, rendered with {@code StringLike}:
 * <pre>{@code
 * TrustPolicy.builder()
 *         .addIrsa(b -> b.provider(cluster).serviceAccount("dev", "app-deployer").serviceAccount("dev", "reader"))
 *         .addIrsa(b -> b.provider(otherCluster).serviceAccountPattern("ci", "runner-*"))
 *         .build();
 * }</pre>
 *
 * <p><b>EKS Pod Identity</b>:
 * <pre>{@code
 * TrustPolicy.podIdentity(b -> b.sourceAccount("111122223333")
 *                               .sourceArn("arn:aws:eks:eu-west-1:111122223333:cluster/devops"));
 * // Principal {"Service": "pods.eks.amazonaws.com"}, Action ["sts:AssumeRole", "sts:TagSession"],
 * // Condition {"StringEquals": {"aws:SourceAccount": ...}, "ArnEquals": {"aws:SourceArn": ...}}
 * }</pre>
 *
 * <p><b>GitLab OIDC</b> (gitlab.com or a self-managed instance):
 * <pre>{@code
 * OidcProvider gitlab = OidcProvider.of("https://gitlab.example.com", "111122223333", "aws");
 * TrustPolicy.gitLabOidc(b -> b.provider(gitlab)
 *                              .audience("https://gitlab.example.com")
 *                              .branch("platform/deployer", "main")
 *                              .subject(GitLabSubject.tagPattern("platform/deployer", "v*")));
 * // StringEquals gitlab.example.com:aud; StringLike gitlab.example.com:sub [
 * //   "project_path:platform/deployer:ref_type:branch:ref:main",
 * //   "project_path:platform/deployer:ref_type:tag:ref:v*" ]
 * }</pre>
 *
 * <p><b>Reading</b> what IAM returns (URL-encoded or plain); {@code toJson()} gives back the same
 * JSON (equal as a tree):
 * <pre>{@code
 * TrustPolicy live = TrustPolicy.fromJson(getRoleResponse.role().assumeRolePolicyDocument());
 * live.federatedPrincipals();   // ["arn:aws:iam::111122223333:oidc-provider/..."]
 * }</pre>
 *
 * <p>Every builder and {@link #fromJson} validates and throws {@link ValidationException} naming the
 * field, the value and the rule; a built policy larger than the trust size quota (2048 characters not
 * counting whitespace by default, see {@link Builder#sizeQuota}) is rejected. Security rules are
 * checked by {@link PolicyLinter#lintTrust}, and decisions by {@link TrustEvaluator}.
 */
public interface TrustPolicy {
    /** The audience EKS projected service-account tokens carry for IRSA. */
    String STS_AUDIENCE = "sts.amazonaws.com";
    /** The only action a web-identity (IRSA, GitLab OIDC) trust grants. */
    String ASSUME_ROLE_WITH_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity";
    /** The service principal of EKS Pod Identity. */
    String POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com";
    /** IAM's default trust policy size quota (L-C07B4B0D), characters not counting whitespace. */
    int DEFAULT_SIZE_QUOTA = 2048;

    /**
     * Parses a trust policy as IAM returns it (URL-encoded or plain JSON). Checks structure (only
     * known elements, Effect Allow/Deny, a Principal and an Action per statement, no Resource) and
     * characters; security findings are the linter's job.
     *
     * @throws ValidationException (field {@code trustPolicy...}) for anything IAM would reject or
     *                             iam-policy-builder would silently drop
     */
    static TrustPolicy fromJson(String json) {
        return DefaultTrustPolicy.fromJson(json);
    }

    /**
     * A trust policy from an iam-policy-builder model (written with {@code "Statement"} as a list),
     * validated like {@link #fromJson}.
     */
    static TrustPolicy fromIamPolicy(IamPolicy policy) {
        return DefaultTrustPolicy.fromIamPolicy(policy);
    }

    /** A builder for a trust with any mix of IRSA, Pod Identity and GitLab statements. */
    static Builder builder() {
        return new DefaultTrustPolicyBuilder();
    }

    /** An IRSA trust for one or more providers (one statement each) and service accounts. */
    static TrustPolicy irsa(Consumer<IrsaBuilder> statement) {
        return builder().addIrsa(statement).build();
    }

    /** An EKS Pod Identity trust. */
    static TrustPolicy podIdentity(Consumer<PodIdentityBuilder> statement) {
        return builder().addPodIdentity(statement).build();
    }

    /** A GitLab OIDC trust. */
    static TrustPolicy gitLabOidc(Consumer<GitLabOidcBuilder> statement) {
        return builder().addGitLabOidc(statement).build();
    }

    /** Compact JSON, {@code "Statement"} as a list (as IAM and the walkthrough write it). */
    String toJson();

    /** JSON, pretty-printed by {@link software.amazon.awssdk.policybuilder.iam.IamPolicyWriter} when {@code pretty}. */
    String toJson(boolean pretty);

    /** The iam-policy-builder model of this policy. */
    IamPolicy toIamPolicy();

    /** The {@code Federated} principals (OIDC provider ARNs) of the Allow statements, in order, without duplicates. */
    List<String> federatedPrincipals();

    /**
     * Whether both policies mean the same to IAM: equal up to the order of statements and of values,
     * single value vs. one-element list, the case of action names and condition keys, and a missing
     * Version. Use it to decide whether a live trust needs an update ({@link #equals} is exact).
     *
     * <pre>{@code
     * TrustPolicy live = TrustPolicy.fromJson(role.assumeRolePolicyDocument());
     * boolean upToDate = live.equivalentTo(desired);
     * }</pre>
     */
    boolean equivalentTo(TrustPolicy other);

    /** The size IAM counts against the trust quota: characters of {@link #toJson()} that are not whitespace. */
    int size();

    /**
     * Whether wildcard subjects were requested through the explicit pattern API
     * ({@link IrsaBuilder#serviceAccountPattern}, {@link GitLabSubject#branchPattern} ...). The linter
     * treats that as the opt-in for wildcard subjects. Always {@code false} for {@link #fromJson}.
     */
    boolean wildcardSubjectsRequested();

    /** Builds a {@link TrustPolicy} from statements for the three modes; see {@link TrustPolicy} for examples. */
    interface Builder {
        /** Adds one IRSA statement per provider configured in {@code statement}. */
        Builder addIrsa(Consumer<IrsaBuilder> statement);

        Builder addPodIdentity(Consumer<PodIdentityBuilder> statement);

        Builder addGitLabOidc(Consumer<GitLabOidcBuilder> statement);

        /**
         * Adds a hand-made statement (e.g. an explicit Deny). It is validated like {@link #fromJson}
         * input; its security is the linter's job.
         */
        Builder addStatement(IamStatement statement);

        /** The trust size quota to enforce (default {@value TrustPolicy#DEFAULT_SIZE_QUOTA}); pass the account's raised quota. */
        Builder sizeQuota(int maxCharactersWithoutWhitespace);

        /** @throws ValidationException for invalid parts, no statement, or a policy over the size quota */
        TrustPolicy build();
    }

    /** One IRSA statement per provider: {@code sts:AssumeRoleWithWebIdentity} for the given service accounts. */
    interface IrsaBuilder {
        /** The cluster's OIDC provider. Replaces earlier providers. */
        IrsaBuilder provider(OidcProvider provider);

        /** The cluster's OIDC provider by ARN. Replaces earlier providers. */
        IrsaBuilder providerArn(String providerArn);

        /** Another cluster admitting the same service accounts (one more statement). */
        IrsaBuilder addProvider(OidcProvider provider);

        IrsaBuilder serviceAccount(String namespace, String name);

        IrsaBuilder serviceAccount(ServiceAccountRef serviceAccount);

        IrsaBuilder serviceAccounts(Collection<ServiceAccountRef> serviceAccounts);

        /**
         * The explicit opt-in for wildcard subjects: {@code system:serviceaccount:<namespace>:<namePattern>}
         * with IAM StringLike wildcards {@code *} and {@code ?} in the name. The namespace must be exact: any
         * {@code *} or {@code ?} in it (even {@code ?*} or {@code de?}) could match other namespaces, so it is
         * refused with a ValidationException. All subjects of the statement then render under
         * {@code StringLike} (exact ones match only themselves there).
         */
        IrsaBuilder serviceAccountPattern(String namespacePattern, String namePattern);

        /** The token audience; default {@value TrustPolicy#STS_AUDIENCE}. */
        IrsaBuilder audience(String audience);

        /** Optional statement id (letters and digits). */
        IrsaBuilder sid(String sid);
    }

    /** The EKS Pod Identity statement: {@code sts:AssumeRole} + {@code sts:TagSession} for {@code pods.eks.amazonaws.com}. */
    interface PodIdentityBuilder {
        /** Pins {@code aws:SourceAccount} (recommended; the linter warns without it). */
        PodIdentityBuilder sourceAccount(String accountId);

        /** Pins {@code aws:SourceArn} to an EKS cluster ARN ({@code ArnEquals}). */
        PodIdentityBuilder sourceArn(String clusterArn);

        PodIdentityBuilder sid(String sid);
    }

    /** The GitLab OIDC statement: {@code sts:AssumeRoleWithWebIdentity} for CI jobs of given projects and refs. */
    interface GitLabOidcBuilder {
        /** The GitLab instance's IAM OIDC provider ({@code https://gitlab.com} or self-managed). */
        GitLabOidcBuilder provider(OidcProvider provider);

        /** The {@code aud} the job's {@code id_tokens} ask for; default the provider's issuer URL. */
        GitLabOidcBuilder audience(String audience);

        /** An exact or pattern subject. */
        GitLabOidcBuilder subject(GitLabSubject subject);

        /** Shorthand for {@code subject(GitLabSubject.branch(projectPath, branch))}. */
        GitLabOidcBuilder branch(String projectPath, String branch);

        /** Shorthand for {@code subject(GitLabSubject.tag(projectPath, tag))}. */
        GitLabOidcBuilder tag(String projectPath, String tag);

        GitLabOidcBuilder sid(String sid);
    }
}

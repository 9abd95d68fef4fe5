package dev.irsa.policy;

import dev.irsa.ValidationException;
import dev.irsa.lint.LintOptions;
import dev.irsa.lint.LintReport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.policybuilder.iam.IamEffect;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The snippets in the public Javadoc of dev.irsa.policy, run as written, with their documented results. */
class JavadocExamplesTest {
    static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

    @Test
    void packageOverview() {
        OidcProvider cluster = OidcProvider.of(ISSUER, "111122223333", "aws");
        TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(cluster).serviceAccount("dev", "app-deployer"));
        PolicyLinter.lintTrust(trust).throwIfErrors();
        assertThat(TrustEvaluator.evaluate(trust, WebIdentityRequest.serviceAccountToken(
                cluster, new ServiceAccountRef("dev", "app-deployer"))).allowed()).isTrue();
    }

    @Test
    void trustPolicyIrsaPrettyOutput() {
        OidcProvider cluster = OidcProvider.of(ISSUER, "111122223333", "aws");
        TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(cluster).serviceAccount("dev", "app-deployer"));
        assertThat(trust.toJson(true)).isEqualTo("""
                {
                  "Version" : "2012-10-17",
                  "Statement" : [ {
                    "Effect" : "Allow",
                    "Principal" : {
                      "Federated" : "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
                    },
                    "Action" : "sts:AssumeRoleWithWebIdentity",
                    "Condition" : {
                      "StringEquals" : {
                        "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub" : "system:serviceaccount:dev:app-deployer",
                        "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud" : "sts.amazonaws.com"
                      }
                    }
                  } ]
                }""");
    }

    @Test
    void trustPolicySeveralClustersAndPodIdentityAndGitLab() {
        OidcProvider cluster = OidcProvider.of(ISSUER, "111122223333", "aws");
        OidcProvider otherCluster = TrustPolicyTest.OTHER;
        TrustPolicy several = TrustPolicy.builder()
                .addIrsa(b -> b.provider(cluster).serviceAccount("dev", "app-deployer").serviceAccount("dev", "reader"))
                .addIrsa(b -> b.provider(otherCluster).serviceAccountPattern("ci", "runner-*"))
                .build();
        assertThat(several.toIamPolicy().statements()).hasSize(2);

        TrustPolicy pod = TrustPolicy.podIdentity(b -> b.sourceAccount("111122223333")
                .sourceArn("arn:aws:eks:eu-west-1:111122223333:cluster/devops"));
        assertThat(Json.tree(pod.toJson()).at("/Statement/0/Condition/ArnEquals/aws:SourceArn").asText())
                .isEqualTo("arn:aws:eks:eu-west-1:111122223333:cluster/devops");

        OidcProvider gitlab = OidcProvider.of("https://gitlab.example.com", "111122223333", "aws");
        TrustPolicy gl = TrustPolicy.gitLabOidc(b -> b.provider(gitlab)
                .audience("https://gitlab.example.com")
                .branch("platform/deployer", "main")
                .subject(GitLabSubject.tagPattern("platform/deployer", "v*")));
        assertThat(Json.tree(gl.toJson()).at("/Statement/0/Condition/StringLike/gitlab.example.com:sub")).isEqualTo(Json.tree("""
                ["project_path:platform/deployer:ref_type:branch:ref:main","project_path:platform/deployer:ref_type:tag:ref:v*"]"""));
        assertThat(Json.tree(gl.toJson()).at("/Statement/0/Condition/StringEquals/gitlab.example.com:aud").asText())
                .isEqualTo("https://gitlab.example.com");
    }

    @Test
    void oidcProvider() {
        OidcProvider p = OidcProvider.of(ISSUER, "111122223333", "aws");
        assertThat(p.arn()).isEqualTo("arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE");
        assertThat(p.hostPath()).isEqualTo("oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE");
        assertThat(p.conditionKey("sub")).isEqualTo("oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub");
        assertThat(OidcProvider.fromArn(p.arn())).isEqualTo(p);
        assertThat(OidcProvider.of(ISSUER + "/", "111122223333", "aws")).isEqualTo(p);
        assertThat(p.issuerUrl()).isEqualTo(ISSUER);
    }

    @Test
    void serviceAccountRef() {
        ServiceAccountRef sa = new ServiceAccountRef("dev", "app-deployer");
        assertThat(sa.subject()).isEqualTo("system:serviceaccount:dev:app-deployer");
        assertThat(ServiceAccountRef.parse("dev/app-deployer")).isEqualTo(sa);
        assertThat(ServiceAccountRef.fromSubject(sa.subject())).isEqualTo(sa);
        assertThatThrownBy(() -> new ServiceAccountRef("My_NS", "x")).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("serviceAccount.namespace");
    }

    @Test
    void gitLabSubject() {
        assertThat(GitLabSubject.branch("platform/deployer", "main").sub()).isEqualTo("project_path:platform/deployer:ref_type:branch:ref:main");
        assertThat(GitLabSubject.tagPattern("platform/deployer", "v*").sub()).isEqualTo("project_path:platform/deployer:ref_type:tag:ref:v*");
        assertThat(GitLabSubject.tagPattern("platform/deployer", "v*").isPattern()).isTrue();
        assertThatThrownBy(() -> GitLabSubject.branch("platform/deployer", "feature/*")).isInstanceOf(ValidationException.class);
    }

    @Test
    void permissionsPolicyAndLintReport() {
        PermissionsPolicy readBuckets = PermissionsPolicy.builder()
                .addStatement(s -> s.effect(IamEffect.ALLOW)
                        .addAction("s3:GetObject")
                        .addAction("s3:ListBucket")
                        .addResource("arn:aws:s3:::artifacts")
                        .addResource("arn:aws:s3:::artifacts/*"))
                .build();
        assertThat(readBuckets.toJson()).startsWith("{\"Version\":\"2012-10-17\",\"Statement\":[{");

        PermissionsPolicy admin = PermissionsPolicy.fromJson(Json.resource("/seed/eks-admin-policy.json"));
        LintReport report = PolicyLinter.lintPermissions(admin);
        assertThat(report.findings()).anySatisfy(f -> assertThat(f.toString()).startsWith("IRSA-P002 ERROR").contains("iam:*"));
        assertThat(report.hasErrors()).isTrue();
        report.accept("IRSA-P002").throwIfErrors();
        PolicyLinter.requireClean(report, "IRSA-P002");
    }

    @Test
    void lintOptions() {
        LintOptions options = LintOptions.builder().trustSizeQuota(4096).allowWildcardSubjects(true).build();
        assertThat(options.trustSizeQuota()).isEqualTo(4096);
        assertThat(options.allowWildcardSubjects()).isTrue();
        assertThat(options.permissionsSizeLimit()).isEqualTo(6144);
        assertThat(LintOptions.defaults().trustSizeQuota()).isEqualTo(2048);
        assertThat(options.toBuilder().build().toString()).isEqualTo(options.toString());
    }

    @Test
    void trustEvaluatorAndDecision() {
        TrustPolicy trust = TrustPolicy.fromJson(Json.resource("/seed/trust-policy.json"));
        OidcProvider cluster = OidcProvider.fromArn(trust.federatedPrincipals().get(0));
        assertThat(TrustEvaluator.evaluate(trust, WebIdentityRequest.serviceAccountToken(cluster, new ServiceAccountRef("dev", "app-deployer")))
                .allowed()).isTrue();
        TrustDecision d = TrustEvaluator.evaluate(trust, WebIdentityRequest.serviceAccountToken(cluster, new ServiceAccountRef("prod", "app-deployer")));
        assertThat(d.explanation()).isEqualTo("implicitly denied: no Allow statement applies. Statement[0] (Allow): condition StringEquals "
                + "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub: expected one of "
                + "[\"system:serviceaccount:dev:app-deployer\"]; request has [\"system:serviceaccount:prod:app-deployer\"]");
        assertThat(d.toString()).startsWith("DENIED: ");
    }

    @Test
    void webIdentityRequestAsInJwt() {
        WebIdentityRequest request = new WebIdentityRequest(
                "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
                Map.of("iss", ISSUER, "sub", "system:serviceaccount:dev:app-deployer", "aud", List.of("sts.amazonaws.com")));
        assertThat(TrustEvaluator.evaluate(Json.resource("/seed/trust-policy.json"), request).allowed()).isTrue();
    }

    @Test
    void severalProvidersWithOneSidGetUniqueSids() {
        TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(OidcProvider.of(ISSUER, "111122223333", "aws"))
                .addProvider(TrustPolicyTest.OTHER).serviceAccount("dev", "a").sid("Dev"));
        assertThat(trust.toIamPolicy().statements()).extracting(s -> s.sid()).containsExactly("Dev", "Dev2");
        assertThat(TrustPolicy.fromJson(trust.toJson())).isEqualTo(trust);
    }
}

package dev.irsa.policy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.policybuilder.iam.IamConditionOperator;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPrincipalType;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrustPolicyTest {
    static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    static final String HOST = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    static final OidcProvider CLUSTER = OidcProvider.of(ISSUER, "111122223333", "aws");
    static final OidcProvider OTHER = OidcProvider.of("https://oidc.eks.us-east-1.amazonaws.com/id/OTHERCLUSTER0000000000000000000", "111122223333", "aws");

    @Test
    void irsaTrustForTheWalkthroughEqualsTheSeed() {
        TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccount("dev", "app-deployer"));

        assertThat(Json.tree(trust.toJson())).isEqualTo(Json.tree(Json.resource("/seed/trust-policy.json")));
        assertThat(Json.tree(trust.toJson(true))).isEqualTo(Json.tree(Json.resource("/seed/trust-policy.json")));
        assertThat(trust.toJson(true)).contains("\n");
        assertThat(trust.federatedPrincipals()).containsExactly(CLUSTER.arn());
        assertThat(trust.wildcardSubjectsRequested()).isFalse();
    }

    @Test
    void providerArnGivesTheSameTrust() {
        TrustPolicy byArn = TrustPolicy.irsa(b -> b.providerArn(
                "arn:aws:iam::111122223333:oidc-provider/" + HOST).serviceAccount(ServiceAccountRef.parse("dev/app-deployer")));
        assertThat(Json.tree(byArn.toJson())).isEqualTo(Json.tree(Json.resource("/seed/trust-policy.json")));
    }

    @Test
    void severalServiceAccountsShareOneStringEqualsList() {
        TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(CLUSTER)
                .serviceAccount("dev", "app-deployer").serviceAccount("dev", "reader").serviceAccount("dev", "app-deployer"));
        JsonNode condition = Json.tree(trust.toJson()).at("/Statement/0/Condition");
        assertThat(condition.size()).isEqualTo(1);
        assertThat(condition.at("/StringEquals").get(HOST + ":sub")).isEqualTo(Json.tree(
                "[\"system:serviceaccount:dev:app-deployer\",\"system:serviceaccount:dev:reader\"]"));
        assertThat(condition.at("/StringEquals").get(HOST + ":aud").asText()).isEqualTo("sts.amazonaws.com");
    }

    @Test
    void severalProvidersGetOneStatementEach() {
        TrustPolicy trust = TrustPolicy.builder()
                .addIrsa(b -> b.provider(CLUSTER).addProvider(OTHER).serviceAccount("dev", "app-deployer"))
                .build();
        JsonNode statements = Json.tree(trust.toJson()).get("Statement");
        assertThat(statements.size()).isEqualTo(2);
        assertThat(statements.get(1).at("/Principal/Federated").asText()).isEqualTo(OTHER.arn());
        assertThat(statements.get(1).at("/Condition/StringEquals").has(OTHER.hostPath() + ":sub")).isTrue();
        assertThat(trust.federatedPrincipals()).containsExactly(CLUSTER.arn(), OTHER.arn());
    }

    @Test
    void patternsRenderUnderStringLikeNeverStringEquals() {
        TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(CLUSTER)
                .serviceAccount("dev", "app-deployer").serviceAccountPattern("ci", "runner-*"));
        JsonNode condition = Json.tree(trust.toJson()).at("/Statement/0/Condition");
        assertThat(condition.at("/StringLike").get(HOST + ":sub")).isEqualTo(Json.tree(
                "[\"system:serviceaccount:dev:app-deployer\",\"system:serviceaccount:ci:runner-*\"]"));
        assertThat(condition.at("/StringEquals").has(HOST + ":sub")).isFalse();
        assertThat(condition.at("/StringEquals").get(HOST + ":aud").asText()).isEqualTo("sts.amazonaws.com");
        assertThat(trust.wildcardSubjectsRequested()).isTrue();
        assertThat(condition.at("/StringEquals").toString()).doesNotContain("*");
    }

    @Test
    void podIdentityTrust() {
        TrustPolicy trust = TrustPolicy.podIdentity(b -> b.sourceAccount("111122223333")
                .sourceArn("arn:aws:eks:eu-west-1:111122223333:cluster/devops"));
        assertThat(Json.tree(trust.toJson())).isEqualTo(Json.tree("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Service":"pods.eks.amazonaws.com"},
                 "Action":["sts:AssumeRole","sts:TagSession"],
                 "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"},
                              "ArnEquals":{"aws:SourceArn":"arn:aws:eks:eu-west-1:111122223333:cluster/devops"}}}]}"""));
        assertThat(trust.federatedPrincipals()).isEmpty();
    }

    @Test
    void podIdentityWithoutConditions() {
        TrustPolicy trust = TrustPolicy.podIdentity(b -> { });
        assertThat(Json.tree(trust.toJson()).at("/Statement/0").has("Condition")).isFalse();
        assertThat(Json.tree(trust.toJson()).at("/Statement/0/Action").size()).isEqualTo(2);
    }

    @Test
    void gitLabComTrustWithExactBranch() {
        OidcProvider gitlab = OidcProvider.of("https://gitlab.com", "111122223333", "aws");
        TrustPolicy trust = TrustPolicy.gitLabOidc(b -> b.provider(gitlab).branch("platform/deployer", "main"));
        assertThat(Json.tree(trust.toJson())).isEqualTo(Json.tree("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/gitlab.com"},
                 "Action":"sts:AssumeRoleWithWebIdentity",
                 "Condition":{"StringEquals":{
                    "gitlab.com:aud":"https://gitlab.com",
                    "gitlab.com:sub":"project_path:platform/deployer:ref_type:branch:ref:main"}}}]}"""));
    }

    @Test
    void selfManagedGitLabWithPatternsForSeveralRefs() {
        OidcProvider gitlab = OidcProvider.of("https://gitlab.example.com", "111122223333", "aws");
        TrustPolicy trust = TrustPolicy.gitLabOidc(b -> b.provider(gitlab).audience("sts.amazonaws.com")
                .branch("group/sub/project", "main")
                .subject(GitLabSubject.branchPattern("group/sub/project", "release/*"))
                .subject(GitLabSubject.tagPattern("group/sub/project", "v?.*")));
        JsonNode condition = Json.tree(trust.toJson()).at("/Statement/0/Condition");
        assertThat(condition.at("/StringEquals").get("gitlab.example.com:aud").asText()).isEqualTo("sts.amazonaws.com");
        assertThat(condition.at("/StringLike").get("gitlab.example.com:sub")).isEqualTo(Json.tree("""
                ["project_path:group/sub/project:ref_type:branch:ref:main",
                 "project_path:group/sub/project:ref_type:branch:ref:release/*",
                 "project_path:group/sub/project:ref_type:tag:ref:v?.*"]"""));
        assertThat(trust.wildcardSubjectsRequested()).isTrue();
    }

    @Test
    void mixedModesInOneTrust() {
        TrustPolicy trust = TrustPolicy.builder()
                .addIrsa(b -> b.provider(CLUSTER).serviceAccount("dev", "app-deployer"))
                .addPodIdentity(b -> b.sourceAccount("111122223333"))
                .addStatement(IamStatement.builder().effect(IamEffect.DENY)
                        .addPrincipal(IamPrincipalType.FEDERATED, CLUSTER.arn())
                        .addAction("sts:AssumeRoleWithWebIdentity")
                        .addCondition(IamConditionOperator.STRING_EQUALS, HOST + ":sub", "system:serviceaccount:dev:evil")
                        .build())
                .build();
        assertThat(Json.tree(trust.toJson()).get("Statement").size()).isEqualTo(3);
    }

    @Test
    void fromJsonRoundTripsTheSeed() {
        String seed = Json.resource("/seed/trust-policy.json");
        TrustPolicy parsed = TrustPolicy.fromJson(seed);
        assertThat(Json.tree(parsed.toJson())).isEqualTo(Json.tree(seed));
        assertThat(Json.tree(parsed.toJson(true))).isEqualTo(Json.tree(seed));
        assertThat(parsed).isEqualTo(TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccount("dev", "app-deployer")));
    }

    @Test
    void fromJsonAcceptsUrlEncodedIamOutput() {
        String seed = Json.resource("/seed/trust-policy.json");
        String encoded = URLEncoder.encode(seed, StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(encoded).startsWith("%7B");
        TrustPolicy parsed = TrustPolicy.fromJson(encoded);
        assertThat(Json.tree(parsed.toJson())).isEqualTo(Json.tree(seed));
    }

    @Test
    void fromJsonKeepsShapesListsBooleansNumbersAndSingleStatementObjects() {
        List<String> documents = List.of(
                """
                {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":["arn:aws:iam::111122223333:oidc-provider/gitlab.com"]},
                 "Action":["sts:AssumeRoleWithWebIdentity"],
                 "Condition":{"StringEquals":{"gitlab.com:aud":["https://gitlab.com"]},"Bool":{"aws:SecureTransport":true},
                              "NumericLessThan":{"aws:MultiFactorAuthAge":3600},"StringLike":{"gitlab.com:sub":["a*",false]}}}}""",
                """
                {"Id":"x","Statement":[{"Sid":"One","Effect":"Deny","Principal":"*","NotAction":"sts:TagSession"},
                 {"Effect":"Allow","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:role/a+b"]},"Action":"sts:AssumeRole"}]}""");
        for (String doc : documents) {
            TrustPolicy parsed = TrustPolicy.fromJson(doc);
            assertThat(Json.tree(parsed.toJson())).as(doc).isEqualTo(Json.tree(doc));
            assertThat(Json.tree(TrustPolicy.fromJson(URLEncoder.encode(doc, StandardCharsets.UTF_8).replace("+", "%20")).toJson()))
                    .isEqualTo(Json.tree(doc));
        }
    }

    @Test
    void sizeCountsNoWhitespace() {
        TrustPolicy trust = TrustPolicy.fromJson(Json.resource("/seed/trust-policy.json"));
        assertThat(trust.size()).isEqualTo(trust.toJson().replaceAll("\\s", "").length());
        assertThat(trust.size()).isLessThan(Json.resource("/seed/trust-policy.json").length());
    }

    @Test
    void raisedQuotaAdmitsLargerTrust() {
        TrustPolicy trust = TrustPolicy.builder().sizeQuota(8192).addIrsa(b -> {
            b.provider(CLUSTER);
            for (int i = 0; i < 40; i++) {
                b.serviceAccount("dev", "service-account-number-" + i);
            }
        }).build();
        assertThat(trust.size()).isGreaterThan(2048);
    }
}

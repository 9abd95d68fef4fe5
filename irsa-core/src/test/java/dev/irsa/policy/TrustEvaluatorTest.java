package dev.irsa.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrustEvaluatorTest {
    static final String HOST = TrustPolicyTest.HOST;
    static final OidcProvider CLUSTER = TrustPolicyTest.CLUSTER;
    static final String SEED = Json.resource("/seed/trust-policy.json");

    static WebIdentityRequest token(String sub, Object aud) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("iss", CLUSTER.issuerUrl());
        claims.put("sub", sub);
        claims.put("aud", aud);
        return new WebIdentityRequest(CLUSTER.arn(), claims);
    }

    static TrustDecision eval(String policyJson, String sub, Object aud) {
        return TrustEvaluator.evaluate(policyJson, token(sub, aud));
    }

    /** A one-statement web-identity trust for CLUSTER with the given Condition block. */
    static String trustWith(String condition) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":"%s"},"Action":"sts:AssumeRoleWithWebIdentity",
                 "Condition":%s}]}""".formatted(CLUSTER.arn(), condition.replace("HOST", HOST));
    }

    @Test
    void seedAdmitsItsServiceAccount() {
        TrustDecision d = TrustEvaluator.evaluate(TrustPolicy.fromJson(SEED),
                WebIdentityRequest.serviceAccountToken(CLUSTER, new ServiceAccountRef("dev", "app-deployer")));
        assertThat(d.allowed()).isTrue();
        assertThat(d.explanation()).contains("allowed by Statement[0]").contains("all 2 conditions matched");
    }

    @Test
    void seedDeniesWrongNamespace() {
        TrustDecision d = eval(SEED, "system:serviceaccount:prod:app-deployer", "sts.amazonaws.com");
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains("implicitly denied").contains("StringEquals " + HOST + ":sub")
                .contains("system:serviceaccount:dev:app-deployer").contains("request has [\"system:serviceaccount:prod:app-deployer\"]");
    }

    @Test
    void seedDeniesWrongServiceAccount() {
        TrustDecision d = eval(SEED, "system:serviceaccount:dev:default", "sts.amazonaws.com");
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains(HOST + ":sub").contains("system:serviceaccount:dev:default");
    }

    @Test
    void seedDeniesWrongAudience() {
        TrustDecision d = eval(SEED, "system:serviceaccount:dev:app-deployer", "https://kubernetes.default.svc");
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains(HOST + ":aud").contains("sts.amazonaws.com").contains("https://kubernetes.default.svc");
    }

    @Test
    void seedDeniesMissingAudience() {
        Map<String, Object> claims = Map.of("sub", "system:serviceaccount:dev:app-deployer");
        TrustDecision d = TrustEvaluator.evaluate(SEED, new WebIdentityRequest(CLUSTER.arn(), claims));
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains(HOST + ":aud").contains("no value for this key");
    }

    @Test
    void seedDeniesAnotherProvider() {
        OidcProvider other = TrustPolicyTest.OTHER;
        TrustDecision d = TrustEvaluator.evaluate(TrustPolicy.fromJson(SEED),
                WebIdentityRequest.serviceAccountToken(other, new ServiceAccountRef("dev", "app-deployer")));
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains("does not name the token's provider").contains(other.arn());
    }

    @Test
    void tokenFromAnotherIssuerIsRejected() {
        Map<String, Object> claims = Map.of("iss", "https://evil.example.com", "sub", "system:serviceaccount:dev:app-deployer", "aud", "sts.amazonaws.com");
        TrustDecision d = TrustEvaluator.evaluate(SEED, new WebIdentityRequest(CLUSTER.arn(), claims));
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains("issuer https://evil.example.com");
    }

    @Test
    void stringEqualsIsCaseSensitiveAndLiteral() {
        assertThat(eval(SEED, "system:serviceaccount:dev:App-Deployer", "sts.amazonaws.com").allowed()).isFalse();
        String star = trustWith("{\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:*\",\"HOST:aud\":\"sts.amazonaws.com\"}}");
        TrustDecision d = eval(star, "system:serviceaccount:dev:app-deployer", "sts.amazonaws.com");
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains("literal character");
        assertThat(eval(star, "system:serviceaccount:dev:*", "sts.amazonaws.com").allowed()).isTrue();
    }

    @Test
    void stringLikeWildcards() {
        String like = trustWith("{\"StringLike\":{\"HOST:sub\":\"system:serviceaccount:dev:app-?\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        assertThat(eval(like, "system:serviceaccount:dev:app-1", "sts.amazonaws.com").allowed()).isTrue();
        assertThat(eval(like, "system:serviceaccount:dev:app-12", "sts.amazonaws.com").allowed()).isFalse();
        assertThat(eval(like, "system:serviceaccount:dev:app-", "sts.amazonaws.com").allowed()).isFalse();
        String star = trustWith("{\"StringLike\":{\"HOST:sub\":\"system:serviceaccount:dev:*\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        assertThat(eval(star, "system:serviceaccount:dev:", "sts.amazonaws.com").allowed()).isTrue();
        assertThat(eval(star, "system:serviceaccount:dev:anything:else", "sts.amazonaws.com").allowed()).isTrue();
        assertThat(eval(star, "system:serviceaccount:DEV:x", "sts.amazonaws.com").allowed()).isFalse();
    }

    @Test
    void valuesOfOneKeyAreOred() {
        TrustPolicy trust = TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccount("dev", "a").serviceAccount("dev", "b"));
        assertThat(TrustEvaluator.evaluate(trust, token("system:serviceaccount:dev:a", "sts.amazonaws.com")).allowed()).isTrue();
        assertThat(TrustEvaluator.evaluate(trust, token("system:serviceaccount:dev:b", "sts.amazonaws.com")).allowed()).isTrue();
        assertThat(TrustEvaluator.evaluate(trust, token("system:serviceaccount:dev:c", "sts.amazonaws.com")).allowed()).isFalse();
    }

    @Test
    void keysAndOperatorsAreAnded() {
        String both = trustWith("{\"StringLike\":{\"HOST:sub\":\"system:serviceaccount:dev:*\"},"
                + "\"StringNotEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:default\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        assertThat(eval(both, "system:serviceaccount:dev:app", "sts.amazonaws.com").allowed()).isTrue();
        TrustDecision d = eval(both, "system:serviceaccount:dev:default", "sts.amazonaws.com");
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains("StringNotEquals");
        assertThat(eval(both, "system:serviceaccount:dev:app", "other").allowed()).isFalse();
    }

    @Test
    void explicitDenyWins() {
        TrustPolicy allowAll = TrustPolicy.fromJson(trustWith("{\"StringLike\":{\"HOST:sub\":\"system:serviceaccount:dev:*\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}"));
        String json = allowAll.toJson().replace("}]}", "},{\"Effect\":\"Deny\",\"Principal\":{\"Federated\":\"" + CLUSTER.arn()
                + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"" + HOST + ":sub\":\"system:serviceaccount:dev:intruder\"}}}]}");
        TrustDecision d = eval(json, "system:serviceaccount:dev:intruder", "sts.amazonaws.com");
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains("explicitly denied by Statement[1] (Deny)");
        assertThat(eval(json, "system:serviceaccount:dev:app", "sts.amazonaws.com").allowed()).isTrue();
    }

    @Test
    void unknownOperatorDoesNotMatchAndSaysSo() {
        String json = trustWith("{\"StringEqualz\":{\"HOST:sub\":\"system:serviceaccount:dev:app\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        TrustDecision d = eval(json, "system:serviceaccount:dev:app", "sts.amazonaws.com");
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains("unsupported condition operator 'StringEqualz'");
    }

    @Test
    void ignoreCaseOperators() {
        String json = trustWith("{\"StringEqualsIgnoreCase\":{\"HOST:sub\":\"SYSTEM:serviceaccount:dev:APP\",\"HOST:aud\":\"STS.amazonaws.com\"}}");
        assertThat(eval(json, "system:serviceaccount:dev:app", "sts.amazonaws.com").allowed()).isTrue();
        String not = trustWith("{\"StringNotEqualsIgnoreCase\":{\"HOST:sub\":\"SYSTEM:serviceaccount:dev:APP\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        assertThat(eval(not, "system:serviceaccount:dev:app", "sts.amazonaws.com").allowed()).isFalse();
        assertThat(eval(not, "system:serviceaccount:dev:other", "sts.amazonaws.com").allowed()).isTrue();
    }

    @Test
    void stringNotLike() {
        String json = trustWith("{\"StringNotLike\":{\"HOST:sub\":\"system:serviceaccount:kube-*\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        assertThat(eval(json, "system:serviceaccount:kube-system:x", "sts.amazonaws.com").allowed()).isFalse();
        assertThat(eval(json, "system:serviceaccount:dev:x", "sts.amazonaws.com").allowed()).isTrue();
    }

    @Test
    void conditionKeyNamesAreCaseInsensitive() {
        String json = trustWith("{\"StringEquals\":{\"HOST:SUB\":\"system:serviceaccount:dev:app\",\"HOST:Aud\":\"sts.amazonaws.com\"}}");
        assertThat(eval(json, "system:serviceaccount:dev:app", "sts.amazonaws.com").allowed()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            // operator, policy audiences, token audiences, allowed
            "StringEquals, sts.amazonaws.com, sts.amazonaws.com|other, true",
            "ForAnyValue:StringEquals, sts.amazonaws.com, other|sts.amazonaws.com, true",
            "ForAnyValue:StringEquals, sts.amazonaws.com, other|third, false",
            "ForAllValues:StringEquals, sts.amazonaws.com|other, sts.amazonaws.com|other, true",
            "ForAllValues:StringEquals, sts.amazonaws.com, sts.amazonaws.com|other, false",
            "StringEqualsIfExists, sts.amazonaws.com, other, false",
    })
    void multiValuedAudience(String operator, String policyValues, String tokenValues, boolean allowed) {
        String values = "[\"" + String.join("\",\"", policyValues.split("\\|")) + "\"]";
        String json = trustWith("{\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:app\"},\"" + operator + "\":{\"HOST:aud\":" + values + "}}");
        assertThat(eval(json, "system:serviceaccount:dev:app", List.of(tokenValues.split("\\|"))).allowed()).isEqualTo(allowed);
    }

    @Test
    void forAllValuesOnAMissingKeyIsVacuouslyTrueAndIfExistsToo() {
        String forAll = trustWith("{\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:app\"},\"ForAllValues:StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        String ifExists = trustWith("{\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:app\"},\"StringEqualsIfExists\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        WebIdentityRequest noAud = new WebIdentityRequest(CLUSTER.arn(), Map.of("sub", "system:serviceaccount:dev:app"));
        assertThat(TrustEvaluator.evaluate(forAll, noAud).allowed()).isTrue();
        assertThat(TrustEvaluator.evaluate(ifExists, noAud).allowed()).isTrue();
    }

    @Test
    void nullOperator() {
        String json = trustWith("{\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:app\"},\"Null\":{\"HOST:amr\":\"true\"}}");
        assertThat(eval(json, "system:serviceaccount:dev:app", "x").allowed()).isTrue();
        Map<String, Object> claims = Map.of("sub", "system:serviceaccount:dev:app", "amr", List.of("pwd"));
        assertThat(TrustEvaluator.evaluate(json, new WebIdentityRequest(CLUSTER.arn(), claims)).allowed()).isFalse();
    }

    @Test
    void actionMustCoverWebIdentity() {
        String json = trustWith("{\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:app\",\"HOST:aud\":\"sts.amazonaws.com\"}}")
                .replace("sts:AssumeRoleWithWebIdentity", "sts:AssumeRole");
        TrustDecision d = eval(json, "system:serviceaccount:dev:app", "sts.amazonaws.com");
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains("does not cover sts:AssumeRoleWithWebIdentity");
        assertThat(eval(json.replace("\"sts:AssumeRole\"", "\"STS:assumerole*\""), "system:serviceaccount:dev:app", "sts.amazonaws.com").allowed()).isTrue();
    }

    @Test
    void starPrincipalAdmitsAnyProvider() {
        String json = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}";
        assertThat(eval(json, "anything", "anything").allowed()).isTrue();
    }

    @Test
    void otherClaimsAreNotConditionKeys() {
        OidcProvider gitlab = OidcProvider.of("https://gitlab.com", "111122223333", "aws");
        String json = """
                {"Statement":[{"Effect":"Allow","Principal":{"Federated":"%s"},"Action":"sts:AssumeRoleWithWebIdentity",
                 "Condition":{"StringEquals":{"gitlab.com:aud":"https://gitlab.com","gitlab.com:project_path":"g/p"}}}]}""".formatted(gitlab.arn());
        TrustDecision d = TrustEvaluator.evaluate(json,
                WebIdentityRequest.gitLabJobToken(gitlab, "https://gitlab.com", "g/p", GitLabSubject.RefType.BRANCH, "main"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains("gitlab.com:project_path").contains("IAM does not expose it");
    }

    @Test
    void gitLabTrustAdmitsMatchingRefsOnly() {
        OidcProvider gitlab = OidcProvider.of("https://gitlab.example.com", "111122223333", "aws");
        TrustPolicy trust = TrustPolicy.gitLabOidc(b -> b.provider(gitlab).branch("g/p", "main")
                .subject(GitLabSubject.tagPattern("g/p", "v*")));
        assertThat(TrustEvaluator.evaluate(trust, WebIdentityRequest.gitLabJobToken(gitlab, "https://gitlab.example.com", "g/p",
                GitLabSubject.RefType.BRANCH, "main")).allowed()).isTrue();
        assertThat(TrustEvaluator.evaluate(trust, WebIdentityRequest.gitLabJobToken(gitlab, "https://gitlab.example.com", "g/p",
                GitLabSubject.RefType.TAG, "v1.2.3")).allowed()).isTrue();
        assertThat(TrustEvaluator.evaluate(trust, WebIdentityRequest.gitLabJobToken(gitlab, "https://gitlab.example.com", "g/p",
                GitLabSubject.RefType.BRANCH, "v1")).allowed()).isFalse();
        assertThat(TrustEvaluator.evaluate(trust, WebIdentityRequest.gitLabJobToken(gitlab, "https://gitlab.example.com", "g/other",
                GitLabSubject.RefType.BRANCH, "main")).allowed()).isFalse();
        assertThat(TrustEvaluator.evaluate(trust, WebIdentityRequest.gitLabJobToken(gitlab, "https://gitlab.com", "g/p",
                GitLabSubject.RefType.BRANCH, "main")).allowed()).isFalse();
    }

    @Test
    void podIdentityTrustIsNotAWebIdentityTrust() {
        TrustPolicy pod = TrustPolicy.podIdentity(b -> b.sourceAccount("111122223333"));
        TrustDecision d = TrustEvaluator.evaluate(pod, token("system:serviceaccount:dev:app", "sts.amazonaws.com"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains("Principal");
    }

    @Test
    void podIdentityNeedsAssumeRoleAndTagSessionAndTheRightAccount() {
        TrustPolicy pod = TrustPolicy.podIdentity(b -> b.sourceAccount("111122223333")
                .sourceArn("arn:aws:eks:eu-west-1:111122223333:cluster/devops"));
        TrustDecision ok = TrustEvaluator.evaluatePodIdentity(pod, "111122223333", "arn:aws:eks:eu-west-1:111122223333:cluster/devops");
        assertThat(ok.allowed()).isTrue();
        assertThat(ok.explanation()).contains("sts:TagSession allowed by Statement[0]");

        TrustDecision otherCluster = TrustEvaluator.evaluatePodIdentity(pod, "111122223333", "arn:aws:eks:eu-west-1:111122223333:cluster/other");
        assertThat(otherCluster.allowed()).isFalse();
        assertThat(otherCluster.explanation()).contains("ArnEquals aws:SourceArn");

        assertThat(TrustEvaluator.evaluatePodIdentity(pod, "999988887777", "arn:aws:eks:eu-west-1:111122223333:cluster/devops").allowed()).isFalse();

        String noTag = """
                {"Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
        TrustDecision d = TrustEvaluator.evaluatePodIdentity(TrustPolicy.fromJson(noTag), "111122223333", "arn:aws:eks:eu-west-1:111122223333:cluster/devops");
        assertThat(d.allowed()).isFalse();
        assertThat(d.explanation()).contains("sts:TagSession is not");

        TrustDecision irsaTrust = TrustEvaluator.evaluatePodIdentity(TrustPolicy.fromJson(SEED), "111122223333", "arn:aws:eks:eu-west-1:111122223333:cluster/devops");
        assertThat(irsaTrust.allowed()).isFalse();
        assertThat(irsaTrust.explanation()).contains("does not name service pods.eks.amazonaws.com");
    }
}

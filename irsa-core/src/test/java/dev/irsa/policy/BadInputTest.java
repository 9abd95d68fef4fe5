package dev.irsa.policy;

import dev.irsa.IrsaException;
import dev.irsa.ValidationException;
import dev.irsa.validation.Validators;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bad input is refused with a {@link ValidationException} that names the field, the value and the rule,
 * before anything could reach AWS.
 */
class BadInputTest {
    static final String ISSUER = TrustPolicyTest.ISSUER;
    static final OidcProvider CLUSTER = TrustPolicyTest.CLUSTER;
    static final OidcProvider GITLAB = OidcProvider.of("https://gitlab.com", "111122223333", "aws");

    /** name, call, expected field (prefix), fragment of the value, fragment of the rule. */
    static Arguments bad(String name, Executable call, String field, String value, String rule) {
        return arguments(name, call, field, value, rule);
    }

    static String trust(String statementBody) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{" + statementBody + "}]}";
    }

    static final String OK_TRUST_BODY = "\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + CLUSTER.arn()
            + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"";

    static Map<String, String> tags(int n) {
        Map<String, String> tags = new HashMap<>();
        for (int i = 0; i < n; i++) {
            tags.put("k" + i, "v");
        }
        return tags;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // IAM role names and paths
                bad("role name of 65 characters", () -> Validators.roleName("role.name", "r".repeat(65)), "role.name", "rrrr", "at most 64"),
                bad("role name with a space", () -> Validators.roleName("role.name", "eks cluster"), "role.name", "eks cluster", "only letters"),
                bad("empty role name", () -> Validators.roleName("role.name", ""), "role.name", "", "must not be empty"),
                bad("role path without slashes", () -> Validators.rolePath("role.path", "ci"), "role.path", "ci", "starts and ends with '/'"),
                bad("role path without trailing slash", () -> Validators.rolePath("role.path", "/ci"), "role.path", "/ci", "starts and ends"),
                bad("role path with //", () -> Validators.rolePath("role.path", "/ci//x/"), "role.path", "/ci//x/", "no '//'"),
                bad("role path of 513 characters", () -> Validators.rolePath("role.path", "/" + "a".repeat(511) + "/"), "role.path", "/aaa", "at most 512"),
                // accounts and partitions
                bad("short account id", () -> OidcProvider.of(ISSUER, "12345", "aws"), "oidcProvider.accountId", "12345", "12 digits"),
                bad("account id with a letter", () -> OidcProvider.of(ISSUER, "11112222333a", "aws"), "oidcProvider.accountId", "11112222333a", "12 digits"),
                bad("unknown partition", () -> OidcProvider.of(ISSUER, "111122223333", "aws-moon"), "oidcProvider.partition", "aws-moon", "partition is one of"),
                // issuer URLs
                bad("http issuer", () -> OidcProvider.of("http://oidc.eks.eu-west-1.amazonaws.com/id/X", "111122223333", "aws"),
                        "oidcProvider.issuerUrl", "http://", "https"),
                bad("issuer with a port", () -> OidcProvider.of("https://gitlab.example.com:8443", "111122223333", "aws"),
                        "oidcProvider.issuerUrl", ":8443", "port"),
                bad("issuer with a query", () -> OidcProvider.of("https://gitlab.example.com/?x=1", "111122223333", "aws"),
                        "oidcProvider.issuerUrl", "?x=1", "query"),
                bad("issuer with user info", () -> OidcProvider.of("https://me@gitlab.example.com", "111122223333", "aws"),
                        "oidcProvider.issuerUrl", "me@", "user information"),
                bad("issuer over 255 characters", () -> OidcProvider.of("https://gitlab.example.com/" + "a".repeat(240), "111122223333", "aws"),
                        "oidcProvider.issuerUrl", "gitlab.example.com", "at most 255"),
                bad("issuer host with underscore", () -> OidcProvider.of("https://git_lab.example.com", "111122223333", "aws"),
                        "oidcProvider.issuerUrl", "git_lab", "host name"),
                bad("EKS issuer in the wrong partition", () -> OidcProvider.of(ISSUER, "111122223333", "aws-cn"),
                        "oidcProvider.partition", "aws-cn", "belongs to partition 'aws'"),
                bad("China EKS issuer in partition aws", () -> OidcProvider.of("https://oidc.eks.cn-north-1.amazonaws.com.cn/id/X", "111122223333", "aws"),
                        "oidcProvider.partition", "aws", "'aws-cn'"),
                // ARNs
                bad("role ARN as provider ARN", () -> OidcProvider.fromArn("arn:aws:iam::111122223333:role/x"),
                        "oidcProvider.arn", "role/x", "OIDC provider ARN"),
                bad("provider ARN with a region", () -> OidcProvider.fromArn("arn:aws:iam:eu-west-1:111122223333:oidc-provider/gitlab.com"),
                        "oidcProvider.arn", "eu-west-1", "no region"),
                bad("provider host instead of ARN", () -> OidcProvider.fromArn("oidc.eks.eu-west-1.amazonaws.com/id/X"),
                        "oidcProvider.arn", "oidc.eks", "arn:<partition>"),
                bad("provider ARN with an 11-digit account", () -> OidcProvider.fromArn("arn:aws:iam::11112222333:oidc-provider/gitlab.com"),
                        "oidcProvider.arn", "11112222333", "12 digits"),
                bad("provider ARN in an unknown partition", () -> OidcProvider.fromArn("arn:aws-xx:iam::111122223333:oidc-provider/gitlab.com"),
                        "oidcProvider.arn", "aws-xx", "unknown partition"),
                bad("provider ARN partition does not match the EKS host", () -> OidcProvider.fromArn(
                        "arn:aws-us-gov:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X"),
                        "oidcProvider.arn", "aws-us-gov", "belongs to partition 'aws'"),
                bad("role ARN of another account", () -> Validators.arnInScope("role.arn", "arn:aws:iam::999988887777:role/eks-cluster-role", "aws", "111122223333"),
                        "role.arn", "999988887777", "must belong to 111122223333"),
                bad("role ARN of another partition", () -> Validators.arnInScope("role.arn", "arn:aws-cn:iam::111122223333:role/eks-cluster-role", "aws", "111122223333"),
                        "role.arn", "aws-cn", "must be in 'aws'"),
                bad("role ARN with a bad name", () -> Validators.roleArn("role.arn", "arn:aws:iam::111122223333:role/ci/eks#role"),
                        "role.arn", "eks#role", "only letters"),
                bad("policy ARN naming a role", () -> Validators.policyArn("policy.arn", "arn:aws:iam::aws:role/Admin"),
                        "policy.arn", "role/Admin", "policy ARN"),
                bad("cluster ARN without region", () -> TrustPolicy.podIdentity(b -> b.sourceArn("arn:aws:eks::111122223333:cluster/devops")),
                        "podIdentity.sourceArn", "cluster/devops", "EKS cluster ARN"),
                bad("cluster of another account than aws:SourceAccount", () -> TrustPolicy.podIdentity(b -> b.sourceAccount("111122223333")
                        .sourceArn("arn:aws:eks:eu-west-1:999988887777:cluster/devops")), "podIdentity.sourceArn", "999988887777", "must belong to 111122223333"),
                bad("pod identity source account malformed", () -> TrustPolicy.podIdentity(b -> b.sourceAccount("1111-2222-3333")),
                        "podIdentity.sourceAccount", "1111-2222-3333", "12 digits"),
                bad("token from a malformed provider ARN", () -> new WebIdentityRequest("arn:aws:iam::111122223333:oidc-provider/", Map.of()),
                        "oidcProvider.arn", "oidc-provider/", "empty"),
                bad("no OIDC client id", () -> Validators.oidcClientIds("oidcProvider.clientIds", java.util.List.of()), "oidcProvider.clientIds", "[]", "at least one"),
                bad("101 OIDC client ids", () -> Validators.oidcClientIds("oidcProvider.clientIds",
                        java.util.stream.IntStream.range(0, 101).mapToObj(i -> "aud" + i).toList()), "oidcProvider.clientIds", "101", "at most 100"),
                bad("duplicate OIDC client id", () -> Validators.oidcClientIds("oidcProvider.clientIds", java.util.List.of("sts.amazonaws.com", "sts.amazonaws.com")),
                        "oidcProvider.clientIds", "sts.amazonaws.com", "unique"),
                bad("six thumbprints", () -> Validators.thumbprints("oidcProvider.thumbprints", java.util.Collections.nCopies(6, "9e99a48a9960b14926bb7f3b02e22da2b0ab7280")),
                        "oidcProvider.thumbprints", "6 thumbprints", "at most 5"),
                bad("short thumbprint", () -> Validators.thumbprints("oidcProvider.thumbprints", java.util.List.of("9e99a48a")),
                        "oidcProvider.thumbprints", "9e99a48a", "40 hexadecimal"),
                // Kubernetes names
                bad("namespace My_NS", () -> new ServiceAccountRef("My_NS", "app-deployer"), "serviceAccount.namespace", "My_NS", "DNS-1123 label"),
                bad("namespace of 64 characters", () -> new ServiceAccountRef("n".repeat(64), "app"), "serviceAccount.namespace", "nnnn", "at most 63"),
                bad("service account of 254 characters", () -> new ServiceAccountRef("dev", "s".repeat(254)), "serviceAccount.name", "ssss", "at most 253"),
                bad("service account with capitals", () -> TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccount("dev", "App")),
                        "serviceAccount.name", "App", "DNS-1123 subdomain"),
                bad("service account without namespace", () -> ServiceAccountRef.parse("app-deployer"), "serviceAccount", "app-deployer", "namespace/name"),
                bad("subject that is not a service account", () -> ServiceAccountRef.fromSubject("system:node:dev"),
                        "serviceAccount.subject", "system:node:dev", "system:serviceaccount:"),
                bad("pattern over every namespace", () -> TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccountPattern("*", "deployer")),
                        "irsa.serviceAccountPattern.namespace", "*", "pin the namespace"),
                // issue 13: '?*' matches every namespace (kube-system too); any wildcard in the namespace can match another one
                bad("pattern over every non-empty namespace", () -> TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccountPattern("?*", "*")),
                        "irsa.serviceAccountPattern.namespace", "?*", "pin the namespace"),
                bad("pattern over namespaces like dev", () -> TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccountPattern("de?", "app")),
                        "irsa.serviceAccountPattern.namespace", "de?", "pin the namespace"),
                bad("pattern over namespaces starting with team-", () -> TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccountPattern("team-*", "app")),
                        "irsa.serviceAccountPattern.namespace", "team-*", "pin the namespace"),
                bad("pattern with capitals", () -> TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccountPattern("dev", "App-*")),
                        "irsa.serviceAccountPattern.name", "App-*", "lower-case"),
                // GitLab
                bad("GitLab path with trailing slash", () -> GitLabSubject.branch("group/", "main"), "gitlab.projectPath", "group/", "trailing '/'"),
                bad("GitLab path segment starting with -", () -> GitLabSubject.branch("-group/project", "main"), "gitlab.projectPath", "-group", "not starting with '-'"),
                bad("GitLab path ending in .git", () -> GitLabSubject.branch("group/project.git", "main"), "gitlab.projectPath", "project.git", ".git"),
                bad("GitLab path with a space", () -> GitLabSubject.tag("my group/project", "v1"), "gitlab.projectPath", "my group", "letters, digits"),
                bad("wildcard in an exact branch", () -> GitLabSubject.branch("g/p", "feature/*"), "gitlab.ref", "feature/*", "use the pattern API"),
                bad("colon in a branch", () -> GitLabSubject.branch("g/p", "a:b"), "gitlab.ref", "a:b", "may not contain"),
                bad("branch with ..", () -> GitLabSubject.branch("g/p", "a..b"), "gitlab.ref", "a..b", "'..'"),
                bad("branch ending in .lock", () -> GitLabSubject.branch("g/p", "main.lock"), "gitlab.ref", "main.lock", ".lock"),
                bad("non-Latin-1 branch", () -> GitLabSubject.branch("g/p", "功能"), "gitlab.ref", "功能", "U+529F"),
                bad("pattern with a space", () -> GitLabSubject.tagPattern("g/p", "v 1*"), "gitlab.ref", "v 1*", "may not contain spaces"),
                bad("GitLab trust without subjects", () -> TrustPolicy.gitLabOidc(b -> b.provider(GITLAB)), "gitlab.subject", null, "at least one"),
                bad("GitLab trust without provider", () -> TrustPolicy.gitLabOidc(b -> b.branch("g/p", "main")), "gitlab.provider", null, "OIDC provider"),
                // AWS tags
                bad("51 tags", () -> Validators.awsTags("role.tags", tags(51)), "role.tags", "51 tags", "at most 50"),
                bad("aws: tag key", () -> Validators.awsTags("role.tags", Map.of("aws:owner", "me")), "role.tags[aws:owner]", "aws:owner", "reserved"),
                bad("tag value of 257 characters", () -> Validators.awsTags("role.tags", Map.of("k", "v".repeat(257))), "role.tags[k]", "vvv", "0-256"),
                bad("tag key with #", () -> Validators.awsTags("role.tags", Map.of("team#1", "x")), "role.tags[team#1]", "team#1", "may contain"),
                // trust builders
                bad("IRSA trust without provider", () -> TrustPolicy.irsa(b -> b.serviceAccount("dev", "app")), "irsa.provider", null, "OIDC provider"),
                bad("IRSA trust without service account", () -> TrustPolicy.irsa(b -> b.provider(CLUSTER)), "irsa.serviceAccount", null, "at least one"),
                bad("wildcard audience", () -> TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccount("dev", "a").audience("sts.*")),
                        "irsa.audience", "sts.*", "cannot be a pattern"),
                bad("statement id with a dash", () -> TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccount("dev", "a").sid("allow-dev")),
                        "trustPolicy.Sid", "allow-dev", "letters and digits"),
                bad("trust over the 2048 quota", () -> TrustPolicy.irsa(b -> {
                    b.provider(CLUSTER);
                    for (int i = 0; i < 40; i++) {
                        b.serviceAccount("dev", "service-account-number-" + i);
                    }
                }), "trustPolicy", "characters", "at most 2048"),
                bad("zero size quota", () -> TrustPolicy.builder().sizeQuota(0), "trustPolicy.sizeQuota", "0", "positive"),
                bad("empty trust", () -> TrustPolicy.builder().build(), "trustPolicy.Statement", null, "at least one statement"),
                // trust documents
                bad("non-Latin-1 character in a trust", () -> TrustPolicy.fromJson(trust(OK_TRUST_BODY + ",\"Sid\":\"✓\"")),
                        "trustPolicy", "Statement", "U+2713"),
                bad("typo'd Condition element", () -> TrustPolicy.fromJson(trust(OK_TRUST_BODY + ",\"Conditon\":{}")),
                        "trustPolicy.Statement[0].Conditon", "Conditon", "unknown statement element"),
                bad("Resource in a trust", () -> TrustPolicy.fromJson(trust(OK_TRUST_BODY + ",\"Resource\":\"*\"")),
                        "trustPolicy.Statement[0].Resource", "Resource", "no Resource"),
                bad("lower-case effect", () -> TrustPolicy.fromJson(trust(OK_TRUST_BODY.replace("Allow", "allow"))),
                        "trustPolicy.Statement[0].Effect", "allow", "\"Allow\" or \"Deny\""),
                bad("trust without principal", () -> TrustPolicy.fromJson(trust("\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"")),
                        "trustPolicy.Statement[0].Principal", null, "exactly one of Principal or NotPrincipal"),
                bad("not JSON", () -> TrustPolicy.fromJson("{\"Version\": "), "trustPolicy", "Version", "not valid JSON"),
                bad("unknown version", () -> TrustPolicy.fromJson("{\"Version\":\"2020-01-01\",\"Statement\":[{" + OK_TRUST_BODY + "}]}"),
                        "trustPolicy.Version", "2020-01-01", "2012-10-17"),
                bad("broken URL encoding", () -> TrustPolicy.fromJson("%7B%ZZ"), "trustPolicy", "%7B%ZZ", "URL-encoded"),
                bad("statement list empty", () -> TrustPolicy.fromJson("{\"Statement\":[]}"), "trustPolicy.Statement", "Statement", "at least one statement"),
                bad("principal as plain string", () -> TrustPolicy.fromJson(trust("\"Effect\":\"Allow\",\"Principal\":\"arn:aws:iam::111122223333:root\",\"Action\":\"sts:AssumeRole\"")),
                        "trustPolicy.Statement[0].Principal", "arn:aws:iam::111122223333:root", "\"*\" or an object"),
                // permissions documents
                bad("principal in a permissions policy", () -> PermissionsPolicy.fromJson(
                        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"),
                        "permissionsPolicy.Statement[0].Principal", "Principal", "no Principal"),
                bad("permissions without resource", () -> PermissionsPolicy.fromJson("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}]}"),
                        "permissionsPolicy.Statement[0].Resource", null, "exactly one of Resource or NotResource"),
                bad("empty action list", () -> PermissionsPolicy.fromJson("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}]}"),
                        "permissionsPolicy.Statement[0].Action", "[]", "empty list"),
                bad("permissions builder without statements", () -> PermissionsPolicy.builder().build(), "permissionsPolicy.Statement", null, "at least one"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithFieldValueAndRule(String name, Executable call, String field, String value, String rule) {
        ValidationException e = assertThrows(ValidationException.class, call);
        assertThat(e).isInstanceOf(IrsaException.class);
        assertThat(e.field()).as("field").startsWith(field);
        if (value == null) {
            assertThat(e.value()).as("value").isNull();
        } else {
            assertThat(e.value()).as("value").contains(value);
        }
        assertThat(e.rule()).as("rule").contains(rule);
        assertThat(e.getMessage()).contains(e.field()).contains(e.rule());
    }
}

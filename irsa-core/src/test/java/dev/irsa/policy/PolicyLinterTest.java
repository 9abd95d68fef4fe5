package dev.irsa.policy;

import dev.irsa.IrsaException;
import dev.irsa.lint.Finding;
import dev.irsa.lint.LintException;
import dev.irsa.lint.LintOptions;
import dev.irsa.lint.LintReport;
import dev.irsa.lint.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.policybuilder.iam.IamEffect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PolicyLinterTest {
    static final OidcProvider CLUSTER = TrustPolicyTest.CLUSTER;
    static final String HOST = TrustPolicyTest.HOST;

    static List<String> ids(LintReport report) {
        return report.findings().stream().map(Finding::id).toList();
    }

    static String trust(String principal, String action, String condition) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":%s,"Action":%s%s}]}"""
                .formatted(principal, action, condition == null ? "" : ",\"Condition\":" + condition.replace("HOST", HOST));
    }

    static String federated() {
        return "{\"Federated\":\"" + CLUSTER.arn() + "\"}";
    }

    @Test
    void seedTrustIsClean() {
        LintReport report = PolicyLinter.lintTrust(TrustPolicy.fromJson(Json.resource("/seed/trust-policy.json")));
        assertThat(report.findings()).isEmpty();
        assertThat(report.hasErrors()).isFalse();
        report.throwIfErrors();
    }

    @Test
    void builtTrustsAreClean() {
        assertThat(PolicyLinter.lintTrust(TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccount("dev", "a").serviceAccount("ci", "b"))).findings()).isEmpty();
        assertThat(PolicyLinter.lintTrust(TrustPolicy.podIdentity(b -> b.sourceAccount("111122223333"))).findings()).isEmpty();
        OidcProvider gitlab = OidcProvider.of("https://gitlab.com", "111122223333", "aws");
        assertThat(PolicyLinter.lintTrust(TrustPolicy.gitLabOidc(b -> b.provider(gitlab).branch("g/p", "main"))).findings()).isEmpty();
    }

    @Test
    void seedAdminPolicyIsAnIamStarErrorThatCanBeAcceptedDeliberately() {
        PermissionsPolicy admin = PermissionsPolicy.fromJson(Json.resource("/seed/eks-admin-policy.json"));
        LintReport report = PolicyLinter.lintPermissions(admin);

        assertThat(report.hasErrors()).isTrue();
        assertThat(report.errors()).extracting(Finding::id).containsExactly("IRSA-P002");
        Finding iamStar = report.findings("IRSA-P002").get(0);
        assertThat(iamStar.severity()).isEqualTo(Severity.ERROR);
        assertThat(iamStar.message()).contains("iam:*").contains("escalate");
        assertThat(iamStar.hint()).isNotBlank();
        assertThat(iamStar.location()).isEqualTo("Statement[0].Action");
        assertThat(report.findings("IRSA-P008")).extracting(Finding::severity).containsOnly(Severity.WARNING).hasSize(4);

        LintException refused = org.junit.jupiter.api.Assertions.assertThrows(LintException.class, report::throwIfErrors);
        assertThat(refused).isInstanceOf(IrsaException.class);
        assertThat(refused.getMessage()).contains("IRSA-P002").contains("accept(\"IRSA-P002\")");
        assertThat(refused.findings()).hasSize(1);

        LintReport accepted = report.accept("IRSA-P002");
        assertThat(accepted.hasErrors()).isFalse();
        accepted.throwIfErrors();
        PolicyLinter.requireClean(report, "IRSA-P002");
        assertThat(accepted.findings()).isEqualTo(report.findings());
        assertThat(accepted.toString()).contains("IRSA-P002 ERROR").contains("[accepted]");
        assertThatThrownBy(() -> PolicyLinter.requireClean(report, "IRSA-P001")).isInstanceOf(LintException.class);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> badTrusts() {
        return Stream.of(
                arguments("IRSA-T001", trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"", "{\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}")),
                arguments("IRSA-T001", trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                        "{\"StringNotEquals\":{\"HOST:sub\":\"system:serviceaccount:kube-system:x\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}")),
                arguments("IRSA-T002", trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"", "{\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:a\"}}")),
                arguments("IRSA-T003", trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                        "{\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:*\",\"HOST:aud\":\"sts.amazonaws.com\"}}")),
                arguments("IRSA-T004", trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                        "{\"StringLike\":{\"HOST:sub\":\"system:serviceaccount:dev:app-*\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}")),
                arguments("IRSA-T005", trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                        "{\"StringLike\":{\"HOST:sub\":\"system:serviceaccount:*\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}")),
                arguments("IRSA-T005", trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                        "{\"StringLike\":{\"HOST:sub\":\"*\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}")),
                arguments("IRSA-T006", trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                        "{\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:a\"},\"ForAllValues:StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}")),
                arguments("IRSA-T006", trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                        "{\"ForAnyValue:StringLike\":{\"HOST:sub\":\"system:serviceaccount:dev:a\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}")),
                arguments("IRSA-T007", trust(federated(), "\"sts:AssumeRole\"",
                        "{\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:a\",\"HOST:aud\":\"sts.amazonaws.com\"}}")),
                arguments("IRSA-T008", trust("\"*\"", "\"sts:AssumeRoleWithWebIdentity\"", null)),
                arguments("IRSA-T008", trust("{\"AWS\":\"*\"}", "\"sts:AssumeRole\"", null)),
                arguments("IRSA-T009", trust("{\"Service\":\"pods.eks.amazonaws.com\"}", "\"sts:AssumeRole\"",
                        "{\"StringEquals\":{\"aws:SourceAccount\":\"111122223333\"}}")),
                arguments("IRSA-T010", trust("{\"Service\":\"pods.eks.amazonaws.com\"}", "[\"sts:AssumeRole\",\"sts:TagSession\"]", null)),
                arguments("IRSA-T012", trust(federated(), "\"sts:*\"",
                        "{\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:a\",\"HOST:aud\":\"sts.amazonaws.com\"}}")),
                arguments("IRSA-T013", trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                        "{\"StringEqualz\":{\"HOST:sub\":\"system:serviceaccount:dev:a\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTrusts")
    void trustRules(String expectedId, String json) {
        LintReport report = PolicyLinter.lintTrust(TrustPolicy.fromJson(json));
        assertThat(ids(report)).contains(expectedId);
        Finding f = report.findings(expectedId).get(0);
        assertThat(f.message()).isNotBlank();
        assertThat(f.location()).startsWith("Statement[0]");
        assertThat(f.severity()).isEqualTo(ruleSeverity(expectedId));
    }

    static Severity ruleSeverity(String id) {
        return PolicyLinter.RULES.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow().severity();
    }

    @Test
    void gitLabTrustWithoutSubIsFlagged() {
        OidcProvider gitlab = OidcProvider.of("https://gitlab.com", "111122223333", "aws");
        String json = trust("{\"Federated\":\"" + gitlab.arn() + "\"}", "\"sts:AssumeRoleWithWebIdentity\"",
                "{\"StringEquals\":{\"gitlab.com:aud\":\"https://gitlab.com\"}}");
        LintReport report = PolicyLinter.lintTrust(TrustPolicy.fromJson(json));
        assertThat(ids(report)).containsExactly("IRSA-T001");
        assertThat(report.findings().get(0).message()).contains("gitlab.com:sub");
    }

    @Test
    void wildcardSubjectsNeedTheOptIn() {
        String json = (String) badTrusts().filter(a -> a.get()[0].equals("IRSA-T004")).findFirst().orElseThrow().get()[1];
        TrustPolicy trust = TrustPolicy.fromJson(json);
        assertThat(PolicyLinter.lintTrust(trust).hasErrors()).isTrue();
        LintReport optedIn = PolicyLinter.lintTrust(trust, LintOptions.builder().allowWildcardSubjects(true).build());
        assertThat(optedIn.hasErrors()).isFalse();
        assertThat(optedIn.findings("IRSA-T004")).extracting(Finding::severity).containsExactly(Severity.INFO);

        TrustPolicy viaPatternApi = TrustPolicy.irsa(b -> b.provider(CLUSTER).serviceAccountPattern("dev", "app-*"));
        assertThat(PolicyLinter.lintTrust(viaPatternApi).hasErrors()).isFalse();
        assertThat(PolicyLinter.lintTrust(viaPatternApi).findings("IRSA-T004")).hasSize(1);
    }

    @Test
    void wildcardOverEveryNamespaceIsAnErrorEvenWithOptIn() {
        String json = trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                "{\"StringLike\":{\"HOST:sub\":\"system:serviceaccount:*:deployer\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        LintReport report = PolicyLinter.lintTrust(TrustPolicy.fromJson(json), LintOptions.builder().allowWildcardSubjects(true).build());
        assertThat(report.errors()).extracting(Finding::id).containsExactly("IRSA-T005");
    }

    /*
     * Issue 13 findings 2 and 7. IAM condition operators
     * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
     * StringLike is case-sensitive and its values "can include multi-character match wildcards (*) and
     * single-character match wildcards (?) anywhere in the string"; StringEquals compares exactly, so the
     * same characters are literal there; ArnEquals and ArnLike both take '*' and '?'. So "?*" matches every
     * non-empty namespace, and a sub / aud is only as narrow as what its pattern can match.
     */
    static Stream<org.junit.jupiter.params.provider.Arguments> subjectsThatMatchMoreThanOneNamespaceOrProject() {
        return Stream.of(
                arguments("StringLike", "system:serviceaccount:?*:*"),
                arguments("StringLike", "system:serviceaccount:?*:default"),
                arguments("StringLike", "system:serviceaccount:de?:app"),
                arguments("StringLike", "system:serviceaccount:dev*:app"),
                arguments("StringLike", "system:serviceaccount:dev?app"),
                arguments("StringLike", "system:serviceaccount:?"),
                arguments("StringLike", "system:service?ccount:dev:app"),
                arguments("StringLike", "?*"),
                arguments("StringLike", "project_path:?*:ref_type:branch:ref:main"),
                arguments("StringLike", "project_path:group/*:ref_type:branch:ref:main"),
                arguments("ArnLike", "*"),
                arguments("ArnLike", "system:serviceaccount:*:default"),
                arguments("ArnEquals", "system:serviceaccount:?*:*"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("subjectsThatMatchMoreThanOneNamespaceOrProject")
    void aSubPatternThatCanMatchAnotherNamespaceOrProjectIsT005EvenWithTheOptIn(String operator, String sub) {
        String json = trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                "{\"" + operator + "\":{\"HOST:sub\":\"" + sub + "\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        LintReport report = PolicyLinter.lintTrust(TrustPolicy.fromJson(json), LintOptions.builder().allowWildcardSubjects(true).build());
        assertThat(report.errors()).extracting(Finding::id).containsExactly("IRSA-T005");
        assertThat(report.findings("IRSA-T005").get(0).location()).isEqualTo("Statement[0].Condition." + operator + "." + HOST + ":sub");
        assertThat(ids(report)).doesNotContain("IRSA-T004");
    }

    @Test
    void questionMarkNamespaceAdmitsKubeSystemAndIsAnError() {
        String json = trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                "{\"StringLike\":{\"HOST:sub\":\"system:serviceaccount:?*:*\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        // what the review found: the evaluator admits every service account of the cluster ...
        assertThat(TrustEvaluator.evaluate(json, WebIdentityRequest.serviceAccountToken(CLUSTER, new ServiceAccountRef("kube-system", "default")))
                .allowed()).isTrue();
        // ... so lint must not call it a pinned pattern (it used to say IRSA-T004 INFO with the opt-in)
        LintReport report = PolicyLinter.lintTrust(TrustPolicy.fromJson(json), LintOptions.builder().allowWildcardSubjects(true).build());
        assertThat(report.errors()).extracting(Finding::id).containsExactly("IRSA-T005");
    }

    @Test
    void gitLabProjectPatternIsT005NotAnOptInT004() {
        OidcProvider gitlab = OidcProvider.of("https://gitlab.com", "111122223333", "aws");
        String json = trust("{\"Federated\":\"" + gitlab.arn() + "\"}", "\"sts:AssumeRoleWithWebIdentity\"",
                "{\"StringLike\":{\"gitlab.com:sub\":\"project_path:?*:ref_type:branch:ref:main\"},\"StringEquals\":{\"gitlab.com:aud\":\"https://gitlab.com\"}}");
        LintReport report = PolicyLinter.lintTrust(TrustPolicy.fromJson(json), LintOptions.builder().allowWildcardSubjects(true).build());
        assertThat(report.errors()).extracting(Finding::id).containsExactly("IRSA-T005");
        assertThat(report.errors().get(0).message()).contains("project");
    }

    @Test
    void patternsPinnedToOneNamespaceOrProjectStayT004() {
        LintOptions optIn = LintOptions.builder().allowWildcardSubjects(true).build();
        for (String sub : List.of("system:serviceaccount:dev:*", "system:serviceaccount:dev:app-?", "system:serviceaccount:dev:?*")) {
            String json = trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                    "{\"StringLike\":{\"HOST:sub\":\"" + sub + "\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
            assertThat(ids(PolicyLinter.lintTrust(TrustPolicy.fromJson(json), optIn))).as(sub).containsExactly("IRSA-T004");
        }
        OidcProvider gitlab = OidcProvider.of("https://gitlab.com", "111122223333", "aws");
        assertThat(ids(PolicyLinter.lintTrust(TrustPolicy.gitLabOidc(b -> b.provider(gitlab).subject(GitLabSubject.branchPattern("g/p", "release/*"))))))
                .containsExactly("IRSA-T004");
    }

    @Test
    void aBroadPatternAndedWithAnExactSubjectIsPinnedByTheExactOne() {
        // Conditions are AND'd: the StringEquals value decides which service account gets in.
        String json = trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                "{\"StringLike\":{\"HOST:sub\":\"*\"},\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:a\",\"HOST:aud\":\"sts.amazonaws.com\"}}");
        LintReport report = PolicyLinter.lintTrust(TrustPolicy.fromJson(json), LintOptions.builder().allowWildcardSubjects(true).build());
        assertThat(ids(report)).doesNotContain("IRSA-T005");
        assertThat(report.hasErrors()).isFalse();
    }

    @Test
    void aSubConstrainedOnlyByANegationOrIfExistsIsUnconstrained() {
        for (String operator : List.of("StringNotEquals", "StringNotLike", "ArnNotLike", "StringLikeIfExists", "StringEqualsIfExists")) {
            String json = trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                    "{\"" + operator + "\":{\"HOST:sub\":\"system:serviceaccount:kube-system:*\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
            assertThat(PolicyLinter.lintTrust(TrustPolicy.fromJson(json)).errors()).as(operator).extracting(Finding::id).contains("IRSA-T001");
        }
    }

    @Test
    void anAudPatternIsT014() {
        for (String condition : List.of("{\"StringLike\":{\"HOST:aud\":\"*\"}}", "{\"StringLike\":{\"HOST:aud\":[\"sts.amazonaws.com\",\"?*\"]}}",
                "{\"ArnLike\":{\"HOST:aud\":\"sts.*\"}}")) {
            String json = trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"", condition.replace("}}",
                    "},\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:a\"}}"));
            LintReport report = PolicyLinter.lintTrust(TrustPolicy.fromJson(json));
            assertThat(report.errors()).as(condition).extracting(Finding::id).containsExactly("IRSA-T014");
        }
        String star = trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                "{\"StringLike\":{\"HOST:aud\":\"*\"},\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:a\"}}");
        assertThat(PolicyLinter.lintTrust(TrustPolicy.fromJson(star)).errors().get(0).message()).contains("every audience");
        // a literal aud under StringLike matches only itself: no finding
        String literal = trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                "{\"StringLike\":{\"HOST:aud\":\"sts.amazonaws.com\"},\"StringEquals\":{\"HOST:sub\":\"system:serviceaccount:dev:a\"}}");
        assertThat(PolicyLinter.lintTrust(TrustPolicy.fromJson(literal)).findings()).isEmpty();
    }

    @Test
    void arnLikeMatchAllSubIsTheSameFindingAsAMatchAllStringLike() {
        String json = trust(federated(), "\"sts:AssumeRoleWithWebIdentity\"",
                "{\"ArnLike\":{\"HOST:sub\":\"*\"},\"StringEquals\":{\"HOST:aud\":\"sts.amazonaws.com\"}}");
        assertThat(TrustEvaluator.evaluate(json, WebIdentityRequest.serviceAccountToken(CLUSTER, new ServiceAccountRef("kube-system", "default")))
                .allowed()).isTrue();
        assertThat(PolicyLinter.lintTrust(TrustPolicy.fromJson(json)).errors()).extracting(Finding::id).containsExactly("IRSA-T005");
    }

    @Test
    void trustSizeAgainstConfigurableQuota() {
        TrustPolicy big = TrustPolicy.builder().sizeQuota(10_000).addIrsa(b -> {
            b.provider(CLUSTER);
            for (int i = 0; i < 40; i++) {
                b.serviceAccount("dev", "service-account-" + i);
            }
        }).build();
        LintReport report = PolicyLinter.lintTrust(big);
        assertThat(ids(report)).containsExactly("IRSA-T011");
        assertThat(report.findings().get(0).message()).contains(String.valueOf(big.size())).contains("2048");
        assertThat(PolicyLinter.lintTrust(big, LintOptions.builder().trustSizeQuota(4096).build()).findings()).isEmpty();

        TrustPolicy seed = TrustPolicy.fromJson(Json.resource("/seed/trust-policy.json"));
        assertThat(ids(PolicyLinter.lintTrust(seed, LintOptions.builder().trustSizeQuota(seed.size()).build()))).isEmpty();
        assertThat(ids(PolicyLinter.lintTrust(seed, LintOptions.builder().trustSizeQuota(seed.size() - 1).build()))).containsExactly("IRSA-T011");
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> badPermissions() {
        return Stream.of(
                arguments("IRSA-P001", "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"),
                arguments("IRSA-P002", "{\"Effect\":\"Allow\",\"Action\":\"IAM:*\",\"Resource\":\"arn:aws:iam::111122223333:role/x\"}"),
                arguments("IRSA-P003", "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}"),
                arguments("IRSA-P004", "{\"Effect\":\"Allow\",\"Action\":[\"iam:CreatePolicyVersion\"],\"Resource\":\"arn:aws:iam::111122223333:policy/x\"}"),
                arguments("IRSA-P004", "{\"Effect\":\"Allow\",\"Action\":\"iam:Attach*\",\"Resource\":\"*\"}"),
                arguments("IRSA-P004", "{\"Effect\":\"Allow\",\"Action\":[\"iam:UpdateAssumeRolePolicy\",\"iam:CreateAccessKey\"],\"Resource\":\"*\"}"),
                arguments("IRSA-P004", "{\"Effect\":\"Allow\",\"Action\":\"iam:*LoginProfile\",\"Resource\":\"*\"}"),
                arguments("IRSA-P004", "{\"Effect\":\"Allow\",\"Action\":\"iam:AddUserToGroup\",\"Resource\":\"*\"}"),
                arguments("IRSA-P005", "{\"Effect\":\"Allow\",\"Action\":[\"iam:PassRole\",\"ec2:RunInstances\"],\"Resource\":\"arn:aws:iam::111122223333:role/app\"}"),
                arguments("IRSA-P005", "{\"Effect\":\"Allow\",\"Action\":[\"iam:PassRole\",\"lambda:*\"],\"Resource\":\"arn:aws:iam::111122223333:role/app\"}"),
                arguments("IRSA-P006", "{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"arn:aws:s3:::bucket/*\"}"),
                arguments("IRSA-P009", "{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}"),
                arguments("IRSA-P009", "{\"Effect\":\"Allow\",\"NotAction\":\"s3:GetObject\",\"NotResource\":\"arn:aws:s3:::bucket/*\"}"),
                arguments("IRSA-P004", "{\"Effect\":\"Allow\",\"NotAction\":\"s3:*\",\"Resource\":\"arn:aws:iam::111122223333:user/x\"}"),
                arguments("IRSA-P008", "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badPermissions")
    void permissionsRules(String expectedId, String statement) {
        PermissionsPolicy policy = PermissionsPolicy.fromJson("{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}");
        LintReport report = PolicyLinter.lintPermissions(policy);
        assertThat(ids(report)).contains(expectedId);
        assertThat(report.findings(expectedId).get(0).severity()).isEqualTo(ruleSeverity(expectedId));
        assertThat(report.findings(expectedId).get(0).hint()).isNotBlank();
    }

    /*
     * IAM NotAction (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html):
     * with "Effect": "Allow" it allows every action not listed, across all services, "potentially granting
     * more permissions than you intended". On Resource "*" that is the administrator minus the listed actions.
     */
    @Test
    void notActionOnEveryResourceIsAnAdministratorError() {
        PermissionsPolicy policy = PermissionsPolicy.fromJson(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":[\"s3:GetObject\"],\"Resource\":\"*\"}]}");
        LintReport report = PolicyLinter.lintPermissions(policy);
        assertThat(report.errors()).extracting(Finding::id).containsExactly("IRSA-P009");
        Finding admin = report.errors().get(0);
        assertThat(admin.message()).contains("iam included").contains("administrator");
        assertThat(admin.hint()).contains("Action").contains("Deny");
        assertThat(admin.location()).isEqualTo("Statement[0].NotAction");
        assertThatThrownBy(report::throwIfErrors).isInstanceOf(LintException.class);
    }

    @Test
    void notActionOnScopedResourcesStillReportsTheEscalationAndPassRoleRules() {
        PermissionsPolicy policy = PermissionsPolicy.fromJson("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"NotAction\":[\"s3:*\"],\"Resource\":\"arn:aws:iam::111122223333:role/app\"},"
                + "{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\"],\"Resource\":\"arn:aws:ec2:*:111122223333:instance/*\"}]}");
        LintReport report = PolicyLinter.lintPermissions(policy);
        assertThat(ids(report)).contains("IRSA-P006", "IRSA-P004", "IRSA-P005");
        assertThat(report.findings("IRSA-P004")).hasSize(1); // the statement that excludes iam:* grants no escalation
    }

    @Test
    void permissionsSizeLimit() {
        PermissionsPolicy.Builder b = PermissionsPolicy.builder();
        for (int i = 0; i < 80; i++) {
            int n = i;
            b.addStatement(s -> s.effect(IamEffect.ALLOW).addAction("s3:GetObject").addResource("arn:aws:s3:::bucket-number-" + n + "/*"));
        }
        PermissionsPolicy policy = b.build();
        assertThat(ids(PolicyLinter.lintPermissions(policy))).containsExactly("IRSA-P007");
        assertThat(PolicyLinter.lintPermissions(policy, LintOptions.builder().permissionsSizeLimit(10240).build()).findings()).isEmpty();
    }

    @Test
    void scopedPermissionsAreClean() {
        PermissionsPolicy policy = PermissionsPolicy.builder()
                .addStatement(s -> s.effect(IamEffect.ALLOW).addAction("eks:DescribeCluster").addResource("arn:aws:eks:eu-west-1:111122223333:cluster/devops"))
                .addStatement(s -> s.effect(IamEffect.ALLOW).addAction("iam:GetRole").addResource("arn:aws:iam::111122223333:role/eks-cluster-role"))
                .addStatement(s -> s.effect(IamEffect.DENY).addAction("*").addResource("*")
                        .addCondition(software.amazon.awssdk.policybuilder.iam.IamConditionOperator.BOOL, "aws:SecureTransport", "false"))
                .build();
        assertThat(PolicyLinter.lintPermissions(policy).findings()).isEmpty();
    }

    @Test
    void everyRuleIsDocumentedInLintRulesMarkdownAndJavadocTable() throws Exception {
        String markdown = Files.readString(Path.of("LINT-RULES.md"));
        String javadoc = Files.readString(Path.of("src/main/java/dev/irsa/policy/PolicyLinter.java"));
        assertThat(PolicyLinter.RULES).hasSizeGreaterThanOrEqualTo(20);
        for (PolicyLinter.Rule rule : PolicyLinter.RULES) {
            assertThat(markdown).as(rule.id()).contains("| " + rule.id() + " | " + rule.severity() + " |");
            assertThat(javadoc).as(rule.id()).contains("<tr><td>" + rule.id() + "</td><td>" + rule.severity());
        }
    }
}

package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.irsa.IrsaException;
import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import dev.irsa.aws.DesiredOidcProvider;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.RoleSpec;
import dev.irsa.binding.ServiceAccountSpec;
import dev.irsa.gitlab.api.GitLabValidators;
import dev.irsa.gitlab.api.RunnerSpec;
import dev.irsa.gitlab.stack.PipelineSettings;
import dev.irsa.gitlab.stack.RunnerSettings;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.lint.LintException;
import dev.irsa.policy.OidcProvider;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.policy.PolicyLinter;
import dev.irsa.policy.TrustPolicy;
import dev.irsa.validation.Validators;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Bad inputs: a table of invalid specs and arguments across every field. Each case runs the whole path a
 * user would (build the spec, then plan it through the {@code Irsa} facade against the sandbox), must fail
 * with the typed error naming the field (and rule; the value where there is one), and must have made ZERO
 * remote calls: the IAM/STS/EKS fakes' switchboard, the Kubernetes API server's request count, FakeGitLab's
 * call log and FakeHelm's call log are all compared before/after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {
    private static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    private static final String ACCOUNT = Sandbox.ACCOUNT;
    private Sandbox sb;
    private final List<String> passed = Collections.synchronizedList(new ArrayList<>());

    /** What a case must throw: a ValidationException on {@code field}, or a LintException carrying {@code field} as finding id. */
    record Case(String name, boolean lint, String field, Consumer<Sandbox> action) {
    }

    @BeforeAll
    void start() {
        sb = new Sandbox(true);
    }

    @AfterAll
    void stop() {
        System.out.printf("[reliability] bad-input corpus: %d invalid specs/arguments, %d rejected with a typed error naming "
                + "the field and zero remote calls%n", corpus().size(), passed.size());
        sb.close();
    }

    // ---------------------------------------------------------------- the valid walkthrough, to vary

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    static RunnerStack stack(Consumer<RoleBinding.Builder> binding, Consumer<RunnerSettings.Builder> runner,
                             Consumer<PipelineSettings.Builder> pipeline) {
        return RunnerStack.builder().name("seed")
                .binding(b -> {
                    b.cluster(ClusterRef.eks("devops", "eu-west-1")).serviceAccount("dev", "app-deployer").acceptLint("IRSA-P002")
                            .role(r -> r.name("eks-cluster-role")
                                    .inlinePolicy("eks-admin", PermissionsPolicy.fromJson(Sandbox.seed("eks-admin-policy.json"))));
                    binding.accept(b);
                })
                .runner(r -> {
                    r.gitlabUrl("https://gitlab.com").project("my-group/my-project").tags("k8s-dev-runner")
                            .releaseName("app-dev-runner").image("ubuntu:18.04").nodeSelector("nodepool", "dev");
                    runner.accept(r);
                })
                .pipeline(p -> {
                    p.branch("main").content(Sandbox.seed("gitlab-ci.yml"));
                    pipeline.accept(p);
                })
                .build();
    }

    static Consumer<Sandbox> binding(Consumer<RoleBinding.Builder> b) {
        return sb -> sb.irsa.plan(stack(b, r -> { }, p -> { }));
    }

    static Consumer<Sandbox> role(Consumer<RoleSpec.Builder> role) {
        return binding(b -> b.role(role));
    }

    static Consumer<Sandbox> runner(Consumer<RunnerSettings.Builder> r) {
        return sb -> sb.irsa.plan(stack(b -> { }, r, p -> { }));
    }

    static Consumer<Sandbox> pipeline(Consumer<PipelineSettings.Builder> p) {
        return sb -> sb.irsa.plan(stack(b -> { }, r -> { }, p));
    }

    static PermissionsPolicy policy(String json) {
        return PermissionsPolicy.fromJson(json);
    }

    static String allow(String action, String sid) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"" + sid + "\",\"Effect\":\"Allow\",\"Action\":\"" + action
                + "\",\"Resource\":\"*\"}]}";
    }

    static String trust(String principalType, String principal, String action, String conditions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"" + principalType + "\":\""
                + principal + "\"},\"Action\":\"" + action + "\"" + (conditions == null ? "" : ",\"Condition\":" + conditions) + "}]}";
    }

    static final String PROVIDER_ARN = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    static final String KEY = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

    static Consumer<Sandbox> lintTrust(String json) {
        return sb -> PolicyLinter.lintTrust(TrustPolicy.fromJson(json)).throwIfErrors();
    }

    static List<Case> corpus() {
        List<Case> c = new ArrayList<>();
        // ---- IAM role
        c.add(new Case("role name of 65 characters", false, "role.name", role(r -> r.name(repeat('r', 65)))));
        c.add(new Case("role name with /", false, "role.name", role(r -> r.name("ci/deployer"))));
        c.add(new Case("role name with a space", false, "role.name", role(r -> r.name("eks cluster role"))));
        c.add(new Case("role name empty", false, "role.name", role(r -> r.name(""))));
        c.add(new Case("role name with non-ASCII", false, "role.name", role(r -> r.name("rôle"))));
        c.add(new Case("role path without slashes", false, "role.path", role(r -> r.path("ci"))));
        c.add(new Case("role path without trailing slash", false, "role.path", role(r -> r.path("/ci"))));
        c.add(new Case("role path of 513 characters", false, "role.path", role(r -> r.path("/" + repeat('p', 511) + "/"))));
        c.add(new Case("max session 3599 s", false, "role.maxSessionDuration", role(r -> r.maxSessionDurationSeconds(3599))));
        c.add(new Case("max session 43201 s", false, "role.maxSessionDuration", role(r -> r.maxSessionDurationSeconds(43201))));
        c.add(new Case("managed policy ARN of S3", false, "role.managedPolicyArns", role(r -> r.managedPolicyArn("arn:aws:s3:::bucket"))));
        c.add(new Case("managed policy given by name", false, "role.managedPolicyArns", role(r -> r.managedPolicyArn("AdministratorAccess"))));
        c.add(new Case("permissions boundary not an ARN", false, "role.permissionsBoundary", role(r -> r.permissionsBoundaryArn("boundary"))));
        c.add(new Case("tag under irsa.dev/", false, "role.tags", role(r -> r.tag("irsa.dev/stack", "other"))));
        c.add(new Case("tag key of 129 characters", false, "role.tags", role(r -> r.tag(repeat('k', 129), "v"))));
        c.add(new Case("tag value of 257 characters", false, "role.tags", role(r -> r.tag("team", repeat('v', 257)))));
        c.add(new Case("51 tags", false, "role.tags", role(r -> IntStream.range(0, 51).forEach(i -> r.tag("t" + i, "v")))));
        c.add(new Case("tag key with forbidden character", false, "role.tags", role(r -> r.tag("team#1", "v"))));
        c.add(new Case("description of 1001 characters", false, "role.description", role(r -> r.description(repeat('d', 1001)))));
        c.add(new Case("inline policy with non-Latin-1 characters", false, "permissionsPolicy",
                role(r -> r.inlinePolicy("eks-admin", policy(allow("s3:GetObject", "Lesen\u2192Bucket"))))));
        c.add(new Case("inline policy name with a space", false, "role.inlinePolicies",
                role(r -> r.inlinePolicy("eks admin", policy(allow("s3:GetObject", "read"))))));
        c.add(new Case("inline policies over 10240 characters", false, "role.inlinePolicies", role(r -> IntStream.range(0, 60)
                .forEach(i -> r.inlinePolicy("p" + i, policy(allow("s3:GetObject", "s" + repeat('x', 200))))))));
        c.add(new Case("admin policy (Action *) not accepted", true, "IRSA-P001", role(r -> r.inlinePolicy("admin", policy(allow("*", "all"))))));
        c.add(new Case("iam:* without accepting IRSA-P002", true, "IRSA-P002", sb -> sb.irsa.plan(RunnerStack.builder().name("seed")
                .binding(b -> b.cluster(ClusterRef.eks("devops", "eu-west-1")).serviceAccount("dev", "app-deployer")
                        .role(r -> r.name("eks-cluster-role").inlinePolicy("eks-admin", policy(Sandbox.seed("eks-admin-policy.json")))))
                .runner(r -> r.gitlabUrl("https://gitlab.com").project("my-group/my-project").tags("k8s-dev-runner").releaseName("app-dev-runner"))
                .build())));
        c.add(new Case("iam:PassRole on *", true, "IRSA-P003", role(r -> r.inlinePolicy("pass", policy(allow("iam:PassRole", "pass"))))));
        c.add(new Case("privilege escalation action", true, "IRSA-P004", role(r -> r.inlinePolicy("esc", policy(allow("iam:CreatePolicyVersion", "esc"))))));
        c.add(new Case("policy JSON that is not JSON", false, "", sb -> PermissionsPolicy.fromJson("{not json")));
        // ---- cluster and account
        c.add(new Case("cluster name with a space", false, "cluster.name", binding(b -> b.cluster(ClusterRef.eks("dev ops", "eu-west-1")))));
        c.add(new Case("cluster name of 101 characters", false, "cluster.name", binding(b -> b.cluster(ClusterRef.eks(repeat('c', 101), "eu-west-1")))));
        c.add(new Case("region in capitals", false, "cluster.region", binding(b -> b.cluster(ClusterRef.eks("devops", "EU_WEST_1")))));
        c.add(new Case("http:// issuer", false, "cluster.issuerUrl", binding(b -> b.cluster(ClusterRef.issuer(ISSUER.replace("https", "http"), ACCOUNT, "aws")))));
        c.add(new Case("issuer with a port", false, "cluster.issuerUrl", binding(b -> b.cluster(ClusterRef.issuer(
                "https://oidc.eks.eu-west-1.amazonaws.com:8443/id/EXAMPLE", ACCOUNT, "aws")))));
        c.add(new Case("issuer with a query", false, "cluster.issuerUrl", binding(b -> b.cluster(ClusterRef.issuer(ISSUER + "?x=1", ACCOUNT, "aws")))));
        c.add(new Case("issuer of 256 characters", false, "cluster.issuerUrl", binding(b -> b.cluster(ClusterRef.issuer(
                "https://oidc.example.com/" + repeat('i', 231), ACCOUNT, "aws")))));
        c.add(new Case("issuer not a URL", false, "cluster.issuerUrl", binding(b -> b.cluster(ClusterRef.issuer("oidc.example.com", ACCOUNT, "aws")))));
        c.add(new Case("account id of 11 digits", false, "cluster.accountId", binding(b -> b.cluster(ClusterRef.issuer(ISSUER, "11112222333", "aws")))));
        c.add(new Case("account id with letters", false, "cluster.accountId", binding(b -> b.cluster(ClusterRef.issuer(ISSUER, "11112222333x", "aws")))));
        c.add(new Case("unknown partition", false, "cluster.partition", binding(b -> b.cluster(ClusterRef.issuer(ISSUER, ACCOUNT, "aws-moon")))));
        c.add(new Case("China issuer in the aws partition", false, "oidcProvider.partition", binding(b -> b.cluster(ClusterRef.issuer(
                "https://oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLE", ACCOUNT, "aws")))));
        c.add(new Case("Pod Identity without a cluster name", false, "cluster.name", binding(b -> b.mode(IdentityMode.POD_IDENTITY)
                .cluster(ClusterRef.issuer(ISSUER, ACCOUNT, "aws")))));
        c.add(new Case("GitLab OIDC binding in a runner stack", false, "binding", binding(b -> b.mode(IdentityMode.GITLAB_OIDC)
                .gitlabOidc(g -> g.issuerUrl("https://gitlab.com").branch("my-group/my-project", "main")))));
        c.add(new Case("stack name with capitals and !", false, "stack.name", sb -> sb.irsa.plan(
                stack(b -> { }, r -> { }, p -> { }).toBuilder().name("Seed!").build())));
        // ---- service account
        c.add(new Case("namespace My_NS", false, "serviceAccount.namespace", binding(b -> b.serviceAccount("My_NS", "app-deployer"))));
        c.add(new Case("namespace of 64 characters", false, "serviceAccount.namespace", binding(b -> b.serviceAccount(repeat('n', 64), "app-deployer"))));
        c.add(new Case("namespace starting with -", false, "serviceAccount.namespace", binding(b -> b.serviceAccount("-dev", "app-deployer"))));
        c.add(new Case("SA name of 254 characters", false, "serviceAccount.name", binding(b -> b.serviceAccount("dev", repeat('s', 254)))));
        c.add(new Case("SA name with a space", false, "serviceAccount.name", binding(b -> b.serviceAccount("dev", "app deployer"))));
        c.add(new Case("SA name in capitals", false, "serviceAccount.name", binding(b -> b.serviceAccount("dev", "AppDeployer"))));
        c.add(new Case("blank audience", false, "serviceAccount.audience", binding(b -> b.serviceAccount(s -> s.namespace("dev").name("app-deployer").audience(" ")))));
        // ---- trust policies (the linter's ERRORs refuse them)
        String subAud = "{\"StringEquals\":{\"" + KEY + ":sub\":\"system:serviceaccount:dev:app-deployer\",\"" + KEY + ":aud\":\"sts.amazonaws.com\"}}";
        c.add(new Case("wildcard sub under StringEquals", true, "IRSA-T003", lintTrust(trust("Federated", PROVIDER_ARN, "sts:AssumeRoleWithWebIdentity",
                "{\"StringEquals\":{\"" + KEY + ":sub\":\"system:serviceaccount:dev:*\",\"" + KEY + ":aud\":\"sts.amazonaws.com\"}}"))));
        c.add(new Case("trust without sub", true, "IRSA-T001", lintTrust(trust("Federated", PROVIDER_ARN, "sts:AssumeRoleWithWebIdentity",
                "{\"StringEquals\":{\"" + KEY + ":aud\":\"sts.amazonaws.com\"}}"))));
        c.add(new Case("trust without aud", true, "IRSA-T002", lintTrust(trust("Federated", PROVIDER_ARN, "sts:AssumeRoleWithWebIdentity",
                "{\"StringEquals\":{\"" + KEY + ":sub\":\"system:serviceaccount:dev:app-deployer\"}}"))));
        c.add(new Case("ForAllValues on sub", true, "IRSA-T006", lintTrust(trust("Federated", PROVIDER_ARN, "sts:AssumeRoleWithWebIdentity",
                "{\"ForAllValues:StringEquals\":{\"" + KEY + ":sub\":\"system:serviceaccount:dev:app-deployer\"},\"StringEquals\":{\""
                        + KEY + ":aud\":\"sts.amazonaws.com\"}}"))));
        c.add(new Case("Federated principal with sts:AssumeRole", true, "IRSA-T007", lintTrust(trust("Federated", PROVIDER_ARN, "sts:AssumeRole", subAud))));
        c.add(new Case("principal *", true, "IRSA-T008", lintTrust(trust("AWS", "*", "sts:AssumeRole", null))));
        c.add(new Case("sub pattern admitting every subject", true, "IRSA-T005", lintTrust(trust("Federated", PROVIDER_ARN, "sts:AssumeRoleWithWebIdentity",
                "{\"StringLike\":{\"" + KEY + ":sub\":\"*\"},\"StringEquals\":{\"" + KEY + ":aud\":\"sts.amazonaws.com\"}}"))));
        c.add(new Case("trust over the 2048 size quota", false, "trustPolicy", sb -> PolicyLinter.lintTrust(TrustPolicy.irsa(s -> {
            s.provider(OidcProvider.of(ISSUER, ACCOUNT, "aws"));
            IntStream.range(0, 40).forEach(i -> s.serviceAccount("namespace-" + i, "service-account-" + i));
        })).throwIfErrors()));
        c.add(new Case("trust with an unknown condition operator", true, "IRSA-T013", lintTrust(trust("Federated", PROVIDER_ARN,
                "sts:AssumeRoleWithWebIdentity", "{\"StringEqualz\":{\"" + KEY + ":sub\":\"system:serviceaccount:dev:app-deployer\",\""
                        + KEY + ":aud\":\"sts.amazonaws.com\"}}"))));
        c.add(new Case("Pod Identity trust without sts:TagSession", true, "IRSA-T009", lintTrust(trust("Service", "pods.eks.amazonaws.com",
                "sts:AssumeRole", "{\"StringEquals\":{\"aws:SourceAccount\":\"" + ACCOUNT + "\"}}"))));
        // ---- ARNs, providers
        c.add(new Case("role ARN of another partition", false, "roleArn", sb -> Validators.arnInScope("roleArn",
                "arn:aws-cn:iam::" + ACCOUNT + ":role/eks-cluster-role", "aws", ACCOUNT)));
        c.add(new Case("role ARN of another account", false, "roleArn", sb -> Validators.arnInScope("roleArn",
                "arn:aws:iam::999988887777:role/eks-cluster-role", "aws", ACCOUNT)));
        c.add(new Case("provider ARN that is a role ARN", false, "", sb -> OidcProvider.fromArn("arn:aws:iam::" + ACCOUNT + ":role/x")));
        c.add(new Case("OIDC provider thumbprint not 40 hex", false, "oidcProvider.thumbprints", sb -> sb.aws.oidcProviders().ensure(
                new DesiredOidcProvider(ISSUER, List.of("sts.amazonaws.com"), List.of("abc")), dev.irsa.aws.Ownership.of("seed"), false)));
        c.add(new Case("OIDC provider with 101 client ids", false, "oidcProvider.clientIds", sb -> sb.aws.oidcProviders().ensure(
                new DesiredOidcProvider(ISSUER, IntStream.range(0, 101).mapToObj(i -> "aud-" + i).toList(), List.of()),
                dev.irsa.aws.Ownership.of("seed"), false)));
        c.add(new Case("OIDC provider over http", false, "oidcProvider.issuerUrl", sb -> sb.aws.oidcProviders().ensure(
                new DesiredOidcProvider(ISSUER.replace("https", "http"), List.of("sts.amazonaws.com"), List.of()),
                dev.irsa.aws.Ownership.of("seed"), false)));
        // ---- runner
        c.add(new Case("51 runner tags", false, "runner.tags", runner(r -> r.tags(IntStream.range(0, 51).mapToObj(i -> "tag-" + i).toList()))));
        c.add(new Case("blank runner tag", false, "runner.tags", runner(r -> r.tags(" "))));
        c.add(new Case("runner without tags that skips untagged jobs", false, "runner.tags", sb -> sb.irsa.plan(stack(b -> { },
                r -> r.tags(List.of()), p -> { }).toBuilder().runner(RunnerSettings.of(r -> r.gitlabUrl("https://gitlab.com")
                .project("my-group/my-project").releaseName("app-dev-runner"))).build())));
        c.add(new Case("Helm release name of 54 characters", false, "runner.release", runner(r -> r.releaseName(repeat('a', 54)))));
        c.add(new Case("Helm release name App_Dev", false, "runner.release", runner(r -> r.releaseName("App_Dev"))));
        c.add(new Case("GitLab URL with ftp://", false, "runner.gitlabUrl", runner(r -> r.gitlabUrl("ftp://gitlab.com"))));
        c.add(new Case("GitLab URL with a query", false, "runner.gitlabUrl", runner(r -> r.gitlabUrl("https://gitlab.com/?x=1"))));
        c.add(new Case("GitLab project path with a space", false, "runner.project", runner(r -> r.project("my group/my project"))));
        c.add(new Case("group runner whose stack names no pipeline project", false, "pipeline.project", runner(r -> r.group("my-group"))));
        c.add(new Case("runner name Runner_1", false, "runner.name", runner(r -> r.name("Runner_1"))));
        c.add(new Case("release namespace Prod_NS", false, "runner.releaseNamespace", runner(r -> r.releaseNamespace("Prod_NS"))));
        c.add(new Case("Secret name Bad_Secret", false, "runner.secretName", runner(r -> r.secretName("Bad_Secret"))));
        c.add(new Case("concurrent 0", false, "runner.concurrent", runner(r -> r.concurrent(0))));
        c.add(new Case("legacy registration token where glrt- is expected", false, "runner.token",
                sb -> GitLabValidators.runnerToken("runner.token", SecretString.of("GR1348941aBcDeFgHiJkLmNoPqRs"))));
        c.add(new Case("personal access token where glrt- is expected", false, "runner.token",
                sb -> GitLabValidators.runnerToken("runner.token", SecretString.of("glpat-aBcDeFgHiJkLmNoPqRs"))));
        c.add(new Case("runner maximum timeout 599 s", false, "runner.maximumTimeout", sb -> RunnerSpec.builder().stack("seed").name("runner")
                .projectId(1).tags(List.of("k8s-dev-runner")).maximumTimeoutSeconds(599).build()));
        // ---- pipeline
        c.add(new Case("pipeline branch with ..", false, "pipeline.branch", pipeline(p -> p.branch("main..dev"))));
        c.add(new Case("pipeline path with ..", false, "pipeline.path", pipeline(p -> p.path("../.gitlab-ci.yml"))));
        c.add(new Case("pipeline path absolute", false, "pipeline.path", pipeline(p -> p.path("/.gitlab-ci.yml"))));
        c.add(new Case("pipeline content blank", false, "pipeline.content", pipeline(p -> p.content("  "))));
        // ---- YAML spec
        c.add(new Case("YAML spec with namespace My_NS", false, "serviceAccount.namespace", sb -> sb.irsa.plan(RunnerStack.fromYaml(
                yaml().replace("namespace: dev", "namespace: My_NS")))));
        c.add(new Case("YAML spec with a 65-character role name", false, "role.name", sb -> sb.irsa.plan(RunnerStack.fromYaml(
                yaml().replace("name: eks-cluster-role", "name: " + repeat('r', 65))))));
        c.add(new Case("YAML spec with 51 runner tags", false, "runner.tags", sb -> sb.irsa.plan(RunnerStack.fromYaml(
                yaml().replace("    - k8s-dev-runner", String.join("\n", IntStream.range(0, 51).mapToObj(i -> "    - t" + i).toList()))))));
        // issue 13: trust wildcards and scoped lint acceptance
        String aud = ",\"StringEquals\":{\"" + KEY + ":aud\":\"sts.amazonaws.com\"}}";
        c.add(new Case("serviceAccountPattern(\"?*\", \"*\") (every namespace)", false, "irsa.serviceAccountPattern.namespace",
                sb -> TrustPolicy.irsa(b -> b.provider(OidcProvider.of(ISSUER, ACCOUNT, "aws")).serviceAccountPattern("?*", "*"))));
        c.add(new Case("JSON trust with sub system:serviceaccount:?*:*", true, "IRSA-T005", lintTrust(trust("Federated", PROVIDER_ARN,
                "sts:AssumeRoleWithWebIdentity", "{\"StringLike\":{\"" + KEY + ":sub\":\"system:serviceaccount:?*:*\"}" + aud))));
        c.add(new Case("GitLab trust with sub project_path:?*:...", true, "IRSA-T005", lintTrust(trust("Federated",
                "arn:aws:iam::" + ACCOUNT + ":oidc-provider/gitlab.com", "sts:AssumeRoleWithWebIdentity",
                "{\"StringLike\":{\"gitlab.com:sub\":\"project_path:?*:ref_type:branch:ref:main\"},"
                        + "\"StringEquals\":{\"gitlab.com:aud\":\"https://gitlab.com\"}}"))));
        c.add(new Case("trust with ArnLike sub *", true, "IRSA-T005", lintTrust(trust("Federated", PROVIDER_ARN,
                "sts:AssumeRoleWithWebIdentity", "{\"ArnLike\":{\"" + KEY + ":sub\":\"*\"}" + aud))));
        c.add(new Case("trust with StringLike aud *", true, "IRSA-T014", lintTrust(trust("Federated", PROVIDER_ARN,
                "sts:AssumeRoleWithWebIdentity", "{\"StringEquals\":{\"" + KEY + ":sub\":\"system:serviceaccount:dev:app-deployer\"},"
                        + "\"StringLike\":{\"" + KEY + ":aud\":\"*\"}}"))));
        c.add(new Case("Allow NotAction s3:GetObject on * (administrator)", true, "IRSA-P009", role(r -> r.inlinePolicy("all-but-read",
                policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":[\"s3:GetObject\"],\"Resource\":\"*\"}]}")))));
        c.add(new Case("bare acceptLint IRSA-P002 with iam:* in two inline policies", false, "acceptLint",
                role(r -> r.inlinePolicy("ci-extra", policy(allow("iam:*", "more"))))));
        c.add(new Case("acceptLint scoped to a policy the role does not have", false, "acceptLint",
                binding(b -> b.acceptLint("IRSA-P002@eks-amdin"))));
        c.add(new Case("acceptLint entry that is not a finding id", false, "acceptLint", binding(b -> b.acceptLint("P002"))));
        c.add(new Case("YAML spec with acceptLint: [null]", false, "acceptLint", sb -> sb.irsa.plan(RunnerStack.fromYaml(
                yaml().replace("  - IRSA-P002@eks-admin", "  - IRSA-P002@eks-admin\n  - null")))));
        // issue 13: YAML specs, validation up front, nulls named
        c.add(new Case("YAML spec with a duplicate key", false, "runner.release", yamlSpec(y -> y.replace("  release: app-dev-runner\n",
                "  release: app-dev-runner\n  release: other-runner\n"))));
        c.add(new Case("YAML spec with a second document", false, "(document)", yamlSpec(y -> y + "---\nname: other\n")));
        c.add(new Case("YAML spec with an alias to no anchor", false, "serviceAccount.namespace", yamlSpec(y -> y.replace("  namespace: dev\n",
                "  namespace: *kube-system\n"))));
        c.add(new Case("YAML spec with a merge key", false, "runner.nodeSelector", yamlSpec(y -> y.replace("    nodepool: dev\n",
                "    <<: {nodepool: dev}\n"))));
        c.add(new Case("YAML spec over 3 MiB (20 MB)", false, "(document)", yamlSpec(y -> y + "#" + repeat('x', 20 * 1024 * 1024) + "\n")));
        c.add(new Case("YAML spec with a null runner tag", false, "runner.tags[1]", yamlSpec(y -> y.replace("    - k8s-dev-runner\n",
                "    - k8s-dev-runner\n    - null\n"))));
        c.add(new Case("YAML spec with acceptLint [null]", false, "acceptLint[0]", yamlSpec(y -> y.replace("  - IRSA-P002@eks-admin\n", "  - null\n"))));
        c.add(new Case("YAML spec with managedPolicyArns [null]", false, "role.managedPolicyArns[0]", yamlSpec(y -> y.replace("  description:",
                "  managedPolicyArns: [null]\n  description:"))));
        c.add(new Case("YAML spec with a null nodeSelector value", false, "runner.nodeSelector[nodepool]", yamlSpec(y -> y.replace(
                "    nodepool: dev\n", "    nodepool: null\n"))));
        c.add(new Case("YAML spec with an image with a newline", false, "runner.image", yamlSpec(y -> y.replace("  image: ubuntu:18.04\n",
                "  image: \"ubuntu:18.04\\nprivileged = true\"\n"))));
        c.add(new Case("runner tag with a comma", false, "runner.tags[0]", runner(r -> r.tags("k8s,dev"))));
        c.add(new Case("runner tag with surrounding spaces", false, "runner.tags[0]", runner(r -> r.tags(" k8s-dev-runner "))));
        c.add(new Case("duplicate runner tags", false, "runner.tags[1]", runner(r -> r.tags("k8s-dev-runner", "k8s-dev-runner"))));
        c.add(new Case("runner tag of 256 characters", false, "runner.tags[0]", runner(r -> r.tags(repeat('t', 256)))));
        c.add(new Case("null runner tag", false, "runner.tags[1]", runner(r -> r.tags("k8s-dev-runner", null))));
        c.add(new Case("environment with a null runner tag", false, "environments.prod.tags[0]", sb -> sb.irsa.plan(stack(b -> { }, r -> { },
                p -> { }).toBuilder().environment("prod", e -> e.tags(java.util.Arrays.asList((String) null))).build())));
        c.add(new Case("nodeSelector key with a space", false, "runner.nodeSelector", runner(r -> r.nodeSelector("node pool", "dev"))));
        c.add(new Case("nodeSelector key with two slashes", false, "runner.nodeSelector", runner(r -> r.nodeSelector("a/b/c", "dev"))));
        c.add(new Case("nodeSelector value of 64 characters", false, "runner.nodeSelector[nodepool]", runner(r -> r.nodeSelector("nodepool",
                repeat('d', 64)))));
        c.add(new Case("null nodeSelector value", false, "runner.nodeSelector[nodepool]", runner(r -> r.nodeSelector("nodepool", null))));
        c.add(new Case("job image with a newline", false, "runner.image", runner(r -> r.image("ubuntu:18.04\nprivileged = true"))));
        c.add(new Case("job image with upper case", false, "runner.image", runner(r -> r.image("Ubuntu:18.04"))));
        c.add(new Case("null managed policy ARN", false, "role.managedPolicyArns[0]", role(r -> r.managedPolicyArn(null))));
        c.add(new Case("null accepted lint id (after the stack's own)", false, "acceptLint[1]", binding(b -> b.acceptLint((String) null))));
        // issue 13: tokens stay home (http:// only for loopback unless allowInsecureHttp; names are never resolved)
        for (String insecure : List.of("http://gitlab.example.test", "http://127.0.0.1.nip.io", "http://[::2]:8080",
                "https://oauth2:glpat-Xq3vR8sLm2NpT7wZ4yKd@gitlab.example.test", "https://gitlab.example.test/?private_token=glpat-x")) {
            c.add(new Case("GitLab API URL " + insecure.replace("Xq3vR8sLm2NpT7wZ4yKd", "…") + " (token in clear or in the URL)", false, "gitlab.url",
                    sb -> new dev.irsa.gitlab.api.GitLabExecutor(dev.irsa.gitlab.api.GitLabConnection.builder().url(insecure)
                            .accessToken(SecretString.of("glpat-Xq3vR8sLm2NpT7wZ4yKd")).build())));
        }
        // issue 14: real endpoints
        c.add(new Case("real endpoints without the GitLab token variable", false, "gitlab.token", sb -> dev.irsa.gitlab.stack.StackEndpoints
                .builder().environment(java.util.Map.<String, String>of()::get).gitlabUrl("https://gitlab.com").open()));
        c.add(new Case("real endpoints with a blank GitLab token variable", false, "gitlab.token", sb -> dev.irsa.gitlab.stack.StackEndpoints
                .builder().environment(java.util.Map.of("IRSA_GITLAB_TOKEN", " ")::get).gitlabUrl("https://gitlab.com").open()));
        c.add(new Case("real endpoints with a kubeconfig file that is not there", false, "kubernetes.kubeconfig", sb -> dev.irsa.IrsaEndpoints
                .builder().kubeconfig(java.nio.file.Path.of("target", "no-such-kubeconfig")).region("eu-west-1").open()));
        c.add(new Case("real endpoints with region eu-west", false, "aws.region", sb -> dev.irsa.IrsaEndpoints.builder().region("eu-west")));
        c.add(new Case("real endpoints with a blank AWS profile", false, "aws.profile", sb -> dev.irsa.IrsaEndpoints.builder().profile(" ")));
        c.add(new Case("Kubernetes request retries -1", false, "kubernetes.requestRetries",
                sb -> dev.irsa.kubernetes.KubernetesExecutor.builder().requestRetries(-1)));
        // issue 14: many bindings as one plan, specs without a runner
        RoleBinding first = Sandbox.walkthrough();
        RoleBinding second = first.toBuilder().name("other").role(r -> r.name("other-role")).serviceAccount("dev", "other").build();
        c.add(new Case("bindings sharing a provider with two owners", false, "binding other.providerOwner",
                sb -> sb.irsa.irsa().applyAll(List.of(first, second))));
        c.add(new Case("two bindings with one role", false, "bindings[1].role.name",
                sb -> sb.irsa.irsa().applyAll(List.of(first, second.toBuilder().providerOwner(Sandbox.STACK).role(first.role()).build()))));
        c.add(new Case("two bindings with one name", false, "bindings[1].name",
                sb -> sb.irsa.irsa().destroyAll(List.of(first, second.toBuilder().name(Sandbox.STACK).build()))));
        c.add(new Case("two bindings with one service account", false, "bindings[1].serviceAccount",
                sb -> sb.irsa.irsa().applyAll(List.of(first, second.toBuilder().providerOwner(Sandbox.STACK).serviceAccount("dev", "app-deployer").build()))));
        c.add(new Case("no bindings", false, "bindings", sb -> sb.irsa.irsa().applyAll(List.of())));
        c.add(new Case("two stacks with one name", false, "stacks[1].name",
                sb -> sb.irsa.applyAll(List.of(stack(b -> { }, r -> { }, p -> { }), stack(b -> { }, r -> { }, p -> { })), dev.irsa.plan.ApplyListener.NONE)));
        c.add(new Case("spec without a runner, a binding without a role name", false, "bindings[0].role.name",
                sb -> dev.irsa.gitlab.stack.StackSpec.fromYaml("name: x\nmode: gitlab-oidc\naccountId: \"111122223333\"\nbindings:\n"
                        + "  - name: a\n    role: {}\n    gitlabOidc: {project: g/p, branch: main}\n")));
        c.add(new Case("spec without a runner with a pipeline", false, "pipeline",
                sb -> dev.irsa.gitlab.stack.StackSpec.fromYaml("name: x\nmode: gitlab-oidc\naccountId: \"111122223333\"\nrole: {name: r}\n"
                        + "gitlabOidc: {project: g/p, branch: main}\npipeline: {content: \"a: b\"}\n")));
        // issue 17: preflight
        c.add(new Case("preflight with neither endpoints nor executors", false, "preflight", sb -> dev.irsa.Preflight.builder().build()));
        c.add(new Case("preflight with lock namespace Bad_NS", false, "lock.namespace",
                sb -> dev.irsa.Preflight.builder().lockNamespace(java.util.Optional.of("Bad_NS"))));
        c.add(new Case("Kubernetes access in namespace -dev", false, "access.namespace",
                sb -> dev.irsa.kubernetes.AccessRequest.namespaced("", "secrets", "-dev", "get")));
        c.add(new Case("Kubernetes access with no verb", false, "access.verbs",
                sb -> dev.irsa.kubernetes.AccessRequest.clusterScoped("", "namespaces")));
        c.add(new Case("GitLab membership of project path a//b", false, "gitlab.project",
                sb -> new dev.irsa.gitlab.api.GitLabExecutor(dev.irsa.gitlab.api.GitLabConnection.builder().url(sb.gitlab.url())
                        .accessToken(SecretString.of("glpat-x")).build()).tokenAccess().accessLevel("a//b", false, 1)));
        return c;
    }

    static Consumer<Sandbox> yamlSpec(java.util.function.UnaryOperator<String> edit) {
        return sb -> sb.irsa.plan(RunnerStack.fromYaml(edit.apply(yaml())));
    }

    static String yaml() {
        try (var in = BadInputCorpusTest.class.getResourceAsStream("/stacks/seed.yaml")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyInvalidInputIsRejectedBeforeAnyRemoteCall() {
        List<Case> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(60);
        return corpus.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(Case c) {
        sb.faults.reset();
        int k8sBefore = sb.cluster.server().getRequestCount();
        int gitlabBefore = sb.gitlab.calls().size();
        int helmBefore = sb.helm.calls().size();
        int iamBefore = sb.iam.calls().all().size();
        int stsBefore = sb.sts.calls().all().size();
        int eksBefore = sb.eks.calls().all().size();
        IrsaException thrown = null;
        try {
            c.action().accept(sb);
        } catch (IrsaException e) {
            thrown = e;
        } catch (RuntimeException e) {
            fail(c.name() + ": expected a typed irsa error, got " + e, e);
        }
        assertThat(thrown).as(c.name() + ": accepted, should have been rejected").isNotNull();
        if (c.lint()) {
            assertThat(thrown).as(c.name()).isInstanceOf(LintException.class);
            assertThat(((LintException) thrown).findings()).as(c.name()).anySatisfy(f -> assertThat(f.id()).isEqualTo(c.field()));
        } else {
            assertThat(thrown).as(c.name() + ": " + thrown).isInstanceOf(ValidationException.class);
            ValidationException v = (ValidationException) thrown;
            assertThat(v.field()).as(c.name() + ": field of " + v.getMessage()).startsWith(c.field());
            assertThat(v.rule()).as(c.name()).isNotBlank();
            assertThat(v.getMessage()).as(c.name()).contains(v.field());
        }
        assertThat(sb.faults.total()).as(c.name() + ": AWS/Kubernetes/Helm calls " + sb.faults.log()).isZero();
        assertThat(sb.cluster.server().getRequestCount()).as(c.name() + ": Kubernetes API requests").isEqualTo(k8sBefore);
        assertThat(sb.gitlab.calls().size()).as(c.name() + ": GitLab calls").isEqualTo(gitlabBefore);
        assertThat(sb.helm.calls().size()).as(c.name() + ": Helm calls").isEqualTo(helmBefore);
        assertThat(sb.iam.calls().all().size() + sb.sts.calls().all().size() + sb.eks.calls().all().size())
                .as(c.name() + ": IAM/STS/EKS fake call logs").isEqualTo(iamBefore + stsBefore + eksBefore);
        passed.add(c.name());
    }
}

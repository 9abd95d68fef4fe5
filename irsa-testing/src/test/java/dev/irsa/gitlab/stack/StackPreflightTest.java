package dev.irsa.gitlab.stack;

import dev.irsa.Preflight;
import dev.irsa.PreflightReport;
import dev.irsa.SecretString;
import dev.irsa.binding.VerifyCheck;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.helm.HelmRelease;
import dev.irsa.gitlab.helm.HelmReleaseRequest;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.gitlab.helm.HelmExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code irsa preflight} on the fakes: every check passes on a world where apply works, and each failing check
 * says what failed, the cause and the fix. The fakes answer the preflight's calls as the real services do (see
 * FakeIam's SimulatePrincipalPolicy, the simulated cluster's AccessRules and FakeGitLab's TokenApi).
 */
class StackPreflightTest {
    private final StackFixture f = new StackFixture();
    private final RunnerStack seed = StackFixture.seed();

    @AfterEach
    void close() {
        f.close();
    }

    private Preflight.Builder core() {
        return Preflight.builder().aws(f.aws, StackFixture.REGION).kubernetes(f.kubernetes);
    }

    private PreflightReport check(RunnerStack stack) {
        return StackPreflight.check(stack, core(), f.gitlabExecutor, f.helm);
    }

    private static VerifyCheck failed(PreflightReport report, String name) {
        VerifyCheck check = report.check(name).orElseThrow(() -> new AssertionError("no check " + name + " in\n" + report.render()));
        assertThat(check.status()).as(report.render()).isEqualTo(VerifyCheck.Status.FAIL);
        assertThat(report.passed()).isFalse();
        return check;
    }

    @Test
    void everyCheckPassesWhereApplyWorks() {
        PreflightReport report = check(seed);

        assertThat(report.passed()).as(report.render()).isTrue();
        assertThat(report.checks()).extracting(VerifyCheck::name).contains("aws.credentials", "aws.cluster", "aws.permissions",
                "kubernetes.kubeconfig", "kubernetes.server", "kubernetes.access.namespaces", "kubernetes.access.secrets/dev",
                "kubernetes.access.leases/default", "kubernetes.access.deployments/dev", "kubernetes.access.roles/dev",
                "gitlab.token", "gitlab.scopes", "gitlab.access", "helm.release");
        assertThat(report.check("aws.credentials").orElseThrow().detail()).isEqualTo("arn:aws:iam::111122223333:user/irsa-test (account 111122223333)");
        assertThat(report.check("aws.cluster").orElseThrow().detail()).startsWith("EKS cluster devops in eu-west-1, OIDC issuer https://oidc.eks.eu-west-1.amazonaws.com/id/");
        assertThat(report.check("gitlab.access").orElseThrow().detail()).startsWith("Owner (50) of project my-group/my-project");
        assertThat(report.render()).endsWith("Preflight: all " + report.checks().size() + " checks passed (or were skipped): apply has what it needs.");
        // read-only: nothing was created anywhere
        assertThat(f.iam.roleNames()).isEmpty();
        assertThat(f.gitlab.runners()).isEmpty();
    }

    @Test
    void credentialsOfAnotherAccountFail() {
        RunnerStack other = seed.toBuilder().binding(seed.binding().toBuilder().accountId("999999999999").build()).build();

        VerifyCheck check = failed(check(other), "aws.credentials");

        assertThat(check.cause()).hasValue("the spec names account 999999999999 but the credentials are for account 111122223333");
        assertThat(check.fix().orElseThrow()).startsWith("Use a profile of account 999999999999");
    }

    @Test
    void aClusterEksDoesNotKnowFailsNamingRegionAndAccount() {
        RunnerStack other = seed.toBuilder().binding(seed.binding().toBuilder().eksCluster("prod", "eu-west-1").build()).build();

        VerifyCheck check = failed(check(other), "aws.cluster");

        assertThat(check.cause().orElseThrow()).startsWith("EKS in eu-west-1 has no cluster prod in account 111122223333");
        assertThat(check.fix()).hasValue("Check the cluster name and region in the spec (aws eks list-clusters --region eu-west-1), or use --region");
    }

    @Test
    void iamActionsThePrincipalLacksAreListed() {
        f.iam.detachUserPolicy(b -> b.userName("irsa-test").policyArn("arn:aws:iam::aws:policy/AdministratorAccess"));
        f.iam.putUserPolicy(b -> b.userName("irsa-test").policyName("almost").policyDocument("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":["iam:*","eks:Describe*"],"Resource":"*"},
                  {"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}]}"""));

        VerifyCheck check = failed(check(seed), "aws.permissions");

        assertThat(check.detail()).isEqualTo("1 of 26 actions denied: iam:DeleteRole on arn:aws:iam::111122223333:role/eks-cluster-role (explicitDeny)");
        assertThat(check.cause().orElseThrow()).startsWith("the policies of arn:aws:iam::111122223333:user/irsa-test do not allow them");
        assertThat(check.fix()).hasValue("Grant iam:DeleteRole to arn:aws:iam::111122223333:user/irsa-test (e.g. in an inline policy), then run preflight again");
    }

    @Test
    void anAssumedRoleIsSimulatedAsItsRole() {
        f.iam.createRole(b -> b.roleName("deployer").path("/ci/").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}"));
        f.iam.putRolePolicy(b -> b.roleName("deployer").policyName("read").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:Get*\",\"Resource\":\"*\"}]}"));
        f.sts.callerArn("arn:aws:sts::111122223333:assumed-role/deployer/ci-session");

        VerifyCheck check = failed(check(seed), "aws.permissions");

        // STS names the role without its path; IAM's GetRole gives the ARN the simulation needs
        assertThat(check.cause().orElseThrow()).startsWith("the policies of arn:aws:iam::111122223333:role/ci/deployer do not allow them");
        assertThat(check.detail()).contains("iam:CreateRole on arn:aws:iam::111122223333:role/eks-cluster-role (implicitDeny)")
                .doesNotContain("iam:GetRole ");
    }

    @Test
    void aCallerIamCannotSimulateGetsTheListOfActionsInstead() {
        f.sts.callerArn("arn:aws:sts::111122223333:federated-user/alice");

        PreflightReport report = check(seed);
        VerifyCheck check = report.check("aws.permissions").orElseThrow();

        assertThat(check.status()).isEqualTo(VerifyCheck.Status.SKIPPED);
        assertThat(check.detail()).startsWith("not simulated: IAM simulates users and roles only; the caller is arn:aws:sts::111122223333:federated-user/alice. Make sure")
                .contains("iam:CreateRole", "iam:CreateOpenIDConnectProvider", "eks:DescribeCluster");
        assertThat(report.passed()).isTrue();
    }

    @Test
    void aVerbRbacDeniesFailsWithTheRuleToGrant() {
        f.cluster.webhook().accessRules().deny("create", "", "secrets", "dev").deny("delete", "", "secrets", "dev");

        VerifyCheck check = failed(check(seed), "kubernetes.access.secrets/dev");

        assertThat(check.detail()).isEqualTo("denied: create, delete on secrets in dev");
        assertThat(check.cause()).hasValue("RBAC does not allow the user of context fabric8-mock-server-context to create, delete secrets in dev");
        assertThat(check.fix()).hasValue("Bind a Role in dev (or a ClusterRole) with apiGroups: [\"\"], resources: [\"secrets\"], "
                + "verbs: [get, list, create, update, patch, delete] to that user; check with kubectl auth can-i create secrets -n dev");
    }

    @Test
    void anApiServerThatDoesNotAnswerIsNamedByItsUrl() {
        String url = "http://127.0.0.1:" + closedPort() + "/";
        try (KubernetesExecutor nowhere = KubernetesExecutor.builder().client(dev.irsa.kubernetes.KubernetesClients.newClient(
                new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(url).withRequestRetryBackoffLimit(0).build())).build()) {
            PreflightReport report = StackPreflight.check(seed, Preflight.builder().aws(f.aws, StackFixture.REGION).kubernetes(nowhere),
                    f.gitlabExecutor, f.helm);

            VerifyCheck check = failed(report, "kubernetes.server");
            assertThat(check.cause().orElseThrow()).startsWith("no answer from the API server " + url + " (ConnectException); next: check the server and the network to it");
            assertThat(check.fix().orElseThrow()).startsWith("Check the server URL (kubectl config view --minify)");
            assertThat(report.check("kubernetes.access.*").orElseThrow().status()).isEqualTo(VerifyCheck.Status.SKIPPED);
        }
    }

    @Test
    void aRevokedGitLabTokenFails() {
        f.gitlab.revokeAccessToken(f.gitlabToken);

        VerifyCheck check = failed(check(seed), "gitlab.token");

        assertThat(check.cause()).hasValue("GitLab at " + f.gitlab.url() + " refused the token (401): it is revoked, expired, or from another GitLab instance");
        assertThat(check.fix().orElseThrow()).contains("with the scopes api and create_runner, and export it as IRSA_GITLAB_TOKEN");
    }

    @Test
    void aTokenWithoutApiScopeFails() {
        String runnerOnly = f.gitlab.addAccessToken(Set.of("create_runner"), f.projectId);
        try (GitLabExecutor gitlab = new GitLabExecutor(GitLabConnection.builder().url(f.gitlab.url()).accessToken(SecretString.of(runnerOnly)).build())) {
            PreflightReport report = StackPreflight.check(seed, core(), gitlab, f.helm);

            VerifyCheck check = failed(report, "gitlab.scopes");
            assertThat(check.detail()).isEqualTo("scopes [create_runner]");
            assertThat(check.cause()).hasValue("irsa creates the runner (create_runner or api), then reads, updates and deletes it and commits .gitlab-ci.yml, which need api");
        }
    }

    @Test
    void aDeveloperCannotCreateTheRunner() {
        f.gitlab.accessLevel(f.gitlabToken, f.projectId, 30);

        VerifyCheck check = failed(check(seed), "gitlab.access");

        assertThat(check.detail()).matches("user\\d+ is Developer \\(30\\) of project my-group/my-project");
        assertThat(check.cause().orElseThrow()).endsWith("; creating a project runner needs Maintainer (40)");
        assertThat(check.fix().orElseThrow()).startsWith("Ask an Owner of project my-group/my-project to make user");
        // and the fake refuses the Developer as GitLab would (already its look for the runner, GET
        // /projects/:id/runners: 403), so the check predicts apply
        assertThatThrownBy(() -> f.irsa.apply(seed)).hasMessageContaining("GitLab answered 403");
        assertThat(f.gitlab.runners()).isEmpty();
    }

    @Test
    void aReleaseIrsaDoesNotOwnFails() {
        f.helm.install(HelmReleaseRequest.builder().releaseName("app-dev-runner").namespace("dev")
                .chart(dev.irsa.gitlab.helm.HelmChart.gitlabRunner()).values("concurrent: 1\n").build());

        VerifyCheck check = failed(check(seed), "helm.release");

        assertThat(check.cause().orElseThrow()).startsWith("it exists without irsa's ownership marks for stack seed");
        assertThat(check.fix()).hasValue("Choose another runner.releaseName, remove it (helm uninstall app-dev-runner -n dev), or set runner.adoptRelease: true to take it over");
    }

    @Test
    void aReleaseStuckInAPendingStateFails() {
        f.irsa.apply(seed).orThrow();
        HelmExecutor pending = new HelmExecutor() {
            @Override
            public HelmRelease install(HelmReleaseRequest request) {
                throw new AssertionError("preflight only reads");
            }

            @Override
            public HelmRelease upgrade(HelmReleaseRequest request) {
                throw new AssertionError("preflight only reads");
            }

            @Override
            public void uninstall(String releaseName, String namespace) {
                throw new AssertionError("preflight only reads");
            }

            @Override
            public Optional<HelmRelease> status(String releaseName, String namespace) {
                return f.helm.status(releaseName, namespace).map(r -> new HelmRelease(r.name(), r.namespace(), "pending-upgrade", r.revision(), r.chart(), r.appVersion()));
            }

            @Override
            public Optional<Map<String, Object>> values(String releaseName, String namespace) {
                return f.helm.values(releaseName, namespace);
            }

            @Override
            public String template(HelmReleaseRequest request) {
                throw new AssertionError("preflight only reads");
            }
        };

        VerifyCheck check = failed(StackPreflight.check(seed, core(), f.gitlabExecutor, pending), "helm.release");

        assertThat(check.cause()).hasValue("an earlier Helm operation did not finish, and Helm refuses another one while the release is pending-upgrade");
        assertThat(check.fix()).hasValue("helm rollback app-dev-runner -n dev (or helm uninstall app-dev-runner -n dev), then run preflight again");
    }

    private static int closedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

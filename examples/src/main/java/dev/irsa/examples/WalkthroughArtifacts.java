package dev.irsa.examples;

import dev.irsa.gitlab.ci.GitLabCiFile;
import dev.irsa.gitlab.ci.GitLabCiFile.CiImage;
import dev.irsa.gitlab.runner.ResourceRequests;
import dev.irsa.gitlab.runner.RunnerValues;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.lint.LintReport;
import dev.irsa.policy.OidcProvider;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.policy.PolicyLinter;
import dev.irsa.policy.TrustPolicy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The walkthrough's artifacts, rendered by the library with no I/O: the names of the manual recipe
 * (account 111122223333, eu-west-1, cluster devops, namespace dev, service account app-deployer, role
 * eks-cluster-role, release app-dev-runner, tag k8s-dev-runner, node pool dev).
 *
 * <pre>{@code
 * System.out.println(WalkthroughArtifacts.trustPolicy().toJson(true));
 * System.out.println(WalkthroughArtifacts.adminPolicyLint());      // IRSA-P002 ERROR ... [accepted]
 * System.out.println(WalkthroughArtifacts.runnerValues().toYaml());
 * System.out.println(WalkthroughArtifacts.pipeline().toYaml());
 * }</pre>
 */
public final class WalkthroughArtifacts {
    public static final String ACCOUNT = "111122223333";
    public static final String REGION = "eu-west-1";
    public static final String CLUSTER = "devops";
    public static final String ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    public static final String NAMESPACE = "dev";
    public static final String SERVICE_ACCOUNT = "app-deployer";
    public static final String ROLE = "eks-cluster-role";
    public static final String RELEASE = "app-dev-runner";
    public static final String RUNNER_TAG = "k8s-dev-runner";
    public static final String GITLAB_URL = "https://gitlab.com/";
    /** The admin policy grants iam:*; the walkthrough applies it deliberately, so this finding is accepted. */
    public static final String ACCEPTED_ADMIN_FINDING = "IRSA-P002";
    /** The same acceptance in the walkthrough's role, scoped to the inline policy that grants iam:*. */
    public static final String ACCEPTED_ADMIN_FINDING_IN_ROLE = ACCEPTED_ADMIN_FINDING + "@eks-admin";

    private WalkthroughArtifacts() {
    }

    /** The trust that lets exactly dev/app-deployer of the walkthrough's cluster assume the role. */
    public static TrustPolicy trustPolicy() {
        return trustPolicy(ISSUER, ACCOUNT);
    }

    /** The same trust for another cluster issuer and account (e.g. the sandbox's). */
    public static TrustPolicy trustPolicy(String issuerUrl, String accountId) {
        OidcProvider cluster = OidcProvider.of(issuerUrl, accountId, "aws");
        return TrustPolicy.irsa(b -> b.provider(cluster).serviceAccount(NAMESPACE, SERVICE_ACCOUNT));
    }

    /** The walkthrough's permissions policy (eks-admin-policy.json): eks, cloudformation, ec2, ssm and iam, all on *. */
    public static PermissionsPolicy adminPolicy() {
        return PermissionsPolicy.fromJson(resource("eks-admin-policy.json"));
    }

    /** The admin policy's lint report, with {@value #ACCEPTED_ADMIN_FINDING} accepted deliberately. */
    public static LintReport adminPolicyLint() {
        return PolicyLinter.lintPermissions(adminPolicy()).accept(ACCEPTED_ADMIN_FINDING);
    }

    /**
     * The whole walkthrough as one stack, read from {@code examples/stacks/seed.yaml} (shipped in the jar):
     * cluster devops, role eks-cluster-role with the admin policy (IRSA-P002 accepted), service account
     * dev/app-deployer, runner release app-dev-runner tagged k8s-dev-runner, the pipeline file.
     */
    public static RunnerStack seedStack() {
        try (InputStream in = WalkthroughArtifacts.class.getResourceAsStream("/dev/irsa/examples/stacks/seed.yaml")) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/irsa/examples/stacks/seed.yaml");
            }
            return RunnerStack.fromYaml(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The gitlab-runner chart 0.86.0 values: job pods in dev under app-deployer on the dev node pool. */
    public static RunnerValues runnerValues() {
        return runnerValues(GITLAB_URL, NAMESPACE, SERVICE_ACCOUNT, RELEASE + "-token", Map.of("nodepool", "dev"));
    }

    public static RunnerValues runnerValues(String gitlabUrl, String namespace, String serviceAccount, String secretName,
                                            Map<String, String> nodeSelector) {
        return RunnerValues.builder()
                .gitlabUrl(gitlabUrl)
                .runnerSecretName(secretName)
                .imagePullPolicy("IfNotPresent")
                .unregisterRunners(true)
                .terminationGracePeriodSeconds(3600)
                .concurrent(10)
                .checkIntervalSeconds(30)
                .metricsEnabled(true)
                .jobs(j -> j.namespace(namespace).serviceAccount(serviceAccount).image("ubuntu:18.04").privileged(false)
                        .pollTimeoutSeconds(360).allRequests(ResourceRequests.of("100m", "128Mi"))
                        .nodeSelector(nodeSelector))
                .build();
    }

    /** The walkthrough's .gitlab-ci.yml: one job tagged for the runner. */
    public static GitLabCiFile pipeline() {
        return pipeline(RUNNER_TAG);
    }

    public static GitLabCiFile pipeline(String runnerTag) {
        return GitLabCiFile.builder()
                .stages("dev")
                .beforeScript(
                        "yum install -y tar gzip",
                        "curl --silent --location \"https://github.com/weaveworks/eksctl/releases/latest/download/eksctl_$(uname -s)_amd64.tar.gz\" | tar xz -C /tmp",
                        "mv /tmp/eksctl /usr/local/bin")
                .job("infra", j -> j.stage("dev").image(CiImage.named("amazon/aws-cli"))
                        .script("eksctl create cluster --name=business --region=eu-west-1 --managed --instance-types t3.medium")
                        .tags(runnerTag))
                .build();
    }

    static String resource(String name) {
        try (InputStream in = WalkthroughArtifacts.class.getResourceAsStream("/dev/irsa/examples/walkthrough/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

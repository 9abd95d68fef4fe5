package dev.irsa.examples.cli;

import dev.irsa.examples.IrsaTarget;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.SandboxCall;
import dev.irsa.testing.SandboxCalls;
import dev.irsa.testing.SandboxResources;
import dev.irsa.testing.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code irsa apply|destroy|plan|verify --iam-only}: several commands on ONE sandbox (shared through
 * {@link StackRunner#sandboxes}), its call counters showing what each run touched.
 */
class IamOnlyCommandsTest {
    @TempDir
    Path dir;
    private String spec;
    private IrsaTarget shared;

    @BeforeEach
    void oneSandboxForEveryRun() throws IOException {
        Path file = dir.resolve("seed.yaml");
        try (InputStream in = getClass().getResourceAsStream("/dev/irsa/examples/stacks/seed.yaml")) {
            Files.copy(in, file);
        }
        spec = file.toString();
        RunnerStack declared = StackRunner.stacks(target(spec)).get(0);
        shared = IrsaTarget.sandbox(declared);
        StackRunner.sandboxes = stack -> shared.shared();
    }

    @AfterEach
    void restore() {
        StackRunner.sandboxes = StackRunner.FRESH_SANDBOX;
        StackCommands.environment = System::getenv;
        shared.close();
    }

    private static StackCommands.Target target(String spec) {
        StackCommands.Target t = new StackCommands.Target();
        t.spec = Path.of(spec);
        return t;
    }

    private IrsaSandbox sandbox() {
        return shared.sandbox().orElseThrow();
    }

    /** Calls per service and changing calls (the stack lock's Lease writes left out) so far. */
    private Map<Service, Integer> callsPerService() {
        Map<Service, Integer> m = new EnumMap<>(Service.class);
        SandboxCalls calls = sandbox().calls();
        for (Service s : Service.values()) {
            m.put(s, calls.of(s).size());
        }
        return m;
    }

    private int changingCalls() {
        return sandbox().calls().withoutStackLock().changing().size();
    }

    private CliRun run(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        return run;
    }

    @Test
    void applyIamOnlyCreatesTheProviderAndRoleOnlyAndARerunChangesNothing() {
        CliRun plan = run("plan", "--spec", spec, "--sandbox", "--iam-only");
        assertThat(plan.out()).contains("iam.oidc-provider/eks:devops will be created", "iam.role/eks-cluster-role will be created",
                "Plan: 2 to add, 0 to change, 0 to destroy.").doesNotContain("kubernetes.", "gitlab.", "helm.");

        CliRun apply = run("apply", "--spec", spec, "--sandbox", "--iam-only");
        assertThat(apply.out()).contains("Apply complete (IAM only): 2 created, 0 updated, 0 deleted");
        SandboxResources now = sandbox().resources();
        assertThat(now.roles()).extracting(SandboxResources.Role::name).containsExactly("eks-cluster-role");
        assertThat(now.oidcProviders()).hasSize(1);
        assertThat(now.namespaces()).doesNotContain("dev");
        assertThat(now.serviceAccounts()).isEmpty();
        assertThat(now.secrets()).isEmpty();
        assertThat(now.runners()).isEmpty();
        assertThat(now.releases()).isEmpty();
        // no GitLab, no Helm; Kubernetes only for the stack's lock (its Lease)
        assertThat(sandbox().calls().of(Service.GITLAB)).isEmpty();
        assertThat(sandbox().calls().of(Service.HELM)).isEmpty();
        assertThat(sandbox().calls().withoutStackLock().of(Service.KUBERNETES)).isEmpty();

        int changing = changingCalls();
        CliRun again = run("apply", "--spec", spec, "--sandbox", "--iam-only");
        assertThat(again.out()).contains("No changes. Live state matches the configuration.").doesNotContain("Apply complete");
        assertThat(changingCalls()).isEqualTo(changing);
    }

    @Test
    void destroyIamOnlyRemovesThemAndASecondDestroySucceeds() {
        run("apply", "--spec", spec, "--sandbox", "--iam-only");
        CliRun destroy = run("destroy", "--spec", spec, "--sandbox", "--iam-only");
        assertThat(destroy.out()).contains("Plan: 0 to add, 0 to change, 2 to destroy.", "Destroy complete (IAM only): 0 created, 0 updated, 2 deleted");
        assertThat(sandbox().resources().roles()).isEmpty();
        assertThat(sandbox().resources().oidcProviders()).isEmpty();

        int changing = changingCalls();
        CliRun again = run("destroy", "--spec", spec, "--sandbox", "--iam-only");
        assertThat(again.out()).contains("No changes. Live state matches the configuration.", "Destroy complete (IAM only): 0 created, 0 updated, 0 deleted");
        assertThat(changingCalls()).isEqualTo(changing);
        assertThat(sandbox().calls().of(Service.GITLAB)).isEmpty();
        assertThat(sandbox().calls().of(Service.HELM)).isEmpty();
        assertThat(sandbox().calls().withoutStackLock().of(Service.KUBERNETES)).isEmpty();
    }

    /** A provider that another role still trusts stays: only the stack's role goes. */
    @Test
    void destroyIamOnlyKeepsAProviderAnotherRoleTrusts() {
        run("apply", "--spec", spec, "--sandbox", "--iam-only");
        String trust = sandbox().resources().role("eks-cluster-role").orElseThrow().trustPolicyJson();
        sandbox().iam().createRole(r -> r.roleName("someone-elses-role").assumeRolePolicyDocument(trust));
        CliRun evening = run("destroy", "--spec", spec, "--sandbox", "--iam-only");
        assertThat(sandbox().resources().role("eks-cluster-role")).isEmpty();
        assertThat(sandbox().resources().oidcProviders()).hasSize(1);
        // and says so: the provider is reported kept, never "Destruction complete"
        assertThat(evening.out()).contains("Kept (still trusted by roles [someone-elses-role])", "1 deleted", "1 kept")
                .doesNotContain("iam.oidc-provider/eks:devops: Destruction complete");
    }

    /** The walkthrough's evening/morning cycle from the CLI: the runner stays registered throughout. */
    @Test
    void eveningDestroyThenMorningApplyRestoresTheRoleWhileTheRunnerStays() {
        run("apply", "--spec", spec, "--sandbox");
        SandboxResources applied = sandbox().resources();
        String roleArn = applied.role("eks-cluster-role").orElseThrow().arn();
        Map<Service, Integer> before = callsPerService();
        int kubernetesWrites = kubernetesWrites();

        run("destroy", "--spec", spec, "--sandbox", "--iam-only");
        SandboxResources evening = sandbox().resources();
        assertThat(evening.roles()).isEmpty();
        assertThat(evening.oidcProviders()).isEmpty();
        assertThat(evening.runners()).isEqualTo(applied.runners());
        assertThat(evening.releases()).isEqualTo(applied.releases());
        assertThat(evening.serviceAccounts()).isEqualTo(applied.serviceAccounts());
        assertThat(evening.secrets()).isEqualTo(applied.secrets());

        CliRun morning = run("apply", "--spec", spec, "--sandbox", "--iam-only");
        assertThat(morning.out()).contains("Apply complete (IAM only): 2 created");
        SandboxResources restored = sandbox().resources();
        assertThat(restored.role("eks-cluster-role").orElseThrow().arn()).isEqualTo(roleArn);
        assertThat(restored.serviceAccount("dev", "app-deployer").orElseThrow().roleArn()).contains(roleArn);
        assertThat(restored.runners()).isEqualTo(applied.runners());
        assertThat(restored.releases()).isEqualTo(applied.releases());

        Map<Service, Integer> after = callsPerService();
        assertThat(after.get(Service.GITLAB)).isEqualTo(before.get(Service.GITLAB));
        assertThat(after.get(Service.HELM)).isEqualTo(before.get(Service.HELM));
        assertThat(kubernetesWrites()).isEqualTo(kubernetesWrites);

        // the whole stack verifies again, and a whole-stack apply finds nothing left to do
        CliRun verify = run("verify", "--spec", spec, "--sandbox", "--iam-only");
        assertThat(verify.out()).contains("PASS  assume-role-with-web-identity").doesNotContain("applying stack");
        int changing = changingCalls();
        run("apply", "--spec", spec, "--sandbox");
        assertThat(changingCalls()).isEqualTo(changing);
    }

    private int kubernetesWrites() {
        return (int) sandbox().calls().withoutStackLock().of(Service.KUBERNETES).stream().filter(SandboxCall::changing).count();
    }

    @Test
    void onAFreshSandboxDestroyIamOnlyAppliesTheStackFirstAndSaysSo() {
        StackRunner.sandboxes = StackRunner.FRESH_SANDBOX;
        CliRun run = run("destroy", "--spec", spec, "--sandbox", "--iam-only");
        assertThat(run.out()).contains("it starts empty", "applying stack seed first", "Destroy complete (IAM only): 0 created, 0 updated, 2 deleted");
    }

    /** Real endpoints: no GitLab token is asked for; the first missing piece is AWS's or the kubeconfig's. */
    @Test
    void realEndpointsNeedNoGitLabToken() {
        StackCommands.environment = Map.<String, String>of()::get;
        Path missing = dir.resolve("no-such-kubeconfig");
        CliRun run = CliRun.of("apply", "--spec", spec, "--iam-only", "--kubeconfig", missing.toString(), "--region", "eu-west-1");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(IrsaCli.USAGE);
        assertThat(run.err()).contains("error: no kubeconfig at " + missing).doesNotContain("GitLab token");
        CliRun whole = CliRun.of("apply", "--spec", spec, "--kubeconfig", missing.toString(), "--region", "eu-west-1");
        assertThat(whole.err()).contains("error: no GitLab token");
    }
}

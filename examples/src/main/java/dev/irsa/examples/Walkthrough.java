package dev.irsa.examples;

import dev.irsa.Irsa;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyReport;
import dev.irsa.gitlab.stack.RunnerStacks;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.lint.LintReport;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ProgressPrinter;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.SandboxResources;

import java.io.PrintStream;

/**
 * The walkthrough end to end in plain Java, on the embedded sandbox (nothing leaves this JVM except
 * loopback traffic): render the artifacts, lint, apply, verify with a real signed service-account token,
 * plan, apply, verify with a real signed service-account token, plan again (no changes), the evening/morning cycle on the
 * IAM part (destroy it, verify fails, apply it, verify passes), destroy. {@code irsa demo} runs exactly this.
 *
 * <pre>{@code
 * int exit = new Walkthrough(System.out).run();   // 0 when every step did what it should
 * }</pre>
 */
public final class Walkthrough {
    // The mock Kubernetes API logs every request through java.util.logging; keep the output readable.
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    private final PrintStream out;

    public Walkthrough(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new Walkthrough(System.out).run());
    }

    /** Runs the walkthrough; returns 0 when every step did what it should, 1 otherwise. */
    public int run() {
        renderArtifacts();
        return runOnSandbox();
    }

    /** Step 1: what the manual recipe writes by hand, rendered and checked by irsa (pure, no I/O). */
    public void renderArtifacts() {
        heading("1. Render the walkthrough's artifacts (pure: no network, no cluster)");
        out.println("Trust policy for role " + WalkthroughArtifacts.ROLE + ": only " + WalkthroughArtifacts.NAMESPACE + "/"
                + WalkthroughArtifacts.SERVICE_ACCOUNT + " of cluster " + WalkthroughArtifacts.CLUSTER + " may assume it:");
        out.println(indent(WalkthroughArtifacts.trustPolicy().toJson(true)));
        LintReport lint = WalkthroughArtifacts.adminPolicyLint();
        out.println("Lint of the walkthrough's permissions policy (eks-admin-policy.json):");
        out.println(indent(lint.toString()));
        out.println("  -> " + WalkthroughArtifacts.ACCEPTED_ADMIN_FINDING + " is accepted deliberately: the walkthrough's role administers EKS,"
                + " so it keeps iam:*. Without the accept, apply would refuse.");
        out.println("gitlab-runner Helm values (chart 0.86.0): job pods run in " + WalkthroughArtifacts.NAMESPACE + " under "
                + WalkthroughArtifacts.SERVICE_ACCOUNT + " through runners.config (the chart ignores the old runners.serviceAccountName);"
                + " the token comes from a Secret, never from the values. runners.config:");
        out.println(indent(WalkthroughArtifacts.runnerValues().runnersConfigToml().stripTrailing()));
        out.println("    (all values: irsa render values)");
        out.println(".gitlab-ci.yml: the job is tagged for the runner:");
        out.println(indent(WalkthroughArtifacts.pipeline().toYaml().stripTrailing()));
    }

    /** Steps 2 to 7: the seed stack (examples/stacks/seed.yaml) on the sandbox. */
    public int runOnSandbox() {
        heading("2. Start the sandbox: fake IAM/STS/EKS, the cluster's OIDC issuer, a Kubernetes API, GitLab and Helm, all on 127.0.0.1");
        RunnerStack seed = WalkthroughArtifacts.seedStack();
        try (IrsaTarget target = IrsaTarget.sandbox(seed)) {
            IrsaSandbox sandbox = target.sandbox().orElseThrow();
            RunnerStack stack = target.adapt(seed);
            RunnerStacks irsa = target.stacks();
            out.println("  account " + sandbox.accountId() + ", region " + sandbox.region() + ", cluster " + sandbox.clusterName()
                    + ", GitLab project " + sandbox.gitlabProject() + " at " + sandbox.gitlabUrl());
            out.println("  stack \"" + stack.name() + "\" from examples/stacks/seed.yaml");

            heading("3. Plan: what apply would do (nothing is changed yet)");
            Plan plan = irsa.plan(stack);
            out.println(indent(plan.render().stripTrailing()));

            heading("4. Apply: OIDC provider -> role -> namespace -> service account; GitLab runner -> token Secret -> Helm release; pipeline file");
            ApplyResult applied = irsa.apply(stack, new ProgressPrinter(out));
            out.println("  " + applied.summary());

            heading("5. Verify: the cluster signs a token for " + WalkthroughArtifacts.NAMESPACE + "/" + WalkthroughArtifacts.SERVICE_ACCOUNT
                    + " and STS exchanges it for the role; the runner, its Secret and release are checked");
            VerifyReport verified = irsa.verify(stack);
            out.println(indent(verified.render()));

            heading("6. Plan again: everything is in place");
            int changingBefore = sandbox.calls().withoutStackLock().changing().size();
            Plan again = irsa.plan(stack);
            out.println(indent(again.render().stripTrailing()));
            ApplyResult reapplied = irsa.apply(stack, ApplyListener.NONE);
            int changing = sandbox.calls().withoutStackLock().changing().size() - changingBefore;
            out.println("  apply again: " + reapplied.summary() + "; changing calls to AWS, Kubernetes, GitLab and Helm: " + changing
                    + " (the stack lock's Lease, created and deleted by every run, not counted)");

            heading("7. The evening/morning cycle on the IAM part only (irsa destroy --iam-only at night, irsa apply --iam-only"
                    + " in the morning; irsa schedule writes them as CronJobs)");
            boolean cycled = eveningAndMorning(target.irsa(), stack, sandbox);

            heading("8. Destroy: dependents first, only what irsa owns");
            // The full destroy plan repeats every field; the headlines are enough here.
            irsa.destroyPlan(stack).render().lines().filter(l -> l.startsWith("  #") || l.startsWith("Plan:"))
                    .forEach(l -> out.println("    " + l));
            ApplyResult destroyed = irsa.destroy(stack, new ProgressPrinter(out));
            out.println("  " + destroyed.summary());
            SandboxResources left = sandbox.resources();
            boolean empty = left.roles().isEmpty() && left.oidcProviders().isEmpty() && left.serviceAccounts().isEmpty()
                    && left.secrets().isEmpty() && left.runners().isEmpty() && left.releases().isEmpty();
            out.println("  left in the sandbox: " + (empty ? "no role, provider, service account, Secret, runner or release" : left));

            boolean ok = plan.hasChanges() && applied.succeeded() && verified.passed() && !again.hasChanges() && changing == 0
                    && cycled && destroyed.succeeded() && empty;
            heading(ok ? "Done: the walkthrough works end to end." : "FAILED: a step did not do what it should (see above).");
            return ok ? 0 : 1;
        }
    }

    /**
     * Evening: the role (and the provider, unless another role trusts it) is deleted and verify fails because the
     * role is gone; morning: it is recreated and verify passes again. The runner, its Secret and the release stay.
     */
    private boolean eveningAndMorning(Irsa irsa, RunnerStack stack, IrsaSandbox sandbox) {
        RoleBinding binding = stack.binding();
        out.println("  evening: irsa destroy --iam-only --spec examples/stacks/seed.yaml");
        ApplyResult evening = irsa.destroyIam(binding, new ProgressPrinter(out));
        out.println("  " + evening.summary());
        SandboxResources kept = sandbox.resources();
        out.println("  kept overnight: " + kept.serviceAccounts().size() + " service account, " + kept.runners().size() + " runner, "
                + kept.secrets().size() + " token Secret, " + kept.releases().size() + " Helm release");
        VerifyReport night = irsa.verify(binding);
        out.println("  verify at night (the role is gone, so no job gets AWS credentials):");
        night.failures().forEach(c -> out.println(indent("  " + c)));
        out.println("    " + night.render().lines().reduce((first, last) -> last).orElse(""));
        out.println("  morning: irsa apply --iam-only --spec examples/stacks/seed.yaml");
        ApplyResult morning = irsa.applyIam(binding, new ProgressPrinter(out));
        out.println("  " + morning.summary());
        VerifyReport day = irsa.verify(binding);
        out.println("    " + day.render().lines().reduce((first, last) -> last).orElse(""));
        return evening.succeeded() && !night.passed() && night.check("role").map(c -> !c.passed()).orElse(false)
                && !kept.runners().isEmpty() && morning.succeeded() && day.passed();
    }

    /** The sandbox with the walkthrough's account, region, cluster name and GitLab project. */
    public static IrsaSandbox startSandbox() {
        quietMockServer();
        return IrsaSandbox.builder().region(WalkthroughArtifacts.REGION).clusterName(WalkthroughArtifacts.CLUSTER)
                .account(WalkthroughArtifacts.ACCOUNT).gitlabProject(WalkthroughArtifacts.seedStack().runner().projectPath().orElseThrow()).start();
    }

    static void quietMockServer() {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private void heading(String text) {
        heading(out, text);
    }

    /** A step's heading in the demos' output. */
    static void heading(PrintStream out, String text) {
        out.println();
        out.println("== " + text);
    }

    /** {@code text} indented by four spaces, every line, as the demos print artifacts and reports. */
    static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }
}

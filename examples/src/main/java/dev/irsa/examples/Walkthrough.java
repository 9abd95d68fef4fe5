package dev.irsa.examples;

import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyReport;
import dev.irsa.lint.LintReport;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ProgressPrinter;
import dev.irsa.testing.IrsaSandbox;

import java.io.PrintStream;

/**
 * The walkthrough end to end in plain Java, on the embedded sandbox (nothing leaves this JVM except
 * loopback traffic): render the artifacts, lint, apply, verify with a real signed service-account token,
 * plan, apply, verify with a real signed service-account token, plan again (no changes), destroy. {@code irsa demo} runs exactly this.
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

    /** Steps 2 to 7 on the sandbox. */
    public int runOnSandbox() {
        heading("2. Start the sandbox: fake IAM/STS/EKS, the cluster's OIDC issuer and a Kubernetes API on 127.0.0.1");
        try (IrsaSandbox sandbox = startSandbox()) {
            out.println("  account " + sandbox.accountId() + ", region " + sandbox.region() + ", cluster " + sandbox.clusterName()
                    + " (issuer " + sandbox.issuerUrl() + ")");
            BindingOperations ops = operations(WalkthroughArtifacts.binding(), sandbox);

            heading("3. Plan: what apply would do (nothing is changed yet)");
            Plan plan = ops.plan();
            out.println(indent(plan.render().stripTrailing()));

            heading("4. Apply: OIDC provider -> IAM role (trust + policy) -> namespace -> annotated service account");
            ApplyResult applied = ops.apply(new ProgressPrinter(out));
            out.println("  " + applied.summary());

            heading("5. Verify: the cluster signs a token for " + WalkthroughArtifacts.NAMESPACE + "/" + WalkthroughArtifacts.SERVICE_ACCOUNT
                    + ", STS exchanges it for the role");
            VerifyReport verified = ops.verify();
            out.println(indent(verified.render()));

            heading("6. Plan again: everything is in place");
            int changingBefore = sandbox.calls().changing().size();
            Plan again = ops.plan();
            out.println(indent(again.render().stripTrailing()));
            ApplyResult reapplied = ops.apply(ApplyListener.NONE);
            int changing = sandbox.calls().changing().size() - changingBefore;
            out.println("  re-apply: " + reapplied.summary() + "; changing calls to IAM, STS, EKS and Kubernetes: " + changing);

            heading("7. Destroy: dependents first, only what irsa owns");
            Plan destroyPlan = ops.destroyPlan();
            // The full destroy plan repeats every field; the headlines are enough here.
            destroyPlan.render().lines().filter(l -> l.startsWith("  #") || l.startsWith("Plan:")).forEach(l -> out.println("    " + l));
            ApplyResult destroyed = ops.destroy(new ProgressPrinter(out));
            out.println("  " + destroyed.summary());
            boolean empty = sandbox.resources().roles().isEmpty() && sandbox.resources().oidcProviders().isEmpty()
                    && sandbox.resources().serviceAccounts().isEmpty();
            out.println("  left in the sandbox: " + (empty ? "no role, no OIDC provider, no service account" : sandbox.resources()));

            boolean ok = plan.hasChanges() && applied.succeeded() && verified.passed() && !again.hasChanges() && changing == 0
                    && destroyed.succeeded() && empty;
            heading(ok ? "Done: the walkthrough works end to end." : "FAILED: a step did not do what it should (see above).");
            return ok ? 0 : 1;
        }
    }

    static void quietMockServer() {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** The sandbox with the walkthrough's account, region and cluster name. */
    public static IrsaSandbox startSandbox() {
        quietMockServer();
        return IrsaSandbox.builder().region(WalkthroughArtifacts.REGION).clusterName(WalkthroughArtifacts.CLUSTER)
                .account(WalkthroughArtifacts.ACCOUNT).start();
    }

    /** A binding's operations on the sandbox's executors; retries and IAM propagation wait on its manual clock. */
    public static BindingOperations operations(RoleBinding binding, IrsaSandbox sandbox) {
        BindingBackends backends = BindingBackends.builder().aws(sandbox.awsExecutor()).kubernetes(sandbox.kubernetesExecutor())
                .sts(sandbox.sts()).clock(sandbox.clock()).sleeper(sandbox.sleeper()).build();
        return new BindingOperations(binding, backends, ExecutionBudget.create(b -> b.clock(sandbox.clock()).sleeper(sandbox.sleeper())));
    }

    private void heading(String text) {
        out.println();
        out.println("== " + text);
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }
}

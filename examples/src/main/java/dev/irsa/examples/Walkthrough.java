package dev.irsa.examples;

import dev.irsa.lint.LintReport;

import java.io.PrintStream;
import java.util.List;

/**
 * The walkthrough end to end in plain Java, on the embedded sandbox (nothing leaves this JVM except
 * loopback traffic): render the artifacts, lint, apply, verify with a real signed service-account token,
 * re-apply (nothing to do), destroy. {@code irsa demo} runs exactly this.
 *
 * <pre>{@code
 * int exit = new Walkthrough(System.out).run();   // 0 when every step did what it should
 * }</pre>
 */
public final class Walkthrough {
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

    /** Steps 2 to 6 on the sandbox. */
    public int runOnSandbox() {
        heading("2. Start the sandbox (fake IAM/STS/EKS, an OIDC issuer, a Kubernetes API on 127.0.0.1)");
        try (OfflineIrsaChain chain = OfflineIrsaChain.start()) {
            out.println("  account " + WalkthroughArtifacts.ACCOUNT + ", region " + WalkthroughArtifacts.REGION + ", cluster " + WalkthroughArtifacts.CLUSTER);
            heading("3. Apply: OIDC provider -> IAM role (trust + policy) -> namespace -> annotated service account");
            List<String> created = chain.apply(out);
            heading("4. Verify: a pod's token for " + WalkthroughArtifacts.NAMESPACE + "/" + WalkthroughArtifacts.SERVICE_ACCOUNT + " is exchanged at STS");
            String assumed = chain.verify(out);
            heading("5. Apply again: everything is in place, so nothing changes");
            int changingCallsBefore = chain.sandbox().calls().changing().size();
            List<String> again = chain.apply(out);
            int changingCalls = chain.sandbox().calls().changing().size() - changingCallsBefore;
            out.println("  changing calls (IAM, STS, EKS, Kubernetes) during the second apply: " + changingCalls);
            heading("6. Destroy: dependents first, only what irsa owns");
            List<String> destroyed = chain.destroy(out);
            boolean ok = !created.isEmpty() && assumed.contains(WalkthroughArtifacts.ROLE) && again.isEmpty() && changingCalls == 0
                    && !destroyed.isEmpty() && chain.sandbox().resources().isEmpty();
            heading(ok ? "Done: the walkthrough works end to end." : "FAILED: a step did not do what it should (see above).");
            return ok ? 0 : 1;
        }
    }

    private void heading(String text) {
        out.println();
        out.println("== " + text);
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }
}

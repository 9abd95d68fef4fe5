package dev.irsa.examples;

import dev.irsa.Irsa;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyReport;
import dev.irsa.gitlab.stack.StackSpec;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ProgressPrinter;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.SandboxResources;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * {@code irsa demo --gitlab-oidc}: the GitLab OIDC variant on the sandbox, from {@code examples/stacks/gitlab-oidc.yaml}
 * (two role bindings, no runner, no cluster): plan and apply them as one plan, render the {@code .gitlab-ci.yml}
 * jobs that assume them, then play GitLab: a job token signed by the fake {@code https://gitlab.com} issuer is
 * exchanged at the fake STS for the role its project and ref may assume, and refused for the others; verify,
 * plan again, destroy. No credentials are printed.
 */
public final class GitLabOidcDemo {
    static final String PROJECT = "my-group/my-project";
    private final PrintStream out;

    public GitLabOidcDemo(PrintStream out) {
        this.out = out;
    }

    /** The spec {@code examples/stacks/gitlab-oidc.yaml} (shipped in the jar). */
    public static StackSpec spec() {
        try (InputStream in = GitLabOidcDemo.class.getResourceAsStream("/dev/irsa/examples/stacks/gitlab-oidc.yaml")) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/irsa/examples/stacks/gitlab-oidc.yaml");
            }
            return StackSpec.fromYaml(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int run() {
        StackSpec spec = spec();
        List<RoleBinding> bindings = spec.bindings();
        RoleBinding deploy = bindings.get(0);
        RoleBinding releaseReader = bindings.get(1);
        heading("1. The spec: " + bindings.size() + " GitLab OIDC role bindings, no runner, no cluster (examples/stacks/gitlab-oidc.yaml)");
        bindings.forEach(b -> out.println("  " + b.name() + ": role " + b.role().name() + " for jobs of " + b.gitlabOidc().orElseThrow().subject().sub()
                + "; lint: " + b.lint().findings().size() + " finding(s), " + b.lint().errors().size() + " error(s)"));
        try (IrsaTarget target = IrsaTarget.sandbox(spec)) {
            IrsaSandbox sandbox = target.sandbox().orElseThrow();
            Irsa irsa = target.irsa();
            heading("2. Plan: GitLab's OIDC provider once, a role per binding");
            Plan plan = irsa.planAll(bindings);
            plan.render().lines().filter(l -> l.startsWith("  #") || l.startsWith("Plan:")).forEach(l -> out.println("  " + l));

            heading("3. Apply");
            ApplyResult applied = irsa.applyAll(bindings, new ProgressPrinter(out));
            out.println("  " + applied.summary());

            heading("4. The .gitlab-ci.yml jobs that assume them (irsa render pipeline): an id_tokens token, no access keys");
            out.println(indent(spec.gitlabOidcPipeline(sandbox.accountId()).toYaml().stripTrailing()));

            heading("5. Jobs assume the roles at STS with their id_tokens token (signed by the fake https://gitlab.com)");
            String audience = deploy.gitlabOidc().orElseThrow().effectiveAudience();
            boolean mainDeploys = assume(sandbox, deploy, "branch", "main", audience);
            boolean featureDenied = !assume(sandbox, deploy, "branch", "feature-x", audience);
            boolean mainCannotRead = !assume(sandbox, releaseReader, "branch", "main", audience);
            boolean tagReads = assume(sandbox, releaseReader, "tag", "v1.0.0", audience);

            heading("6. Verify: provider, audience and trust, checked against the claims GitLab puts in the token");
            List<VerifyReport> reports = irsa.verifyAll(bindings);
            reports.forEach(r -> out.println(indent(r.render())));
            boolean verified = reports.stream().allMatch(VerifyReport::passed);

            heading("7. Plan again: nothing to do");
            Plan again = irsa.planAll(bindings);
            out.println("  " + (again.hasChanges() ? "WRONG, changes left:\n" + again.render() : "no changes"));

            heading("8. Destroy: the roles, then the provider once (no other role trusts it)");
            ApplyResult destroyed = irsa.destroyAll(bindings, new ProgressPrinter(out));
            out.println("  " + destroyed.summary());
            SandboxResources left = sandbox.resources();
            boolean empty = left.roles().isEmpty() && left.oidcProviders().isEmpty();

            boolean ok = plan.hasChanges() && applied.succeeded() && mainDeploys && featureDenied && mainCannotRead && tagReads
                    && verified && !again.hasChanges() && destroyed.succeeded() && empty;
            heading(ok ? "Done: GitLab jobs get AWS credentials from their own OIDC token, each only for its role."
                    : "FAILED: a step did not do what it should (see above).");
            return ok ? 0 : 1;
        }
    }

    /** A job of {@link #PROJECT} on {@code refType} {@code ref} asks STS for {@code binding}'s role; prints the outcome. */
    private boolean assume(IrsaSandbox sandbox, RoleBinding binding, String refType, String ref, String audience) {
        String roleArn = binding.roleArn(sandbox.accountId(), binding.partition());
        String who = "  job of " + PROJECT + " on " + refType + " " + ref + " -> " + binding.role().name() + ": ";
        try {
            String token = sandbox.gitlabJobToken(PROJECT, refType, ref, audience, Duration.ofMinutes(5)).reveal();
            var assumed = sandbox.sts().assumeRoleWithWebIdentity(r -> r.roleArn(roleArn).roleSessionName("gitlab-job")
                    .webIdentityToken(token)).assumedRoleUser();
            out.println(who + "credentials for " + assumed.arn() + " (not shown)");
            return true;
        } catch (StsException e) {
            out.println(who + e.awsErrorDetails().errorCode() + " (the trust admits another project or ref)");
            return false;
        }
    }

    private void heading(String text) {
        Walkthrough.heading(out, text);
    }

    private static String indent(String text) {
        return Walkthrough.indent(text);
    }
}

// The walkthrough in JShell: render its artifacts with the library, then run it end to end on the sandbox.
// Build once, then start JShell from the repository root:
//   ./mvnw -B -o -q -pl examples -am package -DskipTests
//   jshell --class-path "$(cat examples/target/classpath.txt):examples/target/classes" examples/jshell/walkthrough.jsh
// (examples/target/classpath.txt is written by the build; examples/target/classes holds the examples and seed.yaml.)
import dev.irsa.policy.*;
import dev.irsa.gitlab.ci.GitLabCiFile;
import dev.irsa.gitlab.runner.RunnerValues;
import dev.irsa.gitlab.runner.ResourceRequests;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.examples.IrsaTarget;
import dev.irsa.examples.WalkthroughArtifacts;
import dev.irsa.plan.ProgressPrinter;
import java.util.Map;

// Quiet: the mock Kubernetes API logs every request (java.util.logging).
var mockServerLog = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
mockServerLog.setLevel(java.util.logging.Level.WARNING);

// 1. The trust policy: only dev/app-deployer of the cluster may assume the role.
var cluster = OidcProvider.of("https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", "111122223333", "aws");
var trust = TrustPolicy.irsa(b -> b.provider(cluster).serviceAccount("dev", "app-deployer"));
System.out.println(trust.toJson(true));

// 2. Lint the walkthrough's admin policy: iam:* is IRSA-P002 (ERROR), accepted deliberately.
var admin = WalkthroughArtifacts.adminPolicy();
var lint = PolicyLinter.lintPermissions(admin).accept("IRSA-P002");
System.out.println(lint);

// 3. The runner's Helm values: job pods under the service account, through runners.config.
// (JShell ends a statement at the end of a line when it is complete: continued lines end with a dot.)
var values = RunnerValues.builder().gitlabUrl("https://gitlab.com/").runnerSecretName("app-dev-runner-token").
        jobs(j -> j.namespace("dev").serviceAccount("app-deployer").image("ubuntu:18.04").
                allRequests(ResourceRequests.of("100m", "128Mi")).nodeSelector(Map.of("nodepool", "dev"))).
        build();
System.out.println(values.runnersConfigToml());

// 4. The pipeline job, tagged for the runner.
System.out.println(WalkthroughArtifacts.pipeline().toYaml());

// 5. The whole seed stack (examples/stacks/seed.yaml) on the sandbox: plan, apply, verify, plan again, destroy.
RunnerStack seed = WalkthroughArtifacts.seedStack();
var target = IrsaTarget.sandbox(seed);
var stack = target.adapt(seed);
var stacks = target.stacks();        // the runner facade; target.irsa() is irsa-core's, for role bindings on their own
System.out.println(stacks.plan(stack).summary());
var applied = stacks.apply(stack, new ProgressPrinter(System.out));
System.out.println(applied.summary());
var verified = stacks.verify(stack);
System.out.println(verified.render());
System.out.println(stacks.plan(stack).render());
var destroyed = stacks.destroy(stack, new ProgressPrinter(System.out));
System.out.println(destroyed.summary());
target.close();
System.out.println(applied.succeeded() && verified.passed() && destroyed.succeeded() ? "walkthrough: OK" : "walkthrough: FAILED");
/exit

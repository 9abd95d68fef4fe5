// Opens an irsa sandbox (IAM, STS, EKS, a cluster, GitLab, Helm; all offline) and walks the IRSA chain.
// Build the classpath once, then start JShell from the repository root:
//   ./mvnw -B -o -q -pl examples -am package -DskipTests
//   jshell --class-path "$(cat examples/target/classpath.txt):examples/target/classes" examples/jshell/sandbox.jsh
import dev.irsa.testing.*;
import dev.irsa.aws.*;
import dev.irsa.kubernetes.*;
import dev.irsa.policy.*;
import java.time.Duration;

var sandbox = IrsaSandbox.builder().region("eu-west-1").clusterName("demo").gitlabProject("platform/app").start();
var cluster = sandbox.awsExecutor().identity().ofCluster("demo");
sandbox.awsExecutor().oidcProviders().ensure(DesiredOidcProvider.forIssuer(cluster.issuerUrl()), Ownership.of("demo"), false);
var trust = TrustPolicy.irsa(s -> s.providerArn(cluster.providerArn()).serviceAccount("ci", "deployer"));
var roleArn = sandbox.awsExecutor().roles().ensure(DesiredRole.builder().name("ci-deployer").trustPolicyJson(trust.toJson()).build(),
        Ownership.of("demo"), false).arn();
sandbox.kubernetesExecutor().ensureNamespace("ci", "demo");
sandbox.kubernetesExecutor().ensureServiceAccount(ServiceAccountBinding.of(b -> b.namespace("ci").name("deployer").stack("demo").roleArn(roleArn)));
var token = sandbox.kubernetesExecutor().requestToken("ci", "deployer", Duration.ofHours(1));
var assumed = sandbox.sts().assumeRoleWithWebIdentity(r -> r.roleArn(roleArn).roleSessionName("jshell").webIdentityToken(token.token().reveal()));
System.out.println("assumed " + assumed.assumedRoleUser().arn());
System.out.println("calls: " + sandbox.calls());
System.out.println("roles: " + sandbox.resources().roles().stream().map(r -> r.arn()).toList());
// Try a fault: sandbox.faults().failAtCall(Service.IAM, 1); then re-run a line above. Close with:
// sandbox.close();

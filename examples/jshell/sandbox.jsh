// Opens an irsa sandbox (IAM, STS, EKS, a cluster, GitLab, Helm; all offline) and walks the IRSA chain.
// Build the classpath once, then start JShell from the repository root:
//   ./mvnw -B -o -q -pl examples -am package -DskipTests
//   jshell --class-path "$(cat examples/target/classpath.txt):examples/target/classes" examples/jshell/sandbox.jsh
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.Service;
import dev.irsa.aws.DesiredOidcProvider;
import dev.irsa.aws.DesiredRole;
import dev.irsa.aws.Ownership;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.policy.TrustPolicy;
import java.time.Duration;

// quiet: INFO logs of the mock server (JUL) and of irsa (logback without a config logs DEBUG)
var julMockServer = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
julMockServer.setLevel(java.util.logging.Level.WARNING);
((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(ch.qos.logback.classic.Level.WARN);

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

package dev.irsa.examples;

import dev.irsa.aws.AwsChange;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.aws.ClusterIdentity;
import dev.irsa.aws.DesiredOidcProvider;
import dev.irsa.aws.DesiredRole;
import dev.irsa.aws.Ownership;
import dev.irsa.aws.RoleExecutor;
import dev.irsa.kubernetes.Change;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.kubernetes.ServiceAccountToken;
import dev.irsa.testing.IrsaSandbox;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The IRSA chain of the walkthrough run directly through irsa's executors on the offline fakes (no plan
 * engine): cluster identity from EKS, the IAM OIDC provider, the role with the walkthrough's trust and
 * admin policy, namespace + annotated service account, then proof: the cluster issues a signed token for
 * the service account and STS (FakeSts, which checks signature, issuer, audience and the trust) exchanges
 * it for role credentials. Shows what the stack automates, one executor call at a time.
 *
 * <pre>{@code
 * try (OfflineIrsaChain chain = OfflineIrsaChain.start()) {
 *     chain.apply(System.out);     // creates everything
 *     chain.verify(System.out);    // a real signed SA token accepted by STS
 *     chain.apply(System.out);     // nothing to do
 *     chain.destroy(System.out);
 * }
 * }</pre>
 */
public final class OfflineIrsaChain implements AutoCloseable {
    public static final String STACK = "walkthrough";
    // The mock Kubernetes server logs every request through java.util.logging; keep the demo readable.
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private final IrsaSandbox sandbox;
    private final AwsExecutor aws;
    private final KubernetesExecutor kubernetes;
    private final Ownership ownership = Ownership.of(STACK);

    private OfflineIrsaChain(IrsaSandbox sandbox) {
        this.sandbox = sandbox;
        this.aws = sandbox.awsExecutor();
        this.kubernetes = sandbox.kubernetesExecutor();
    }

    /** Starts the sandbox: IAM/STS/EKS in memory (account 111122223333, cluster devops), a mock Kubernetes API on 127.0.0.1. */
    public static OfflineIrsaChain start() {
        return new OfflineIrsaChain(IrsaSandbox.builder().region(WalkthroughArtifacts.REGION).clusterName(WalkthroughArtifacts.CLUSTER)
                .account(WalkthroughArtifacts.ACCOUNT).start());
    }

    /** The sandbox underneath (calls, resources, faults). */
    public IrsaSandbox sandbox() {
        return sandbox;
    }

    public ClusterIdentity identity() {
        return aws.identity().ofCluster(WalkthroughArtifacts.CLUSTER);
    }

    /** Converges everything; returns the changing calls made (none when already applied). */
    public List<String> apply(PrintStream out) {
        List<String> changes = new ArrayList<>();
        ClusterIdentity id = identity();
        out.println("  cluster " + WalkthroughArtifacts.CLUSTER + " issuer " + id.issuerUrl());
        for (AwsChange c : aws.oidcProviders().ensure(DesiredOidcProvider.forIssuer(id.issuerUrl()), ownership, false).changes()) {
            changes.add(c.toString());
        }
        RoleExecutor.Result role = aws.roles().ensure(desiredRole(id), ownership, false);
        role.changes().forEach(c -> changes.add(c.toString()));
        for (Change c : List.of(kubernetes.ensureNamespace(WalkthroughArtifacts.NAMESPACE, STACK),
                kubernetes.ensureServiceAccount(binding(role.arn())))) {
            if (c.isMutation()) {
                changes.add(c.toString());
            }
        }
        changes.forEach(c -> out.println("  + " + c));
        out.println("  " + (changes.isEmpty() ? "No changes: everything is as desired." : changes.size() + " change(s)."));
        return changes;
    }

    /** Requests a token for dev/app-deployer from the cluster and exchanges it at STS; returns the assumed role ARN. */
    public String verify(PrintStream out) {
        ServiceAccountToken token = kubernetes.requestToken(WalkthroughArtifacts.NAMESPACE, WalkthroughArtifacts.SERVICE_ACCOUNT, Duration.ofHours(1));
        out.println("  the cluster issued a signed token for system:serviceaccount:" + WalkthroughArtifacts.NAMESPACE + ":"
                + WalkthroughArtifacts.SERVICE_ACCOUNT + " (audience " + String.join(",", token.audiences()) + ")");
        String roleArn = aws.roles().observe(WalkthroughArtifacts.ROLE).orElseThrow().arn();
        AssumeRoleWithWebIdentityResponse r = sandbox.sts().assumeRoleWithWebIdentity(b -> b.roleArn(roleArn)
                .roleSessionName("irsa-verify").webIdentityToken(token.token().reveal()));
        // Only the identity is printed: the credentials themselves are secrets.
        out.println("  STS AssumeRoleWithWebIdentity accepted it: " + r.assumedRoleUser().arn());
        return r.assumedRoleUser().arn();
    }

    /** Removes what this stack owns, dependents first; running it twice is fine. */
    public List<String> destroy(PrintStream out) {
        List<String> changes = new ArrayList<>();
        for (Change c : List.of(kubernetes.removeServiceAccountBinding(WalkthroughArtifacts.NAMESPACE, WalkthroughArtifacts.SERVICE_ACCOUNT, STACK),
                kubernetes.deleteNamespace(WalkthroughArtifacts.NAMESPACE, STACK))) {
            if (c.isMutation()) {
                changes.add(c.toString());
            }
        }
        aws.roles().delete(WalkthroughArtifacts.ROLE, ownership).forEach(c -> changes.add(c.toString()));
        aws.oidcProviders().delete(identity().issuerUrl(), ownership).forEach(c -> changes.add(c.toString()));
        changes.forEach(c -> out.println("  - " + c));
        out.println("  " + (changes.isEmpty() ? "Nothing left to destroy." : changes.size() + " change(s)."));
        return changes;
    }

    private DesiredRole desiredRole(ClusterIdentity id) {
        return DesiredRole.builder().name(WalkthroughArtifacts.ROLE).path("/")
                .description("IRSA role for " + WalkthroughArtifacts.NAMESPACE + "/" + WalkthroughArtifacts.SERVICE_ACCOUNT)
                .trustPolicyJson(WalkthroughArtifacts.trustPolicy(id.issuerUrl(), id.accountId()).toJson())
                .putInlinePolicy("eks-admin-policy", WalkthroughArtifacts.adminPolicy().toJson())
                .build();
    }

    private ServiceAccountBinding binding(String roleArn) {
        return ServiceAccountBinding.of(b -> b.namespace(WalkthroughArtifacts.NAMESPACE).name(WalkthroughArtifacts.SERVICE_ACCOUNT)
                .stack(STACK).roleArn(roleArn));
    }

    static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    @Override
    public void close() {
        sandbox.close();
    }
}

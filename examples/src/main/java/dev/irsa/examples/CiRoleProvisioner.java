package dev.irsa.examples;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.aws.ClusterIdentity;
import dev.irsa.aws.DesiredOidcProvider;
import dev.irsa.aws.DesiredRole;
import dev.irsa.aws.Ownership;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.policy.PermissionsPolicy;
import dev.irsa.policy.TrustPolicy;
import dev.irsa.validation.Validators;
import software.amazon.awssdk.policybuilder.iam.IamEffect;

import java.util.List;
import java.util.Objects;

/**
 * A user's own platform tool built on irsa's executors: gives a CI service account of a cluster an IAM role
 * that may read one S3 bucket. It is what {@code CiRoleProvisionerTest} tests offline with
 * {@code @IrsaSandboxTest}; in production the same class gets executors built over real clients.
 *
 * <pre>{@code
 * CiRoleProvisioner provisioner = new CiRoleProvisioner(awsExecutor, kubernetesExecutor, "platform");
 * Result r = provisioner.provision("prod-eks", "ci", "deployer", "artifacts");
 * r.roleArn();   // arn:aws:iam::123456789012:role/ci-deployer
 * }</pre>
 */
public final class CiRoleProvisioner {
    private final AwsExecutor aws;
    private final KubernetesExecutor kubernetes;
    private final Ownership ownership;

    /** What one run did: the role, and whether anything had to change. */
    public record Result(String roleArn, boolean changed) {
    }

    public CiRoleProvisioner(AwsExecutor aws, KubernetesExecutor kubernetes, String stack) {
        this.aws = Objects.requireNonNull(aws, "aws");
        this.kubernetes = Objects.requireNonNull(kubernetes, "kubernetes");
        this.ownership = Ownership.of(stack);
    }

    /** Ensures provider, role ({@code <namespace>-<serviceAccount>}), namespace and annotated service account. Re-runnable. */
    public Result provision(String cluster, String namespace, String serviceAccount, String bucket) {
        Validators.namespace("namespace", namespace);
        Validators.dns1123Subdomain("serviceAccount", serviceAccount);
        ClusterIdentity identity = aws.identity().ofCluster(cluster);

        boolean changed = !aws.oidcProviders().ensure(DesiredOidcProvider.forIssuer(identity.issuerUrl()), ownership, false)
                .changes().isEmpty();
        TrustPolicy trust = TrustPolicy.irsa(s -> s.providerArn(identity.providerArn()).serviceAccount(namespace, serviceAccount));
        PermissionsPolicy readBucket = PermissionsPolicy.builder().addStatement(s -> s.effect(IamEffect.ALLOW)
                .addAction("s3:GetObject").addAction("s3:ListBucket")
                .addResource("arn:" + identity.partition() + ":s3:::" + bucket)
                .addResource("arn:" + identity.partition() + ":s3:::" + bucket + "/*")).build();
        var role = aws.roles().ensure(DesiredRole.builder().name(namespace + "-" + serviceAccount)
                .description("CI role for " + namespace + "/" + serviceAccount)
                .trustPolicyJson(trust.toJson())
                .putInlinePolicy("read-" + bucket, readBucket.toJson())
                .build(), ownership, false);
        changed |= !role.changes().isEmpty();

        List<dev.irsa.kubernetes.Change> k8s = List.of(
                kubernetes.ensureNamespace(namespace, ownership.stack()),
                kubernetes.ensureServiceAccount(ServiceAccountBinding.of(b -> b.namespace(namespace).name(serviceAccount)
                        .stack(ownership.stack()).roleArn(role.arn()))));
        changed |= k8s.stream().anyMatch(dev.irsa.kubernetes.Change::isMutation);
        return new Result(role.arn(), changed);
    }
}

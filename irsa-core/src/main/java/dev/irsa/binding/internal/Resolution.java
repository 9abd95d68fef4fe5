package dev.irsa.binding.internal;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.aws.ClusterIdentity;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.policy.OidcProvider;
import java.util.Optional;

/**
 * What a binding needs from the live account: the OIDC provider (issuer + account + partition). Looked up
 * at most once, read-only, and not at all when the spec gives issuer and account: for a cluster one EKS
 * DescribeCluster (issuer, and account + partition from the cluster ARN); for GitLab OIDC one STS
 * GetCallerIdentity (the account; nothing else names it).
 */
public final class Resolution {
    private final RoleBinding binding;
    private final AwsExecutor aws;
    private volatile OidcProvider provider;

    public Resolution(RoleBinding binding, AwsExecutor aws) {
        this.binding = binding;
        this.aws = aws;
    }

    public synchronized OidcProvider provider() {
        if (provider == null) {
            provider = binding.staticProvider().orElseGet(this::lookUp);
        }
        return provider;
    }

    private OidcProvider lookUp() {
        if (binding.mode() == IdentityMode.GITLAB_OIDC) {
            String account = aws.identity().callerIdentity().accountId();
            return OidcProvider.of(binding.gitlabOidc().orElseThrow().issuerUrl(), account, binding.partition());
        }
        ClusterRef cluster = binding.cluster().orElseThrow();
        ClusterIdentity identity = aws.identity().ofCluster(cluster.clusterName().orElseThrow());
        return OidcProvider.of(identity.issuerUrl(), identity.accountId(), identity.partition());
    }

    public String accountId() {
        return provider().accountId();
    }

    public String partition() {
        return provider().partition();
    }

    public String roleArn() {
        return binding.roleArn(accountId(), partition());
    }

    public Optional<String> clusterName() {
        return binding.cluster().flatMap(ClusterRef::clusterName);
    }
}

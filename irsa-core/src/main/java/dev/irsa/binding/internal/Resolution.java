package dev.irsa.binding.internal;

import dev.irsa.binding.PlanLookups;
import dev.irsa.aws.AccountMismatchException;
import dev.irsa.aws.ClusterIdentity;
import dev.irsa.aws.ClusterIdentityExecutor;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.policy.OidcProvider;
import java.util.Optional;

/**
 * What a binding needs from the live account: the OIDC provider (issuer + account + partition). Looked up
 * at most once, read-only: for a cluster one EKS DescribeCluster (issuer, and account + partition from the
 * cluster ARN, which is the caller's); for GitLab OIDC one STS GetCallerIdentity (the account; nothing else
 * names it). When the spec gives issuer and account, one STS GetCallerIdentity checks that the account is
 * the caller's. The lookups are shared by the bindings of one plan ({@link PlanLookups}).
 */
public final class Resolution {
    private final RoleBinding binding;
    private final PlanLookups lookups;
    private volatile OidcProvider provider;

    public Resolution(RoleBinding binding, PlanLookups lookups) {
        this.binding = binding;
        this.lookups = lookups;
    }

    public synchronized OidcProvider provider() {
        if (provider == null) {
            provider = binding.staticProvider().map(this::checkedAgainstCaller).orElseGet(this::lookUp);
        }
        return provider;
    }

    /**
     * An account named in the spec must be the caller's (one STS GetCallerIdentity, read-only): IAM writes
     * into the caller's account whatever the spec says, so a wrong id fails late and obscurely otherwise.
     */
    private OidcProvider checkedAgainstCaller(OidcProvider given) {
        ClusterIdentityExecutor.CallerIdentity caller = lookups.callerIdentity();
        if (!caller.accountId().equals(given.accountId()) || !caller.partition().equals(given.partition())) {
            throw new AccountMismatchException(given.accountId(), given.partition(), caller.accountId(), caller.partition());
        }
        return given;
    }

    private OidcProvider lookUp() {
        if (binding.mode() == IdentityMode.GITLAB_OIDC) {
            String account = lookups.callerIdentity().accountId();
            return OidcProvider.of(binding.gitlabOidc().orElseThrow().issuerUrl(), account, binding.partition());
        }
        ClusterRef cluster = binding.cluster().orElseThrow();
        ClusterIdentity identity = lookups.cluster(cluster.clusterName().orElseThrow());
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

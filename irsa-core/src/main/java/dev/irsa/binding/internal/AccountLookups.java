package dev.irsa.binding.internal;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.aws.ClusterIdentity;
import dev.irsa.aws.ClusterIdentityExecutor;
import java.util.HashMap;
import java.util.Map;

/**
 * The read-only lookups the bindings of one plan share: the caller's identity (STS GetCallerIdentity) and
 * each EKS cluster's identity (DescribeCluster), made once per plan however many bindings need them, so a
 * plan's calls per binding do not grow with the number of bindings. A failed lookup is not remembered.
 */
public final class AccountLookups {
    private final AwsExecutor aws;
    private ClusterIdentityExecutor.CallerIdentity caller;
    private final Map<String, ClusterIdentity> clusters = new HashMap<>();

    public AccountLookups(AwsExecutor aws) {
        this.aws = aws;
    }

    synchronized ClusterIdentityExecutor.CallerIdentity caller() {
        if (caller == null) {
            caller = aws.identity().callerIdentity();
        }
        return caller;
    }

    synchronized ClusterIdentity cluster(String name) {
        ClusterIdentity known = clusters.get(name);
        if (known == null) {
            known = aws.identity().ofCluster(name);
            clusters.put(name, known);
        }
        return known;
    }
}

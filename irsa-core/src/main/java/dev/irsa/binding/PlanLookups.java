package dev.irsa.binding;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.aws.ClusterIdentity;
import dev.irsa.aws.ClusterIdentityExecutor;
import java.util.HashMap;
import java.util.Map;

/**
 * The read-only lookups the bindings of one plan share: the caller's identity (STS GetCallerIdentity) and
 * each EKS cluster's identity (DescribeCluster), made once per plan however many bindings need them, so a
 * plan's calls per binding do not grow with the number of bindings. A failed lookup is not remembered. Make one
 * per plan (a cluster recreated later has a new issuer):
 *
 * <pre>{@code
 * PlanLookups lookups = PlanLookups.create(awsExecutor);
 * List<Resource> resources = new ArrayList<>(dev.resources(backends, lookups));
 * resources.addAll(prod.resources(backends, lookups));       // DescribeCluster once for both
 * Plan plan = Planner.create().plan("dev-and-prod", resources);
 * }</pre>
 */
public final class PlanLookups {
    private final AwsExecutor aws;
    private ClusterIdentityExecutor.CallerIdentity caller;
    private final Map<String, ClusterIdentity> clusters = new HashMap<>();

    private PlanLookups(AwsExecutor aws) {
        this.aws = java.util.Objects.requireNonNull(aws, "aws");
    }

    public static PlanLookups create(AwsExecutor aws) {
        return new PlanLookups(aws);
    }

    /** The caller's account and partition (STS GetCallerIdentity, once). */
    public synchronized ClusterIdentityExecutor.CallerIdentity callerIdentity() {
        if (caller == null) {
            caller = aws.identity().callerIdentity();
        }
        return caller;
    }

    /** The EKS cluster's issuer, account and partition (EKS DescribeCluster, once per name). */
    public synchronized ClusterIdentity cluster(String name) {
        ClusterIdentity known = clusters.get(name);
        if (known == null) {
            known = aws.identity().ofCluster(name);
            clusters.put(name, known);
        }
        return known;
    }
}

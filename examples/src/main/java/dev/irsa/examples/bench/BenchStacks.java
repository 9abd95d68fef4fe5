package dev.irsa.examples.bench;

import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.examples.WalkthroughArtifacts;

/** The stacks the benchmarks apply: the walkthrough's binding, and numbered copies of it for "many stacks". */
final class BenchStacks {
    /** Stack name on the shared OIDC provider of the many-stacks runs (created once, before timing). */
    static final String PROVIDER_OWNER = "bench";

    private BenchStacks() {
    }

    /** The walkthrough: role eks-cluster-role with the admin policy (IRSA-P002 accepted), SA dev/app-deployer. */
    static RoleBinding walkthrough(String clusterName, String region) {
        return RoleBinding.builder()
                .name("walkthrough")
                .cluster(ClusterRef.eks(clusterName, region))
                .role(r -> r.name(WalkthroughArtifacts.ROLE).inlinePolicy("eks-admin", WalkthroughArtifacts.adminPolicy()))
                .serviceAccount(WalkthroughArtifacts.NAMESPACE, WalkthroughArtifacts.SERVICE_ACCOUNT)
                .acceptLint(WalkthroughArtifacts.ACCEPTED_ADMIN_FINDING_IN_ROLE)
                .build();
    }

    /** Stack {@code i} of a many-stacks run: its own role and namespace, the cluster's provider shared. */
    static RoleBinding numbered(int i, String clusterName, String region) {
        return RoleBinding.builder()
                .name("bench-" + i)
                .providerOwner(PROVIDER_OWNER)
                .cluster(ClusterRef.eks(clusterName, region))
                .role(r -> r.name("bench-role-" + i).inlinePolicy("eks-admin", WalkthroughArtifacts.adminPolicy()))
                .serviceAccount("bench-" + i, WalkthroughArtifacts.SERVICE_ACCOUNT)
                .acceptLint(WalkthroughArtifacts.ACCEPTED_ADMIN_FINDING_IN_ROLE)
                .build();
    }

    /** The stack whose only job is to create the shared provider before a timed many-stacks run. */
    static RoleBinding providerBootstrap(String clusterName, String region) {
        return RoleBinding.builder()
                .name(PROVIDER_OWNER)
                .cluster(ClusterRef.eks(clusterName, region))
                .role(r -> r.name("bench-bootstrap").inlinePolicy("eks-admin", WalkthroughArtifacts.adminPolicy()))
                .serviceAccount("bench-bootstrap", WalkthroughArtifacts.SERVICE_ACCOUNT)
                .acceptLint(WalkthroughArtifacts.ACCEPTED_ADMIN_FINDING_IN_ROLE)
                .build();
    }
}

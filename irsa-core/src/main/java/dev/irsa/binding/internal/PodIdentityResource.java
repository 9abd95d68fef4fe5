package dev.irsa.binding.internal;

import dev.irsa.aws.ObservedPodIdentityAssociation;
import dev.irsa.aws.Ownership;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.ServiceAccountSpec;
import dev.irsa.plan.ApplyContext;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Inputs;
import dev.irsa.plan.Observed;
import dev.irsa.plan.Outputs;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.Services;
import java.util.Optional;
import java.util.Set;

/** The EKS pod identity association (Pod Identity). */
final class PodIdentityResource implements Resource {
    private final RoleBinding binding;
    private final BindingBackends backends;
    private final Resolution resolution;
    private final ServiceAccountSpec sa;
    private final String cluster;
    private final Ownership ownership;

    PodIdentityResource(RoleBinding binding, BindingBackends backends, Resolution resolution) {
        this.binding = binding;
        this.backends = backends;
        this.resolution = resolution;
        this.sa = binding.serviceAccount().orElseThrow();
        this.cluster = binding.cluster().flatMap(ClusterRef::clusterName).orElseThrow();
        this.ownership = Ownership.of(binding.name());
    }

    @Override
    public ResourceId id() {
        return BindingResources.workloadId(binding).orElseThrow();
    }

    @Override
    public String service() {
        return Services.EKS;
    }

    @Override
    public Set<ResourceId> dependsOn() {
        return Set.of(BindingResources.roleId(binding), BindingResources.serviceAccountId(binding).orElseThrow());
    }

    @Override
    public Observed observe() {
        Optional<ObservedPodIdentityAssociation> live = backends.aws().podIdentity().observe(cluster, sa.namespace(), sa.name());
        if (live.isEmpty()) {
            return Observed.absent();
        }
        Fields fields = Fields.of(f -> f.put("role_arn", live.get().roleArn()));
        return live.get().ownedBy(ownership) ? Observed.owned(fields) : Observed.foreign(fields);
    }

    @Override
    public Fields desired(Inputs inputs) {
        return Fields.of(f -> f.put("role_arn", resolution.roleArn()));
    }

    @Override
    public Outputs apply(ApplyContext context) {
        String roleArn = context.output(BindingResources.roleId(binding), RoleBinding.ROLE_ARN).orElseGet(resolution::roleArn);
        backends.aws().podIdentity().ensure(cluster, sa.namespace(), sa.name(), roleArn, ownership, context.change().adopt());
        return Outputs.none();
    }

    @Override
    public void delete(ApplyContext context) {
        backends.aws().podIdentity().delete(cluster, sa.namespace(), sa.name(), ownership);
    }
}

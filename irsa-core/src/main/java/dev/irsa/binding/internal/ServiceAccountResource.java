package dev.irsa.binding.internal;

import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.ServiceAccountSpec;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.ServiceAccountBinding;
import dev.irsa.kubernetes.ServiceAccountObservation;
import dev.irsa.plan.ApplyContext;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Inputs;
import dev.irsa.plan.Observed;
import dev.irsa.plan.Outputs;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.Services;
import java.util.Set;

/**
 * The service account: annotated with the role ARN (IRSA), or bare, without a role annotation (Pod
 * Identity: the association names it). Created and labelled by irsa, or adopted on request.
 */
final class ServiceAccountResource implements Resource {
    static final String ROLE_ANNOTATION = "annotations." + IrsaMetadata.ROLE_ARN_ANNOTATION;
    static final String AUDIENCE_ANNOTATION = "annotations." + IrsaMetadata.AUDIENCE_ANNOTATION;
    private final RoleBinding binding;
    private final ServiceAccountSpec sa;
    private final KubernetesExecutor k8s;
    private final Resolution resolution;

    ServiceAccountResource(RoleBinding binding, KubernetesExecutor k8s, Resolution resolution) {
        this.binding = binding;
        this.sa = binding.serviceAccount().orElseThrow();
        this.k8s = k8s;
        this.resolution = resolution;
    }

    @Override
    public ResourceId id() {
        return BindingResources.serviceAccountId(binding).orElseThrow();
    }

    @Override
    public String service() {
        return Services.KUBERNETES;
    }

    @Override
    public Set<ResourceId> dependsOn() {
        return Set.of(BindingResources.roleId(binding), BindingResources.namespaceId(sa.namespace()));
    }

    private boolean annotated() {
        return binding.mode() == IdentityMode.IRSA;
    }

    ServiceAccountBinding spec(String roleArn, boolean adopt) {
        return ServiceAccountBinding.of(b -> {
            b.namespace(sa.namespace()).name(sa.name()).stack(binding.name()).adopt(adopt);
            if (annotated()) {
                b.roleArn(roleArn);
                if (!sa.audience().equals(ServiceAccountSpec.DEFAULT_AUDIENCE)) {
                    b.audience(sa.audience());
                }
            }
        });
    }

    @Override
    public Observed observe() {
        ServiceAccountObservation live = k8s.observeServiceAccount(spec(resolution.roleArn(), false));
        Fields fields = Fields.of(f -> {
            f.put(ROLE_ANNOTATION, live.annotations().getOrDefault(IrsaMetadata.ROLE_ARN_ANNOTATION, ""));
            f.put(AUDIENCE_ANNOTATION, live.annotations().getOrDefault(IrsaMetadata.AUDIENCE_ANNOTATION, ""));
        });
        return switch (live.ownership()) {
            case ABSENT -> Observed.absent();
            case CREATED_BY_STACK, ADOPTED_BY_STACK -> Observed.owned(fields);
            case OTHER_STACK, FOREIGN -> Observed.foreign(fields);
        };
    }

    @Override
    public Fields desired(Inputs inputs) {
        // The ARN is known before the role exists (account + path + name), so the plan shows it.
        return Fields.of(f -> {
            f.put(ROLE_ANNOTATION, annotated() ? resolution.roleArn() : "");
            f.put(AUDIENCE_ANNOTATION, !annotated() || sa.audience().equals(ServiceAccountSpec.DEFAULT_AUDIENCE) ? "" : sa.audience());
        });
    }

    @Override
    public Outputs apply(ApplyContext context) {
        String roleArn = context.output(BindingResources.roleId(binding), RoleBinding.ROLE_ARN).orElseGet(resolution::roleArn);
        k8s.ensureServiceAccount(spec(roleArn, context.change().adopt() || sa.adopt()));
        return Outputs.none();
    }

    @Override
    public void delete(ApplyContext context) {
        k8s.removeServiceAccountBinding(sa.namespace(), sa.name(), binding.name());
    }
}

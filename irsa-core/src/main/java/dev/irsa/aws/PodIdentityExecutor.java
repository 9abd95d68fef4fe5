package dev.irsa.aws;

import dev.irsa.aws.internal.AwsCalls;
import dev.irsa.validation.Validators;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.PodIdentityAssociation;
import software.amazon.awssdk.services.eks.model.PodIdentityAssociationSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * EKS Pod Identity: the association of a (namespace, service account) with a role, for the Pod
 * Identity mode (instead of the IRSA annotation). One association per service account, as EKS allows.
 */
public final class PodIdentityExecutor {
    private final EksClient eks;
    private final AwsCalls calls;

    PodIdentityExecutor(EksClient eks, AwsCalls calls) {
        this.eks = eks;
        this.calls = calls;
    }

    /** The association of this service account, or empty. Read-only. */
    public Optional<ObservedPodIdentityAssociation> observe(String clusterName, String namespace, String serviceAccount) {
        validate(clusterName, namespace, serviceAccount);
        String resource = resource(clusterName, namespace, serviceAccount);
        List<PodIdentityAssociationSummary> found = calls.call(resource, "ListPodIdentityAssociations", () -> eks()
                .listPodIdentityAssociationsPaginator(b -> b.clusterName(clusterName).namespace(namespace).serviceAccount(serviceAccount))
                .associations().stream().toList());
        for (PodIdentityAssociationSummary s : found) {
            if (namespace.equals(s.namespace()) && serviceAccount.equals(s.serviceAccount())) {
                try {
                    PodIdentityAssociation a = calls.call(resource, "DescribePodIdentityAssociation", () -> eks()
                            .describePodIdentityAssociation(b -> b.clusterName(clusterName).associationId(s.associationId()))).association();
                    return Optional.of(toObserved(a));
                } catch (AwsOperationException e) {
                    if (!e.hasErrorCode("ResourceNotFoundException")) {
                        throw e;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Creates the association or points it at {@code roleArn}. Returns the changing calls made (none when it already was). */
    public Result ensure(String clusterName, String namespace, String serviceAccount, String roleArn, Ownership ownership, boolean adopt) {
        validate(clusterName, namespace, serviceAccount);
        Validators.notBlank("podIdentity.roleArn", roleArn);
        String resource = resource(clusterName, namespace, serviceAccount);
        List<AwsChange> changes = new ArrayList<>();
        Optional<ObservedPodIdentityAssociation> observed = observe(clusterName, namespace, serviceAccount);
        if (observed.isEmpty()) {
            try {
                PodIdentityAssociation a = calls.call(resource, "CreatePodIdentityAssociation", () -> eks().createPodIdentityAssociation(b -> b
                        .clusterName(clusterName).namespace(namespace).serviceAccount(serviceAccount).roleArn(roleArn)
                        .tags(ownership.tags()))).association();
                changes.add(new AwsChange(resource, "CreatePodIdentityAssociation", "role " + roleArn));
                return new Result(toObserved(a).associationId(), changes);
            } catch (AwsOperationException e) {
                if (!e.hasErrorCode("ResourceInUseException")) {
                    throw e;
                }
                observed = observe(clusterName, namespace, serviceAccount);
                if (observed.isEmpty()) {
                    throw e;
                }
            }
        }
        ObservedPodIdentityAssociation current = observed.get();
        if (current.roleArn().equals(roleArn)) {
            return new Result(current.associationId(), changes);
        }
        if (!current.ownedBy(ownership) && !adopt) {
            throw new NotOwnedException(resource, "UpdatePodIdentityAssociation", ownership, Ownership.describe(current.tags()));
        }
        calls.call(resource, "UpdatePodIdentityAssociation", () -> eks().updatePodIdentityAssociation(b -> b
                .clusterName(clusterName).associationId(current.associationId()).roleArn(roleArn)));
        changes.add(new AwsChange(resource, "UpdatePodIdentityAssociation", "role " + current.roleArn() + " -> " + roleArn));
        if (!current.ownedBy(ownership)) {
            calls.call(resource, "TagResource", () -> eks().tagResource(b -> b.resourceArn(current.associationArn()).tags(ownership.tags())));
            changes.add(new AwsChange(resource, "TagResource", "adopted into stack " + ownership.stack()));
        }
        return new Result(current.associationId(), changes);
    }

    /** Deletes this stack's association. Already gone: no change. Not ours: {@link NotOwnedException}. */
    public List<AwsChange> delete(String clusterName, String namespace, String serviceAccount, Ownership ownership) {
        String resource = resource(clusterName, namespace, serviceAccount);
        Optional<ObservedPodIdentityAssociation> observed = observe(clusterName, namespace, serviceAccount);
        if (observed.isEmpty()) {
            return List.of();
        }
        ObservedPodIdentityAssociation current = observed.get();
        if (!current.ownedBy(ownership)) {
            throw new NotOwnedException(resource, "DeletePodIdentityAssociation", ownership, Ownership.describe(current.tags()));
        }
        try {
            calls.call(resource, "DeletePodIdentityAssociation", () -> eks().deletePodIdentityAssociation(b -> b
                    .clusterName(clusterName).associationId(current.associationId())));
        } catch (AwsOperationException e) {
            if (e.hasErrorCode("ResourceNotFoundException")) {
                return List.of();
            }
            throw e;
        }
        return List.of(new AwsChange(resource, "DeletePodIdentityAssociation", current.associationId()));
    }

    private EksClient eks() {
        if (eks == null) {
            throw new IllegalStateException("no EKS client configured");
        }
        return eks;
    }

    private static ObservedPodIdentityAssociation toObserved(PodIdentityAssociation a) {
        Map<String, String> tags = a.tags() == null ? Map.of() : a.tags();
        return new ObservedPodIdentityAssociation(a.associationId(), a.associationArn(), a.clusterName(), a.namespace(),
                a.serviceAccount(), a.roleArn(), tags);
    }

    private static void validate(String clusterName, String namespace, String serviceAccount) {
        Validators.eksClusterName("cluster.name", clusterName);
        Validators.namespace("serviceAccount.namespace", namespace);
        Validators.serviceAccountName("serviceAccount.name", serviceAccount);
    }

    private static String resource(String cluster, String namespace, String serviceAccount) {
        return "pod identity association " + cluster + "/" + namespace + "/" + serviceAccount;
    }

    /** The association id and the changing calls an ensure made. */
    public record Result(String associationId, List<AwsChange> changes) {
        public Result {
            Objects.requireNonNull(associationId, "associationId");
            changes = List.copyOf(changes);
        }
    }
}

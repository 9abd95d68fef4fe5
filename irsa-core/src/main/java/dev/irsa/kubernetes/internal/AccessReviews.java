package dev.irsa.kubernetes.internal;

import dev.irsa.IrsaException;
import dev.irsa.kubernetes.AccessRequest;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.List;

/**
 * Asks the API server whether the client's own identity may do something: one {@code SelfSubjectAccessReview}
 * ({@code POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews}) per verb and resource, as
 * {@code kubectl auth can-i} does. Any authenticated user may create one (the {@code system:basic-user}
 * ClusterRole grants it), so the answer says what RBAC (and any other authorizer) allows, without trying it.
 */
public final class AccessReviews {
    private final KubernetesClient client;

    public AccessReviews(KubernetesClient client) {
        this.client = client;
    }

    public List<AccessRequest.Decision> review(List<AccessRequest> requests) {
        List<AccessRequest.Decision> decisions = new ArrayList<>();
        for (AccessRequest request : requests) {
            for (String verb : request.verbs()) {
                decisions.add(review(request, verb));
            }
        }
        return decisions;
    }

    private AccessRequest.Decision review(AccessRequest request, String verb) {
        ResourceAttributesBuilder attributes = new ResourceAttributesBuilder()
                .withGroup(request.group()).withResource(request.baseResource()).withVerb(verb)
                .withNamespace(request.namespace().orElse(null));
        request.subresource().ifPresent(attributes::withSubresource);
        SelfSubjectAccessReview asked = new SelfSubjectAccessReviewBuilder()
                .withNewSpec().withResourceAttributes(attributes.build()).endSpec().build();
        SelfSubjectAccessReview answer;
        try {
            answer = client.authorization().v1().selfSubjectAccessReview().create(asked);
        } catch (KubernetesClientException e) {
            throw new IrsaException("SelfSubjectAccessReview of " + verb + " " + request.describe() + " failed: "
                    + ConflictRetry.describe(client, e));
        }
        boolean allowed = answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
        String reason = answer.getStatus() == null ? "" : answer.getStatus().getReason();
        return new AccessRequest.Decision(request, verb, allowed, reason);
    }
}

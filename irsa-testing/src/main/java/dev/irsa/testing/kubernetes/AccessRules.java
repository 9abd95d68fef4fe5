package dev.irsa.testing.kubernetes;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the simulated cluster's authorizer allows the caller, answering {@code SelfSubjectAccessReview}
 * ({@code POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews}) as the API server does
 * (kubernetes {@code pkg/registry/authorization/selfsubjectaccessreview/rest.go}): a spec without exactly one of
 * {@code resourceAttributes} / {@code nonResourceAttributes} is 422 Invalid
 * ({@code ValidateSelfSubjectAccessReview}); otherwise 201 with the review echoed and
 * {@code status.allowed} set from the decision. The client is cluster-admin by default (as the kubeconfig that
 * created an EKS cluster is); {@link #deny} takes a verb away, and then the answer is RBAC's "no opinion":
 * {@code allowed: false}, no {@code denied}, an empty reason. The CRUD endpoints themselves do not enforce these
 * rules: they say what a review answers, as a test of a tool that asks before acting needs.
 */
public final class AccessRules {
    private static final String ALLOWED_REASON = "RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of ClusterRole \"cluster-admin\" to Group \"system:masters\"";

    private record Denied(String verb, String group, String resource, String namespace) {
        boolean matches(ResourceAttributes a) {
            String asked = a.getSubresource() == null || a.getSubresource().isEmpty() ? a.getResource() : a.getResource() + "/" + a.getSubresource();
            return verb.equals(a.getVerb()) && group.equals(Objects.requireNonNullElse(a.getGroup(), ""))
                    && resource.equals(asked) && (namespace == null || namespace.equals(a.getNamespace()));
        }
    }

    private final List<Denied> denied = new CopyOnWriteArrayList<>();

    AccessRules() {
    }

    /**
     * From now on the caller may not {@code verb} on {@code resource} (plural, optionally {@code name/subresource})
     * of API group {@code group} ({@code ""} for core) in {@code namespace} ({@code null}: in every namespace and
     * cluster-wide).
     */
    public AccessRules deny(String verb, String group, String resource, String namespace) {
        denied.add(new Denied(verb, group, resource, namespace));
        return this;
    }

    /** Everything allowed again. */
    public void reset() {
        denied.clear();
    }

    MockResponse answer(String body) {
        SelfSubjectAccessReview review;
        try {
            review = Serialization.unmarshal(body, SelfSubjectAccessReview.class);
        } catch (RuntimeException e) {
            return invalid("the body is not a SelfSubjectAccessReview");
        }
        if (review == null || review.getSpec() == null
                || (review.getSpec().getResourceAttributes() == null) == (review.getSpec().getNonResourceAttributes() == null)) {
            return invalid("spec.resourceAttributes: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        ResourceAttributes asked = review.getSpec().getResourceAttributes();
        boolean allowed = asked == null || denied.stream().noneMatch(d -> d.matches(asked));
        review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed).withReason(allowed ? ALLOWED_REASON : "").build());
        return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
    }

    private static MockResponse invalid(String message) {
        return new MockResponse().setResponseCode(422).setBody(Serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(422)
                .withReason("Invalid").withMessage("SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: " + message).build()));
    }
}

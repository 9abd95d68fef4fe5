package dev.irsa.testing.kubernetes;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulated cluster answers SelfSubjectAccessReview as kube-apiserver does
 * (pkg/registry/authorization/selfsubjectaccessreview/rest.go): 422 Invalid unless exactly one of
 * resourceAttributes / nonResourceAttributes is set, else the review back with status.allowed.
 */
class AccessReviewTest {
    private static SelfSubjectAccessReview review(String verb, String resource, String namespace) {
        return new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes().withVerb(verb).withResource(resource)
                .withNamespace(namespace).endResourceAttributes().endSpec().build();
    }

    @Test
    void allowedUntilDeniedThenNoOpinion() {
        try (SimulatedEksCluster cluster = SimulatedEksCluster.builder().start()) {
            var reviews = cluster.client().authorization().v1().selfSubjectAccessReview();
            assertThat(reviews.create(review("create", "secrets", "dev")).getStatus().getAllowed()).isTrue();

            cluster.webhook().accessRules().deny("create", "", "secrets", "dev");

            SelfSubjectAccessReview answer = reviews.create(review("create", "secrets", "dev"));
            assertThat(answer.getStatus().getAllowed()).isFalse();
            assertThat(answer.getStatus().getDenied()).isNull();
            assertThat(answer.getSpec().getResourceAttributes().getVerb()).isEqualTo("create");
            assertThat(reviews.create(review("create", "secrets", "prod")).getStatus().getAllowed()).isTrue();
            assertThat(reviews.create(review("get", "secrets", "dev")).getStatus().getAllowed()).isTrue();
        }
    }

    @Test
    void aReviewWithoutAttributesIsInvalid() {
        try (SimulatedEksCluster cluster = SimulatedEksCluster.builder().start()) {
            assertThatThrownBy(() -> cluster.client().authorization().v1().selfSubjectAccessReview()
                    .create(new SelfSubjectAccessReviewBuilder().withNewSpec().endSpec().build()))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        }
    }
}

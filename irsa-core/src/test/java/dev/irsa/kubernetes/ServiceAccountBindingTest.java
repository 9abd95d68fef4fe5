package dev.irsa.kubernetes;

import dev.irsa.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceAccountBindingTest {

    private static ServiceAccountBinding.Builder valid() {
        return ServiceAccountBinding.builder().namespace("gitlab-runner").name("ci-jobs").stack("demo")
                .roleArn("arn:aws:iam::123456789012:role/gitlab-jobs");
    }

    @Test
    void rendersTheWebhookAnnotationsAndOwnershipLabels() {
        ServiceAccountBinding b = valid().audience("sts.amazonaws.com").stsRegionalEndpoints(true)
                .tokenExpiration(Duration.ofHours(2)).build();
        assertThat(b.annotations()).containsOnly(
                org.assertj.core.api.Assertions.entry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/gitlab-jobs"),
                org.assertj.core.api.Assertions.entry("eks.amazonaws.com/audience", "sts.amazonaws.com"),
                org.assertj.core.api.Assertions.entry("eks.amazonaws.com/sts-regional-endpoints", "true"),
                org.assertj.core.api.Assertions.entry("eks.amazonaws.com/token-expiration", "7200"));
        assertThat(b.labels()).containsOnly(
                org.assertj.core.api.Assertions.entry("app.kubernetes.io/managed-by", "irsa"),
                org.assertj.core.api.Assertions.entry("irsa.dev/stack", "demo"));
        assertThat(b.adopt()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:iam::123456789012:role/a", "arn:aws-cn:iam::123456789012:role/ci/sub/gitlab-jobs",
            "arn:aws-us-gov:iam::000000000000:role/x+=,.@_-y"})
    void acceptsRoleArns(String arn) {
        assertThat(valid().roleArn(arn).build().roleArn()).contains(arn);
    }

    @Test
    void aPodIdentityAccountHasNoRoleAnnotationOnlyTheOwnershipLabels() {
        ServiceAccountBinding b = ServiceAccountBinding.of(s -> s.namespace("dev").name("app-deployer").stack("seed"));
        assertThat(b.roleArn()).isEmpty();
        assertThat(b.annotations()).isEmpty();
        assertThat(b.labels()).containsEntry("irsa.dev/stack", "seed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gitlab-jobs", "arn:aws:iam::12345678901:role/a", "arn:aws:iam::123456789012:user/a",
            "arn:aws:iam:us-east-1:123456789012:role/a", "arn:aws:iam::123456789012:role/", "arn:foo:iam::123456789012:role/a",
            "arn:aws:iam::123456789012:role//a", "arn:aws:iam::123456789012:role/a b",
            "arn:aws:iam::123456789012:role/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void rejectsMalformedRoleArns(String arn) {
        assertThatThrownBy(() -> valid().roleArn(arn).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("serviceAccount.roleArn");
                    assertThat(e.value()).isEqualTo(arn);
                });
    }

    @Test
    void rejectsBadNamesAndAnnotationValues() {
        assertThatThrownBy(() -> valid().namespace("Gitlab_Runner").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("serviceAccount.namespace"));
        assertThatThrownBy(() -> valid().name("CI jobs").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("serviceAccount.name"));
        assertThatThrownBy(() -> valid().stack("-demo").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("serviceAccount.stack"));
        assertThatThrownBy(() -> valid().audience("sts amazonaws").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("serviceAccount.audience"));
        assertThatThrownBy(() -> valid().tokenExpiration(Duration.ofMinutes(5)).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("serviceAccount.tokenExpiration"));
        assertThatThrownBy(() -> valid().tokenExpiration(Duration.ofMillis(3_600_500)).build())
                .isInstanceOf(ValidationException.class);
    }
}

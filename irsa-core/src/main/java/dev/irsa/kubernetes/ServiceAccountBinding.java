package dev.irsa.kubernetes;

import dev.irsa.kubernetes.internal.KubernetesValidation;
import dev.irsa.validation.Validators;
import org.immutables.value.Value;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The desired binding of one Kubernetes service account to one IAM role: for IRSA the annotations the EKS
 * pod identity webhook reads, for EKS Pod Identity none (the association names the account); plus irsa's
 * ownership labels. Validated when built, so bad input fails before any
 * request.
 *
 * <pre>{@code
 * ServiceAccountBinding binding = ServiceAccountBinding.builder()
 *         .namespace("gitlab-runner").name("ci-jobs").stack("demo")
 *         .roleArn("arn:aws:iam::123456789012:role/ci/gitlab-jobs")
 *         .stsRegionalEndpoints(true)
 *         .build();
 * binding.annotations(); // {eks.amazonaws.com/role-arn=arn:..., eks.amazonaws.com/sts-regional-endpoints=true}
 * }</pre>
 */
@Value.Immutable
@Value.Style(visibility = Value.Style.ImplementationVisibility.PACKAGE, overshadowImplementation = true)
public interface ServiceAccountBinding {

    String namespace();

    String name();

    /** The irsa stack this binding belongs to (value of the {@code irsa.dev/stack} label). */
    String stack();

    /**
     * {@code arn:<partition>:iam::<account>:role/<path><name>}, written as {@code eks.amazonaws.com/role-arn}
     * (IRSA). Empty for an EKS Pod Identity account: the association names the role, and an annotation would
     * make the IRSA webhook inject web-identity credentials, which the AWS SDKs prefer to Pod Identity's.
     */
    Optional<String> roleArn();

    /** {@code eks.amazonaws.com/audience}; the webhook defaults to {@code sts.amazonaws.com}. */
    Optional<String> audience();

    /** {@code eks.amazonaws.com/sts-regional-endpoints}. */
    Optional<Boolean> stsRegionalEndpoints();

    /** {@code eks.amazonaws.com/token-expiration} (seconds); the webhook defaults to 86400. */
    Optional<Duration> tokenExpiration();

    /** Take over an existing service account that irsa did not create. Off by default. */
    @Value.Default
    default boolean adopt() {
        return false;
    }

    /** The {@code eks.amazonaws.com/*} annotations this binding sets. */
    @Value.Derived
    default Map<String, String> annotations() {
        Map<String, String> a = new LinkedHashMap<>();
        roleArn().ifPresent(v -> a.put(IrsaMetadata.ROLE_ARN_ANNOTATION, v));
        audience().ifPresent(v -> a.put(IrsaMetadata.AUDIENCE_ANNOTATION, v));
        stsRegionalEndpoints().ifPresent(v -> a.put(IrsaMetadata.STS_REGIONAL_ENDPOINTS_ANNOTATION, v.toString()));
        tokenExpiration().ifPresent(v -> a.put(IrsaMetadata.TOKEN_EXPIRATION_ANNOTATION, Long.toString(v.getSeconds())));
        return Map.copyOf(a);
    }

    /** The ownership labels. */
    @Value.Derived
    default Map<String, String> labels() {
        return IrsaMetadata.ownershipLabels(stack());
    }

    @Value.Check
    default void validate() {
        Validators.namespace("serviceAccount.namespace", namespace());
        Validators.serviceAccountName("serviceAccount.name", name());
        KubernetesValidation.labelValue("serviceAccount.stack", stack());
        roleArn().ifPresent(v -> KubernetesValidation.roleArn("serviceAccount.roleArn", v));
        audience().ifPresent(v -> KubernetesValidation.audience("serviceAccount.audience", v));
        tokenExpiration().ifPresent(v -> KubernetesValidation.tokenExpiration("serviceAccount.tokenExpiration", v));
    }

    static Builder builder() {
        return new Builder();
    }

    static ServiceAccountBinding of(Consumer<Builder> spec) {
        Builder b = builder();
        spec.accept(b);
        return b.build();
    }

    /** Fluent builder; {@link #build()} validates. */
    final class Builder extends ImmutableServiceAccountBinding.Builder {
    }
}

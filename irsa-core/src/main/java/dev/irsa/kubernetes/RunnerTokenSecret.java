package dev.irsa.kubernetes;

import dev.irsa.SecretString;
import dev.irsa.kubernetes.internal.KubernetesValidation;
import dev.irsa.validation.Validators;
import org.immutables.value.Value;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Secret the gitlab-runner chart reads through {@code runners.secret}: keys {@code runner-token} (the
 * {@code glrt-} token) and {@code runner-registration-token} (empty; the chart requires both). The token is
 * a {@link SecretString}: {@link #toString()} shows {@code ****}.
 *
 * <pre>{@code
 * RunnerTokenSecret secret = RunnerTokenSecret.builder()
 *         .namespace("gitlab-runner").name("gitlab-runner-token").stack("demo")
 *         .token(SecretString.of(createdRunner.token())).runnerId(createdRunner.id())
 *         .build();
 * }</pre>
 */
@Value.Immutable
@Value.Style(visibility = Value.Style.ImplementationVisibility.PACKAGE, overshadowImplementation = true)
public interface RunnerTokenSecret {
    String RUNNER_TOKEN_KEY = "runner-token";
    String REGISTRATION_TOKEN_KEY = "runner-registration-token";

    String namespace();

    String name();

    String stack();

    @Value.Redacted
    SecretString token();

    /**
     * The GitLab id of the runner the token belongs to, written as the annotation
     * {@link IrsaMetadata#RUNNER_ID_ANNOTATION} together with the token (it is not secret).
     */
    Optional<Long> runnerId();

    /** Take over an existing Secret that irsa did not create. Off by default. */
    @Value.Default
    default boolean adopt() {
        return false;
    }

    @Value.Check
    default void validate() {
        Validators.namespace("runnerSecret.namespace", namespace());
        Validators.dns1123Subdomain("runnerSecret.name", name());
        KubernetesValidation.labelValue("runnerSecret.stack", stack());
        runnerId().filter(id -> id <= 0).ifPresent(id -> {
            throw new dev.irsa.ValidationException("runnerSecret.runnerId", String.valueOf(id), "a GitLab runner id is positive");
        });
        if (token().isEmpty()) {
            // Never echo the value, even an empty one is shown only as a marker.
            throw new dev.irsa.ValidationException("runnerSecret.token", "****", "the runner token must not be empty");
        }
    }

    static Builder builder() {
        return new Builder();
    }

    static RunnerTokenSecret of(Consumer<Builder> spec) {
        Builder b = builder();
        spec.accept(b);
        return b.build();
    }

    final class Builder extends ImmutableRunnerTokenSecret.Builder {
    }
}

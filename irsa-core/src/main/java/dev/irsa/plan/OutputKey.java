package dev.irsa.plan;

import java.util.Objects;

/**
 * A typed name for a value a resource publishes for its dependents, e.g. the ARN of a role that a
 * service account's annotation needs, or the token of a registered runner that a Secret stores.
 * Declare keys as constants next to the resource that publishes them:
 *
 * <pre>{@code
 * public static final OutputKey<String> ROLE_ARN = OutputKey.of("roleArn", String.class);
 * public static final OutputKey<SecretString> RUNNER_TOKEN = OutputKey.of("token", SecretString.class);
 * }</pre>
 *
 * Keys are equal by name and type. Hold secrets as {@link dev.irsa.SecretString} so they cannot leak.
 *
 * @param name the output's name, unique per publishing resource
 * @param type the value's type
 * @param <T>  the value's type
 */
public record OutputKey<T>(String name, Class<T> type) {
    public OutputKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static <T> OutputKey<T> of(String name, Class<T> type) {
        return new OutputKey<>(name, type);
    }

    @Override
    public String toString() {
        return name + ":" + type.getSimpleName();
    }
}

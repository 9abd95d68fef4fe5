package dev.irsa.aws;

import java.time.Duration;
import java.util.Objects;

/**
 * How long irsa keeps retrying. Throttling, 5xx and connection failures get {@code transientAttempts}
 * attempts with exponential backoff (on top of the SDK's own retry strategy when irsa built the
 * client); IAM's eventual consistency right after a create ({@code NoSuchEntity},
 * {@code MalformedPolicyDocument: Invalid principal}) is retried until {@code consistencyBound}
 * (default 2 minutes, like Terraform). {@code LimitExceeded} and access-denied are never retried.
 */
public record RetryPolicy(int transientAttempts, Duration initialBackoff, Duration maxBackoff, Duration consistencyBound) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMinutes(2));

    public RetryPolicy {
        if (transientAttempts < 1) {
            throw new IllegalArgumentException("transientAttempts must be >= 1");
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(consistencyBound, "consistencyBound");
    }

    public RetryPolicy withConsistencyBound(Duration bound) {
        return new RetryPolicy(transientAttempts, initialBackoff, maxBackoff, bound);
    }

    public RetryPolicy withTransientAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, consistencyBound);
    }

    /** The wait before retry number {@code retry} (1-based): initial * 2^(retry-1), capped. */
    public Duration backoff(int retry) {
        long millis = initialBackoff.toMillis() << Math.min(retry - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}

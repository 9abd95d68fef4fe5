package dev.irsa.plan;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Whether and how the {@link Applier} tries a failed change again: up to {@code maxAttempts} attempts,
 * waiting {@code initialBackoff}, then twice as long each time up to {@code maxBackoff}, for errors the
 * predicate calls transient (e.g. IAM's eventual consistency right after a role was created, a 5xx).
 * Waiting goes through the budget's {@link dev.irsa.Sleeper}, so tests run it instantly. A retried
 * change waits for its rate limit again; it does not hold a concurrency slot while backing off.
 *
 * <pre>{@code
 * RetryPolicy retry = RetryPolicy.create(r -> r
 *         .maxAttempts(5)
 *         .backoff(Duration.ofSeconds(1), Duration.ofSeconds(16))
 *         .retryOn(e -> e instanceof SdkException sdk && sdk.retryable()));
 * Applier applier = Applier.create(a -> a.budget(budget).retry(retry));
 * }</pre>
 *
 * Resources are re-runnable by contract, so an attempt may safely repeat part of a failed one.
 */
public final class RetryPolicy {
    private static final RetryPolicy NONE = builder().build();

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Predicate<Throwable> retryOn;

    private RetryPolicy(Builder builder) {
        this.maxAttempts = builder.maxAttempts;
        this.initialBackoff = builder.initialBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.retryOn = builder.retryOn;
    }

    /** One attempt, no retries. The default. */
    public static RetryPolicy none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static RetryPolicy create(Consumer<Builder> policy) {
        Builder builder = builder();
        policy.accept(builder);
        return builder.build();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether a change that failed with {@code error} on attempt {@code attempt} (1-based) is tried again. */
    public boolean retries(int attempt, Throwable error) {
        return attempt < maxAttempts && retryOn.test(error);
    }

    /** How long to wait after failed attempt {@code attempt} (1-based): doubling from the initial, capped. */
    public Duration backoff(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", backoff=" + initialBackoff + ".." + maxBackoff + "}";
    }

    public static final class Builder {
        private int maxAttempts = 1;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Predicate<Throwable> retryOn = e -> false;

        private Builder() {
        }

        /** Attempts in total, the first included; at least 1. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The first wait and the longest one. */
        public Builder backoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** Which errors are transient. Nothing is, unless said here. */
        public Builder retryOn(Predicate<Throwable> retryOn) {
            this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
            return this;
        }

        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}

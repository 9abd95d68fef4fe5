package dev.irsa.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code permits} calls per {@code per} to one service, with bursts up to {@code permits}
 * (a token bucket that starts full). Over any window of length {@code T} (both ends included), at most
 * {@code permits + T * permits / per} calls start: 20 in any one second at 10/s. A call is one request
 * (each attempt, retries included) when the service's clients are
 * {@linkplain ExecutionBudget#meterRequests(String) metered}, else one resource operation.
 *
 * <pre>{@code
 * RateLimit iam = RateLimit.of(10, Duration.ofSeconds(1));   // 10 calls/s, bursts of 10
 * }</pre>
 *
 * @param permits calls allowed per period, and the burst size; at least 1
 * @param per     the period; positive
 */
public record RateLimit(int permits, Duration per) {
    public RateLimit {
        Objects.requireNonNull(per, "per");
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: " + permits);
        }
        if (per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("per must be positive: " + per);
        }
    }

    public static RateLimit of(int permits, Duration per) {
        return new RateLimit(permits, per);
    }

    public static RateLimit perSecond(int permits) {
        return new RateLimit(permits, Duration.ofSeconds(1));
    }
}

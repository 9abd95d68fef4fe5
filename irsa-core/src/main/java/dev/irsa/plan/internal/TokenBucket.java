package dev.irsa.plan.internal;

import dev.irsa.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A token bucket on an injected clock and sleeper: {@code permits} tokens per {@code per}, starting full.
 * Arithmetic is exact (integers): one token costs {@code per} in nanoseconds, and every elapsed
 * nanosecond earns {@code permits} of credit, so the rate never drifts by rounding.
 *
 * <p>A token is granted under the lock at the clock's current instant, never ahead of time, so the
 * grant instants themselves obey the limit: over any window of length {@code T}, at most
 * {@code permits + T * permits / per} grants.
 */
public final class TokenBucket {
    private final long permits;
    private final long cost;
    private final long capacity;
    private final Clock clock;
    private final Sleeper sleeper;
    private long credit;
    private Instant last;

    public TokenBucket(int permits, Duration per, Clock clock, Sleeper sleeper) {
        if (permits < 1 || per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("need permits >= 1 and a positive period");
        }
        this.permits = permits;
        this.cost = per.toNanos();
        this.capacity = Math.multiplyExact(cost, (long) permits);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.credit = capacity;
        this.last = clock.instant();
    }

    /** Takes one token, sleeping (through the injected sleeper) until one is available. Returns the grant instant. */
    public Instant acquire() {
        while (true) {
            Duration wait;
            synchronized (this) {
                Instant now = clock.instant();
                refill(now);
                if (credit >= cost) {
                    credit -= cost;
                    return now;
                }
                long missing = cost - credit;
                wait = Duration.ofNanos((missing + permits - 1) / permits);
            }
            sleeper.sleep(wait);
        }
    }

    private void refill(Instant now) {
        if (!now.isAfter(last)) {
            return;
        }
        Duration elapsed = Duration.between(last, now);
        last = now;
        // Past one full period the bucket is full anyway; this also keeps the multiplication from overflowing.
        if (elapsed.compareTo(Duration.ofNanos(cost)) >= 0) {
            credit = capacity;
        } else {
            credit = Math.min(capacity, credit + elapsed.toNanos() * permits);
        }
    }
}

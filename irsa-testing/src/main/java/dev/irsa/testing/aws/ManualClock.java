package dev.irsa.testing.aws;

import dev.irsa.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that moves only when told to, and a {@link Sleeper} that advances it instead of sleeping:
 * inject both into the executor and the fakes so backoff and IAM propagation delays run instantly
 * and deterministically.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * clock.sleeper().sleep(Duration.ofSeconds(5));   // returns at once
 * clock.instant();                                // 2026-01-01T00:00:05Z
 * }</pre>
 */
public final class ManualClock extends Clock {
    private Instant now;
    private Duration slept = Duration.ZERO;

    private ManualClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    public static ManualClock at(Instant start) {
        return new ManualClock(start);
    }

    public static ManualClock startingNow() {
        return new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    /** A sleeper that advances this clock and records the total time "slept". */
    public Sleeper sleeper() {
        return d -> {
            synchronized (this) {
                slept = slept.plus(d);
                now = now.plus(d);
            }
        };
    }

    /** Total time passed to {@link #sleeper()}. */
    public synchronized Duration slept() {
        return slept;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

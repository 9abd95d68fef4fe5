package dev.irsa.plan;

import dev.irsa.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to; its {@link #sleeper()} advances it instead of sleeping. Shared by
 * irsa-core's tests (irsa-testing's ManualClock is out of reach here: irsa-testing depends on irsa-core).
 */
public final class FakeClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger sleeps = new AtomicInteger();

    public void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }

    public Sleeper sleeper() {
        return duration -> {
            sleeps.incrementAndGet();
            advance(duration);
        };
    }

    public int sleeps() {
        return sleeps.get();
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}

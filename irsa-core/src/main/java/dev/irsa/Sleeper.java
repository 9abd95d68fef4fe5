package dev.irsa;

import java.time.Duration;

/**
 * Waits between retries. Production code uses {@link #SYSTEM}; tests inject a sleeper that advances a
 * fake clock instead of sleeping, so backoff paths run deterministically and instantly.
 */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = duration -> {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IrsaException("interrupted while waiting " + duration, e);
        }
    };

    void sleep(Duration duration);
}

package dev.irsa.kubernetes.internal;

import dev.irsa.IrsaException;
import dev.irsa.Sleeper;
import dev.irsa.kubernetes.KubernetesConflictException;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs one observe-then-write attempt again when the API server answers 409 (stale resourceVersion, or
 * created by someone else meanwhile). Each retry re-reads the object, so it never overwrites a concurrent
 * change blindly. Backoff doubles from {@code baseDelay}; the {@link Sleeper} is injected so tests do not sleep.
 */
public final class ConflictRetry {
    private final Sleeper sleeper;
    private final int maxAttempts;
    private final Duration baseDelay;

    public ConflictRetry(Sleeper sleeper, int maxAttempts, Duration baseDelay) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.sleeper = sleeper;
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
    }

    public <T> T run(String target, Supplier<T> attempt) {
        for (int n = 1; ; n++) {
            try {
                return attempt.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                if (n >= maxAttempts) {
                    throw new KubernetesConflictException(target, n);
                }
                sleeper.sleep(baseDelay.multipliedBy(1L << Math.min(n - 1, 10)));
            }
        }
    }

    /** Turns a client failure into an {@link IrsaException} that names the object and the HTTP status. */
    public static IrsaException failure(String target, String action, KubernetesClientException e) {
        return new IrsaException(target + ": " + action + " failed: " + describe(e), e);
    }

    /**
     * Like {@link #failure} but without the cause, for requests that carried a secret: the status code
     * and reason only, so no request detail can travel in a stack trace.
     */
    public static IrsaException redactedFailure(String target, String action, KubernetesClientException e) {
        return new IrsaException(target + ": " + action + " failed: " + describe(e));
    }

    static String describe(KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getReason() != null ? " " + e.getStatus().getReason() : "";
        return e.getCode() > 0 ? "HTTP " + e.getCode() + reason : "no answer from the API server (" + e.getClass().getSimpleName() + ")";
    }
}

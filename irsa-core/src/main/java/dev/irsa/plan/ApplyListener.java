package dev.irsa.plan;

import java.time.Instant;

/**
 * Progress of an apply, e.g. for a CLI progress display. Calls are serialized (never two at once), so an
 * implementation needs no locking; they come from worker threads, so keep them quick. A listener that
 * throws is logged and ignored.
 *
 * <p>Per change: {@code started} then {@code finished} (created, updated, deleted) or {@code failed}; a
 * {@link Action#NO_OP} change only {@code finished} (unchanged); a change whose dependency failed only
 * {@code skipped}. A dependency's {@code finished} always comes before its dependents' {@code started}.
 *
 * <pre>{@code
 * ApplyListener progress = new ApplyListener() {
 *     public void started(String stack, Change change, Instant at) {
 *         System.out.println(change.id() + ": " + change.action() + "...");
 *     }
 *     public void finished(ChangeOutcome outcome) {
 *         System.out.println(outcome.id() + ": " + outcome.status() + " in " + outcome.duration());
 *     }
 * };
 * Applier.create(a -> a.listener(progress)).apply(plan);
 * }</pre>
 */
public interface ApplyListener {
    /** Ignores everything. */
    ApplyListener NONE = new ApplyListener() {
    };

    /** A change is about to call its backend (after its slot and rate-limit token were granted). */
    default void started(String stack, Change change, Instant at) {
    }

    /**
     * An attempt of a change failed with an error the {@link RetryPolicy} calls transient; it will be tried
     * again after {@code backoff}.
     */
    default void retrying(String stack, Change change, int failedAttempt, Throwable error, java.time.Duration backoff) {
    }

    /** A change succeeded: created, updated, deleted, or unchanged. */
    default void finished(ChangeOutcome outcome) {
    }

    /** A change failed; its dependents will be skipped. */
    default void failed(ChangeOutcome outcome) {
    }

    /** A change was not attempted because a dependency failed or was skipped. */
    default void skipped(ChangeOutcome outcome) {
    }
}

package dev.irsa.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one {@link Change} during apply.
 *
 * @param stack    the plan's stack
 * @param change   the change
 * @param status   created, updated, deleted, kept (a planned delete that found the object still needed by
 *                 something outside the plan: {@link KeptOnDestroyException}), unchanged, failed or skipped
 * @param finished when it ended, on the budget's clock
 * @param duration how long it took from the first attempt's start ({@link Duration#ZERO} for unchanged and
 *                 skipped)
 * @param attempts how many times it was tried (0 for unchanged and skipped)
 * @param error    the error, when failed
 * @param detail   in words: the reason of the change, the error, why it was kept ({@code "kept: ..."}) or why it
 *                 was skipped
 *                 (e.g. {@code "dependency aws.iam.role/ci failed"})
 */
public record ChangeOutcome(String stack, Change change, Status status, Instant finished, Duration duration,
                            int attempts, Optional<Throwable> error, String detail) {

    /** The outcome of one change. */
    public enum Status {
        CREATED, UPDATED, DELETED, KEPT, UNCHANGED, FAILED, SKIPPED
    }

    public ChangeOutcome {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(detail, "detail");
    }

    public ResourceId id() {
        return change.id();
    }

    @Override
    public String toString() {
        return status + " " + change.id() + " (" + detail + ")";
    }
}

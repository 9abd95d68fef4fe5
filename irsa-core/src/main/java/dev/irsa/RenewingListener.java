package dev.irsa;

import dev.irsa.kubernetes.StackLease;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.Change;
import dev.irsa.plan.ChangeOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Forwards every event and renews the leases before each change (a long apply keeps its locks). */
record RenewingListener(ApplyListener delegate, List<StackLease> leases) implements ApplyListener {
    RenewingListener {
        leases = List.copyOf(leases);
    }

    @Override
    public void started(String stack, Change change, Instant at) {
        leases.forEach(StackLease::renewIfDue);
        delegate.started(stack, change, at);
    }

    @Override
    public void retrying(String stack, Change change, int failedAttempt, Throwable error, Duration backoff) {
        delegate.retrying(stack, change, failedAttempt, error, backoff);
    }

    @Override
    public void finished(ChangeOutcome outcome) {
        delegate.finished(outcome);
    }

    @Override
    public void failed(ChangeOutcome outcome) {
        delegate.failed(outcome);
    }

    @Override
    public void skipped(ChangeOutcome outcome) {
        delegate.skipped(outcome);
    }
}

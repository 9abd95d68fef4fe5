package dev.irsa.plan;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An {@link ApplyListener} that prints progress the way {@code terraform apply} does, one line per event:
 *
 * <pre>{@code
 * Applier.create(a -> a.listener(new ProgressPrinter(System.out))).apply(plan);
 * // aws.iam.role/ci: Creating...
 * // aws.iam.role/ci: Creation complete after 1s
 * // kubernetes.service-account/ci/runner: Modifying...
 * // kubernetes.service-account/ci/runner: Modifications complete after 0s
 * // gitlab.runner/ci: Skipped (dependency aws.iam.role/ci failed)
 * }</pre>
 *
 * With {@link #withStackNames(boolean) stack names} on (for multi-stack applies) each line starts with
 * {@code [stack] }. Unchanged resources are not printed. Error messages are the backends' own, which
 * never carry secrets.
 */
public final class ProgressPrinter implements ApplyListener {
    private final PrintStream out;
    private final boolean stackNames;

    public ProgressPrinter(PrintStream out) {
        this(out, false);
    }

    private ProgressPrinter(PrintStream out, boolean stackNames) {
        this.out = Objects.requireNonNull(out, "out");
        this.stackNames = stackNames;
    }

    /** A printer that starts each line with {@code [stack] } (or not). */
    public ProgressPrinter withStackNames(boolean stackNames) {
        return new ProgressPrinter(out, stackNames);
    }

    @Override
    public void started(String stack, Change change, Instant at) {
        line(stack, change, switch (change.action()) {
            case CREATE -> "Creating...";
            case UPDATE -> change.adopt() ? "Adopting..." : "Modifying...";
            case DELETE -> "Destroying...";
            default -> change.action() + "...";
        });
    }

    @Override
    public void retrying(String stack, Change change, int failedAttempt, Throwable error, Duration backoff) {
        line(stack, change, "Attempt " + failedAttempt + " failed (" + Execution.describe(error) + "), retrying in "
                + seconds(backoff));
    }

    @Override
    public void finished(ChangeOutcome outcome) {
        String after = " after " + seconds(outcome.duration());
        switch (outcome.status()) {
            case CREATED -> line(outcome.stack(), outcome.change(), "Creation complete" + after);
            case UPDATED -> line(outcome.stack(), outcome.change(), "Modifications complete" + after);
            case DELETED -> line(outcome.stack(), outcome.change(), "Destruction complete" + after);
            case KEPT -> line(outcome.stack(), outcome.change(), "Kept (" + outcome.detail().replaceFirst("^kept: ", "") + ")");
            default -> {
                // Unchanged: nothing happened, nothing to print (like Terraform).
            }
        }
    }

    @Override
    public void failed(ChangeOutcome outcome) {
        line(outcome.stack(), outcome.change(), "Failed after " + seconds(outcome.duration()) + ": "
                + outcome.detail());
    }

    @Override
    public void skipped(ChangeOutcome outcome) {
        line(outcome.stack(), outcome.change(), "Skipped (" + outcome.detail() + ")");
    }

    private void line(String stack, Change change, String text) {
        out.println((stackNames ? "[" + stack + "] " : "") + change.id() + ": " + text);
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + "s";
    }
}

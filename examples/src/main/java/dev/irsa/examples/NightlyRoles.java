package dev.irsa.examples;

import dev.irsa.binding.VerifyReport;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ProgressPrinter;
import dev.irsa.Irsa;
import dev.irsa.gitlab.stack.RunnerStacks;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ChangeOutcome.Status;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;

/**
 * The walkthrough's "delete the roles in the evening, recreate them in the morning": out of hours no
 * CI job can assume the role, because it does not exist. Only the IAM part is deleted (the role, and its
 * OIDC provider unless another role still trusts it; ownership-checked, through the plan engine); the
 * namespace, service account, runner, Secret and release stay, and the service account's annotation keeps
 * naming the role's ARN, which is the same when the role comes back. Both steps are idempotent: an
 * evening with the role already gone deletes nothing, a morning with the role present changes nothing.
 * Run either as often as you like (cron, a scheduler, by hand).
 *
 * <pre>{@code
 * NightlyRoles nightly = new NightlyRoles(irsa, stack, System.out);
 * nightly.evening();    // role (and provider) deleted
 * nightly.evening();    // 0 deleted: already gone
 * nightly.morning();    // provider and role created again
 * nightly.scheduleDaily(executor, ZoneId.of("Europe/Dublin"), LocalTime.of(20, 0), LocalTime.of(7, 0), Clock.systemUTC());
 * }</pre>
 *
 * {@link #main} demonstrates it on the sandbox.
 */
public final class NightlyRoles {
    private final Irsa irsa;
    private final RunnerStack stack;
    private final PrintStream out;

    public NightlyRoles(Irsa irsa, RunnerStack stack, PrintStream out) {
        this.irsa = Objects.requireNonNull(irsa, "irsa");
        this.stack = Objects.requireNonNull(stack, "stack");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Deletes the IAM part if irsa owns it and it exists; nothing else. */
    public ApplyResult evening() {
        ApplyResult result = irsa.destroyIam(stack.binding(), new ProgressPrinter(out));
        out.println("evening: " + result.summary());
        return result;
    }

    /** Recreates the IAM part (provider and role) where it is missing or drifted; nothing else. */
    public ApplyResult morning() {
        ApplyResult result = irsa.applyIam(stack.binding(), new ProgressPrinter(out));
        out.println("morning: " + result.summary());
        return result;
    }

    /**
     * Runs {@link #evening()} and {@link #morning()} every day at the given local times. Failures are
     * printed and the next run tries again (both steps converge from any state).
     */
    public List<ScheduledFuture<?>> scheduleDaily(ScheduledExecutorService scheduler, ZoneId zone, LocalTime evening,
                                                 LocalTime morning, Clock clock) {
        long day = Duration.ofDays(1).toMillis();
        return List.of(
                scheduler.scheduleAtFixedRate(guarded(this::evening), delayUntil(clock, zone, evening).toMillis(), day, TimeUnit.MILLISECONDS),
                scheduler.scheduleAtFixedRate(guarded(this::morning), delayUntil(clock, zone, morning).toMillis(), day, TimeUnit.MILLISECONDS));
    }

    /** How long from now until the next {@code time} in {@code zone} (zero never: a time equal to now is tomorrow). */
    public static Duration delayUntil(Clock clock, ZoneId zone, LocalTime time) {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
        ZonedDateTime next = now.with(time);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        return Duration.between(now, next);
    }

    private Runnable guarded(Runnable step) {
        return () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                out.println("nightly roles: " + e.getMessage() + " (will try again at the next run)");
            }
        };
    }

    /** Demonstrates the evening/morning cycle twice on the sandbox; exits 0 when every step did what it should. */
    public static void main(String[] args) {
        System.exit(demonstrate(System.out));
    }

    public static int demonstrate(PrintStream out) {
        RunnerStack seed = WalkthroughArtifacts.seedStack();
        try (IrsaTarget target = IrsaTarget.sandbox(seed)) {
            RunnerStack stack = target.adapt(seed);
            RunnerStacks stacks = target.stacks();
            out.println("== Day 0: the walkthrough is applied");
            boolean ok = stacks.apply(stack, ApplyListener.NONE).succeeded();
            NightlyRoles nightly = new NightlyRoles(target.irsa(), stack, out);
            for (int day = 1; day <= 2; day++) {
                out.println("== Day " + day + ", evening (run twice: the second run finds nothing to do)");
                ok &= nightly.evening().count(Status.DELETED) > 0;
                ok &= nightly.evening().count(Status.DELETED) == 0;
                VerifyReport night = stacks.verify(stack);
                out.println("  at night no job can assume the role: " + (night.passed() ? "WRONG, it still can" : "right, verify fails:"));
                night.failures().stream().limit(1).forEach(c -> out.println("    " + c.toString().replace("\n", "\n    ")));
                ok &= !night.passed();
                out.println("== Day " + day + ", morning (run twice: the second run changes nothing)");
                ok &= nightly.morning().count(Status.CREATED) > 0;
                ApplyResult again = nightly.morning();
                ok &= again.count(Status.CREATED) == 0 && again.succeeded();
                VerifyReport morningCheck = stacks.verify(stack);
                out.println("  in the morning jobs can assume it again: " + (morningCheck.passed() ? "verify passes" : "WRONG:\n" + morningCheck.render()));
                ok &= morningCheck.passed();
            }
            out.println(ok ? "Done: evening/morning is repeatable and idempotent." : "FAILED (see above)");
            return ok ? 0 : 1;
        }
    }
}

package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.IrsaException;
import dev.irsa.ValidationException;
import dev.irsa.plan.ChangeOutcome.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ApplierTest {
    private final ToyCloud cloud = new ToyCloud();
    private final FakeClock clock = new FakeClock();
    private final ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(4).clock(clock)
            .sleeper(clock.sleeper()));
    private final Planner planner = Planner.create(p -> p.budget(budget));
    private final Applier applier = Applier.create(a -> a.budget(budget));

    private final ToyResource provider = ToyResource.of(cloud, "provider").field("url", "https://issuer.example");
    private final ToyResource role = ToyResource.of(cloud, "role").field("path", "/ci/").arnOf("trustedBy", provider);
    private final ToyResource account = ToyResource.of(cloud, "account").arnOf("roleArn", role);
    private final List<Resource> stack = List.of(provider, role, account);

    @Test
    void appliesDependenciesFirstAndHandsOutputsToDependents() {
        ApplyResult result = applier.apply(planner.plan("ci", stack));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.summary()).isEqualTo("3 created, 0 updated, 0 deleted, 0 unchanged");
        assertThat(cloud.changeLog()).containsExactly(
                "create toy.thing/provider", "create toy.thing/role", "create toy.thing/account");
        assertThat(cloud.get(role.key()).fields()).containsEntry("trustedBy", cloud.get(provider.key()).arn());
        assertThat(cloud.get(account.key()).fields()).containsEntry("roleArn", cloud.get(role.key()).arn());
        assertThat(result.outcomes()).extracting(ChangeOutcome::status).containsOnly(Status.CREATED);
    }

    @Test
    void reapplyingAnAppliedConfigurationMakesZeroChangingCalls() {
        applier.apply(planner.plan("ci", stack)).orThrow();
        cloud.clearLog();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Applier listening = Applier.create(a -> a.budget(budget).listener(recorder(events)));

        Plan again = planner.plan("ci", stack);
        ApplyResult result = listening.apply(again);

        assertThat(again.changes()).extracting(Change::action).containsOnly(Action.NO_OP);
        assertThat(cloud.changingCalls()).isZero();
        assertThat(result.summary()).isEqualTo("0 created, 0 updated, 0 deleted, 3 unchanged");
        assertThat(events).containsExactlyInAnyOrder(
                "finished toy.thing/provider UNCHANGED", "finished toy.thing/role UNCHANGED",
                "finished toy.thing/account UNCHANGED");
    }

    @Test
    void aFailureSkipsDependentsOnlyAndARerunConverges() {
        ToyResource independent = ToyResource.of(cloud, "independent").field("k", "v");
        List<Resource> resources = List.of(provider, role, account, independent);
        cloud.breakKey(role.key(), new IllegalStateException("toy API says no"));

        ApplyResult failed = applier.apply(planner.plan("ci", resources));

        assertThat(failed.outcome(provider.id()).orElseThrow().status()).isEqualTo(Status.CREATED);
        assertThat(failed.outcome(independent.id()).orElseThrow().status()).isEqualTo(Status.CREATED);
        ChangeOutcome roleOutcome = failed.outcome(role.id()).orElseThrow();
        assertThat(roleOutcome.status()).isEqualTo(Status.FAILED);
        assertThat(roleOutcome.detail()).isEqualTo("toy API says no");
        ChangeOutcome skipped = failed.outcome(account.id()).orElseThrow();
        assertThat(skipped.status()).isEqualTo(Status.SKIPPED);
        assertThat(skipped.detail()).isEqualTo("dependency toy.thing/role failed");
        assertThat(cloud.contains(account.key())).isFalse();
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.summary()).isEqualTo("2 created, 0 updated, 0 deleted, 0 unchanged, 1 failed, 1 skipped");
        assertThat(failed.firstFailure()).get().isInstanceOfSatisfying(ChangeFailedException.class, e -> {
            assertThat(e.resource()).isEqualTo(role.id());
            assertThat(e.action()).isEqualTo(Action.CREATE);
            assertThat(e).hasCauseInstanceOf(IllegalStateException.class);
        });
        assertThatThrownBy(failed::orThrow).isInstanceOf(ChangeFailedException.class);

        cloud.heal(role.key());
        Plan rerun = planner.plan("ci", resources);
        assertThat(rerun.changes()).extracting(Change::id, Change::action).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(provider.id(), Action.NO_OP),
                org.assertj.core.groups.Tuple.tuple(independent.id(), Action.NO_OP),
                org.assertj.core.groups.Tuple.tuple(role.id(), Action.CREATE),
                org.assertj.core.groups.Tuple.tuple(account.id(), Action.CREATE));
        assertThat(applier.apply(rerun).summary()).isEqualTo("2 created, 0 updated, 0 deleted, 2 unchanged");
        assertThat(planner.plan("ci", resources).hasChanges()).isFalse();
    }

    @Test
    void anIrsaFailureIsReportedAsItself() {
        ValidationException invalid = new ValidationException("role.path", "ci", "must start and end with /");
        cloud.breakKey(provider.key(), invalid);

        ApplyResult result = applier.apply(planner.plan("ci", stack));

        assertThat(result.firstFailure()).containsSame(invalid);
        assertThat(result.count(Status.SKIPPED)).isEqualTo(2);
        assertThat(result.outcome(account.id()).orElseThrow().detail()).isEqualTo("dependency toy.thing/role was skipped");
    }

    @Test
    void listenerSeesEventsInDependencyOrderWithTimingsFromTheInjectedClock() {
        ToyResource a = ToyResource.of(cloud, "a").duringCall(r -> clock.advance(Duration.ofSeconds(5)));
        ToyResource b = ToyResource.of(cloud, "b").dependsOn(a.id());
        ToyResource c = ToyResource.of(cloud, "c").dependsOn(b.id());
        ToyResource d = ToyResource.of(cloud, "d").dependsOn(c.id());
        cloud.breakKey(b.key(), new IllegalStateException("boom"));
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<ChangeOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        ApplyListener recorder = recorder(events);
        Applier listening = Applier.create(x -> x.budget(budget).listener(new ApplyListener() {
            @Override
            public void started(String stackName, Change change, Instant at) {
                recorder.started(stackName, change, at);
            }

            @Override
            public void finished(ChangeOutcome outcome) {
                outcomes.add(outcome);
                recorder.finished(outcome);
            }

            @Override
            public void failed(ChangeOutcome outcome) {
                recorder.failed(outcome);
            }

            @Override
            public void skipped(ChangeOutcome outcome) {
                recorder.skipped(outcome);
            }
        }));
        Instant start = clock.instant();

        listening.apply(planner.plan("ci", List.of(d, c, b, a)));

        assertThat(events).containsExactly(
                "started toy.thing/a CREATE at +0s",
                "finished toy.thing/a CREATED",
                "started toy.thing/b CREATE at +5s",
                "failed toy.thing/b FAILED",
                "skipped toy.thing/c SKIPPED",
                "skipped toy.thing/d SKIPPED");
        assertThat(outcomes.get(0).duration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(outcomes.get(0).finished()).isEqualTo(start.plusSeconds(5));
        assertThat(events.toString()).doesNotContain("null");
    }

    @Test
    void aThrowingListenerDoesNotBreakTheApply() {
        Applier noisy = Applier.create(a -> a.budget(budget).listener(new ApplyListener() {
            @Override
            public void finished(ChangeOutcome outcome) {
                throw new IllegalStateException("listener bug");
            }
        }));

        assertThat(noisy.apply(planner.plan("ci", stack)).summary())
                .isEqualTo("3 created, 0 updated, 0 deleted, 0 unchanged");
    }

    @Test
    void aThrowingRetryPredicateOrListenerErrorFailsOnlyThatChange() {
        cloud.breakKey(role.key(), new IllegalStateException("boom"));
        Applier buggy = Applier.create(a -> a.budget(budget)
                .retry(RetryPolicy.create(r -> r.maxAttempts(3).retryOn(e -> {
                    throw new IllegalArgumentException("bug in predicate");
                })))
                .listener(new ApplyListener() {
                    @Override
                    public void started(String stackName, Change change, Instant at) {
                        throw new AssertionError("bug in listener");
                    }
                }));

        ApplyResult result = buggy.apply(planner.plan("ci", stack));

        assertThat(result.outcome(provider.id()).orElseThrow().status()).isEqualTo(Status.CREATED);
        assertThat(result.outcome(role.id()).orElseThrow().status()).isEqualTo(Status.FAILED);
        assertThat(result.outcome(role.id()).orElseThrow().detail()).isEqualTo("bug in predicate");
        assertThat(result.outcome(account.id()).orElseThrow().status()).isEqualTo(Status.SKIPPED);
    }

    @Test
    void concurrencyIsBoundedAcrossAppliesSharingABudget() throws Exception {
        ExecutionBudget three = ExecutionBudget.create(b -> b.maxConcurrency(3));
        Semaphore gate = new Semaphore(0);
        Semaphore arrived = new Semaphore(0);
        List<Plan> plans = new ArrayList<>();
        for (String stackName : List.of("dev", "prod")) {
            List<Resource> resources = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                resources.add(new ToyResource(cloud, stackName, "toy.thing", stackName + "-" + i, "toy")
                        .duringCall(r -> {
                            arrived.release();
                            gate.acquireUninterruptibly();
                        }));
            }
            plans.add(Planner.create(p -> p.budget(three)).plan(stackName, resources));
        }
        Applier bounded = Applier.create(a -> a.budget(three));

        // Two independent applies on two threads, one shared budget of 3.
        CompletableFuture<ApplyResult> dev = CompletableFuture.supplyAsync(() -> bounded.apply(plans.get(0)));
        CompletableFuture<ApplyResult> prod = CompletableFuture.supplyAsync(() -> bounded.apply(plans.get(1)));
        assertThat(arrived.tryAcquire(3, 30, TimeUnit.SECONDS)).as("three calls run at once").isTrue();
        assertThat(cloud.inFlight()).isEqualTo(3);
        gate.release(8);

        assertThat(dev.get(30, TimeUnit.SECONDS).summary()).isEqualTo("4 created, 0 updated, 0 deleted, 0 unchanged");
        assertThat(prod.get(30, TimeUnit.SECONDS).summary()).isEqualTo("4 created, 0 updated, 0 deleted, 0 unchanged");
        assertThat(cloud.maxInFlight()).isEqualTo(3);
    }

    @Test
    void applyAllRunsSeveralStacksAndReportsEachInOrder() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<Plan> plans = new ArrayList<>();
        for (String stackName : List.of("dev", "prod")) {
            ToyResource p = new ToyResource(cloud, stackName, "toy.thing", stackName + "-provider", "iam");
            ToyResource r = new ToyResource(cloud, stackName, "toy.thing", stackName + "-role", "iam")
                    .arnOf("trustedBy", p);
            plans.add(planner.plan(stackName, List.of(p, r)));
        }
        Applier listening = Applier.create(a -> a.budget(budget).listener(new ApplyListener() {
            @Override
            public void started(String stackName, Change change, Instant at) {
                events.add(stackName + ":" + change.id().name());
            }
        }));

        List<ApplyResult> results = listening.applyAll(plans);

        assertThat(results).extracting(ApplyResult::stack).containsExactly("dev", "prod");
        assertThat(results).extracting(ApplyResult::summary)
                .containsOnly("2 created, 0 updated, 0 deleted, 0 unchanged");
        assertThat(events).containsExactlyInAnyOrder("dev:dev-provider", "dev:dev-role", "prod:prod-provider",
                "prod:prod-role");
        assertThat(events.indexOf("dev:dev-provider")).isLessThan(events.indexOf("dev:dev-role"));
        assertThat(events.indexOf("prod:prod-provider")).isLessThan(events.indexOf("prod:prod-role"));
        assertThat(cloud.get("toy.thing/prod-role").ownerStack()).isEqualTo("prod");
    }

    @Test
    void applyAllRejectsTheSamePlanTwice() {
        Plan plan = planner.plan("ci", stack);

        assertThatThrownBy(() -> applier.applyAll(List.of(plan, plan))).isInstanceOf(IllegalArgumentException.class);
        assertThat(cloud.changingCalls()).isZero();
    }

    @Test
    void applyAllRefusesEverythingWhenOnePlanRefuses() {
        cloud.putOutOfBand("toy.thing/prod-role", Map.of(), null);
        Plan dev = planner.plan("dev", List.of(new ToyResource(cloud, "dev", "toy.thing", "dev-role", "iam")));
        Plan prod = planner.plan("prod", List.of(new ToyResource(cloud, "prod", "toy.thing", "prod-role", "iam")));

        assertThatThrownBy(() -> applier.applyAll(List.of(dev, prod)))
                .isInstanceOf(PlanRefusedException.class)
                .isInstanceOf(IrsaException.class)
                .hasMessageContaining("toy.thing/prod-role exists but is not managed by irsa");
        assertThat(cloud.changingCalls()).isZero();
    }

    /** A delete that finds the object still needed outside the plan is KEPT: not deleted, not failed, not retried. */
    @Test
    void aDeleteThatMustKeepTheObjectIsReportedKeptNotDeleted() {
        applier.apply(planner.plan("ci", stack)).orThrow();
        cloud.breakKey(provider.key(), new KeptOnDestroyException("still trusted by roles [other-team-role]"));
        java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
        Applier printing = Applier.create(a -> a.budget(budget).listener(new ProgressPrinter(new java.io.PrintStream(progress, true))));

        ApplyResult result = printing.apply(planner.destroyPlan("ci", stack));

        ChangeOutcome kept = result.outcome(provider.id()).orElseThrow();
        assertThat(kept.status()).isEqualTo(ChangeOutcome.Status.KEPT);
        assertThat(kept.detail()).isEqualTo("kept: still trusted by roles [other-team-role]");
        assertThat(kept.attempts()).isEqualTo(1);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.summary()).isEqualTo("0 created, 0 updated, 2 deleted, 0 unchanged, 1 kept");
        assertThat(progress.toString()).contains("toy.thing/provider: Kept (still trusted by roles [other-team-role])")
                .doesNotContain("toy.thing/provider: Destruction complete");
        assertThat(cloud.get(provider.key())).isNotNull();
    }

    @Test
    void destroyDeletesDependentsFirstLeavesForeignObjectsAndIsIdempotent() {
        ToyResource foreign = ToyResource.of(cloud, "foreign");
        cloud.putOutOfBand(foreign.key(), Map.of("owner", "someone"), null);
        applier.apply(planner.plan("ci", stack)).orThrow();
        cloud.clearLog();
        List<Resource> all = List.of(provider, role, account, foreign);

        ApplyResult result = applier.apply(planner.destroyPlan("ci", all));

        assertThat(result.summary()).isEqualTo("0 created, 0 updated, 3 deleted, 1 unchanged");
        assertThat(cloud.changeLog()).containsExactly(
                "delete toy.thing/account", "delete toy.thing/role", "delete toy.thing/provider");
        assertThat(cloud.get(foreign.key()).fields()).containsEntry("owner", "someone");
        assertThat(result.outcome(foreign.id()).orElseThrow().detail()).isEqualTo("not managed by irsa");

        cloud.clearLog();
        Plan again = planner.destroyPlan("ci", all);
        assertThat(again.hasChanges()).isFalse();
        assertThat(again.changes()).extracting(Change::reason)
                .containsExactlyInAnyOrder("already absent", "already absent", "already absent", "not managed by irsa");
        assertThat(applier.apply(again).summary()).isEqualTo("0 created, 0 updated, 0 deleted, 4 unchanged");
        assertThat(cloud.changingCalls()).isZero();
    }

    @Test
    void aFailedDeleteKeepsWhatItDependsOn() {
        applier.apply(planner.plan("ci", stack)).orThrow();
        cloud.breakKey(account.key(), new IllegalStateException("conflict"));

        ApplyResult result = applier.apply(planner.destroyPlan("ci", stack));

        assertThat(result.outcome(account.id()).orElseThrow().status()).isEqualTo(Status.FAILED);
        assertThat(result.outcome(role.id()).orElseThrow().detail()).isEqualTo("dependent toy.thing/account failed");
        assertThat(result.outcome(provider.id()).orElseThrow().status()).isEqualTo(Status.SKIPPED);
        assertThat(cloud.contains(role.key())).isTrue();
        assertThat(cloud.contains(provider.key())).isTrue();

        cloud.heal(account.key());
        assertThat(applier.apply(planner.destroyPlan("ci", stack)).summary())
                .isEqualTo("0 created, 0 updated, 3 deleted, 0 unchanged");
    }

    @Test
    void transientFailuresAreRetriedWithBackoffOnTheInjectedSleeper() {
        cloud.failTimes(role.key(), 2, new IllegalStateException("Throttling: rate exceeded"));
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ApplyListener recorder = recorder(events);
        Applier retrying = Applier.create(a -> a.budget(budget)
                .retry(RetryPolicy.create(r -> r.maxAttempts(3)
                        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(10))
                        .retryOn(e -> e.getMessage().startsWith("Throttling"))))
                .listener(new ApplyListener() {
                    @Override
                    public void started(String stackName, Change change, Instant at) {
                        recorder.started(stackName, change, at);
                    }

                    @Override
                    public void retrying(String stackName, Change change, int failedAttempt, Throwable error,
                                         Duration backoff) {
                        events.add("retrying " + change.id() + " after attempt " + failedAttempt + " in " + backoff);
                    }
                }));

        ApplyResult result = retrying.apply(planner.plan("ci", stack));

        ChangeOutcome outcome = result.outcome(role.id()).orElseThrow();
        assertThat(outcome.status()).isEqualTo(Status.CREATED);
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(outcome.duration()).isEqualTo(Duration.ofSeconds(3));
        assertThat(result.summary()).isEqualTo("3 created, 0 updated, 0 deleted, 0 unchanged");
        assertThat(events).containsExactly(
                "started toy.thing/provider CREATE at +0s",
                "started toy.thing/role CREATE at +0s",
                "retrying toy.thing/role after attempt 1 in PT1S",
                "retrying toy.thing/role after attempt 2 in PT2S",
                "started toy.thing/account CREATE at +3s");
        assertThat(cloud.changeLog()).containsExactly("create toy.thing/provider",
                "FAILED create toy.thing/role", "FAILED create toy.thing/role", "create toy.thing/role",
                "create toy.thing/account");
    }

    @Test
    void retriesStopAtMaxAttemptsAndNeverRetryOtherErrors() {
        cloud.breakKey(provider.key(), new ValidationException("url", "x", "https"));
        ToyResource second = ToyResource.of(cloud, "second").field("k", "v");
        cloud.failTimes(second.key(), 5, new IllegalStateException("Throttling: rate exceeded"));
        RetryPolicy policy = RetryPolicy.create(r -> r.maxAttempts(4)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .retryOn(e -> e.getMessage().startsWith("Throttling")));

        ApplyResult result = Applier.create(a -> a.budget(budget).retry(policy))
                .apply(planner.plan("ci", List.of(provider, second)));

        assertThat(result.outcome(provider.id()).orElseThrow().attempts()).isEqualTo(1);
        ChangeOutcome exhausted = result.outcome(second.id()).orElseThrow();
        assertThat(exhausted.status()).isEqualTo(Status.FAILED);
        assertThat(exhausted.attempts()).isEqualTo(4);
        assertThat(exhausted.duration()).as("waits 1 s, 2 s, then capped at 2 s").isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(10)).isEqualTo(Duration.ofSeconds(2));
        assertThat(result.firstFailure()).get().isInstanceOf(ValidationException.class);
    }

    @Test
    void aStackThatCouldNotBePlannedHasAResultThatFailsWithThePlanningError() {
        ObservationException cause = new ObservationException(ResourceId.of("toy.role", "ci"),
                new IllegalStateException("AccessDenied"));

        ApplyResult result = ApplyResult.notPlanned("prod", Plan.Mode.APPLY, cause);

        assertThat(result.stack()).isEqualTo("prod");
        assertThat(result.outcomes()).isEmpty();
        assertThat(result.succeeded()).isFalse();
        assertThat(result.planFailure()).containsSame(cause);
        assertThat(result.firstFailure()).containsSame(cause);
        assertThat(result.summary()).isEqualTo("not applied: could not plan: could not observe toy.role/ci: AccessDenied");
        assertThatThrownBy(result::orThrow).isSameAs(cause);
        assertThat(Applier.create().apply(Planner.create().plan("dev", List.of(ToyResource.of(new ToyCloud(), "a"))))
                .planFailure()).isEmpty();
    }

    private ApplyListener recorder(List<String> events) {
        Instant origin = clock.instant();
        return new ApplyListener() {
            @Override
            public void started(String stackName, Change change, Instant at) {
                events.add("started " + change.id() + " " + change.action() + " at +"
                        + Duration.between(origin, at).toSeconds() + "s");
            }

            @Override
            public void finished(ChangeOutcome outcome) {
                events.add("finished " + outcome.id() + " " + outcome.status());
            }

            @Override
            public void failed(ChangeOutcome outcome) {
                events.add("failed " + outcome.id() + " " + outcome.status());
            }

            @Override
            public void skipped(ChangeOutcome outcome) {
                events.add("skipped " + outcome.id() + " " + outcome.status());
            }
        };
    }
}

package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A service whose requests are metered ({@link ExecutionBudget#meterRequests}) is limited per request, once;
 * every other limited service keeps its limit per resource operation. All on a fake clock.
 */
class RequestMeteringTest {
    private final FakeClock clock = new FakeClock();
    private final ToyCloud cloud = new ToyCloud();

    @Test
    void requestsMadeInsideOneOperationAreSpacedByTheLimiter() {
        ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(4).clock(clock).sleeper(clock.sleeper())
                .rateLimit(Services.IAM, RateLimit.perSecond(2)));
        ExecutionBudget.RequestMeter iam = budget.meterRequests(Services.IAM);
        List<Instant> requests = Collections.synchronizedList(new ArrayList<>());
        // One role apply = five IAM requests (CreateRole, PutRolePolicy, TagRole...), all through the meter.
        ToyResource role = new ToyResource(cloud, "ci", "toy.role", "ci", Services.IAM).duringCall(r -> {
            for (int i = 0; i < 5; i++) {
                iam.beforeRequest();
                requests.add(clock.instant());
            }
        });
        Instant start = clock.instant();

        ApplyResult result = Applier.create(a -> a.budget(budget))
                .apply(Planner.create(p -> p.budget(budget)).plan("ci", List.of(role)));

        assertThat(result.succeeded()).isTrue();
        // A bucket of 2 that starts full, then one token every 500 ms. Had the engine also taken a token for
        // the observation and for the apply (double counting), the first request would wait until +500 ms.
        assertThat(requests).containsExactly(start, start, start.plusMillis(500), start.plusMillis(1000),
                start.plusMillis(1500));
        assertThat(budget.meteredServices()).containsExactly(Services.IAM);
    }

    @Test
    void retriedAttemptsSpendTokensForTheirRequestsAgain() {
        ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(1).clock(clock).sleeper(clock.sleeper())
                .rateLimit(Services.IAM, RateLimit.perSecond(1)));
        ExecutionBudget.RequestMeter iam = budget.meterRequests(Services.IAM);
        List<Instant> requests = new ArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        ToyResource role = new ToyResource(cloud, "ci", "toy.role", "ci", Services.IAM).duringCall(r -> {
            for (int i = 0; i < 2; i++) {
                iam.beforeRequest();
                requests.add(clock.instant());
            }
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("Throttling: Rate exceeded");
            }
        });
        Plan plan = Planner.create(p -> p.budget(budget)).plan("ci", List.of(role));
        Instant start = clock.instant();
        RetryPolicy retry = RetryPolicy.create(r -> r.maxAttempts(3).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .retryOn(e -> e.getMessage().startsWith("Throttling")));

        ApplyResult result = Applier.create(a -> a.budget(budget).retry(retry)).apply(plan);

        assertThat(result.outcome(role.id()).orElseThrow().attempts()).isEqualTo(2);
        // 1 per second, burst 1: attempt 1 at +0 s and +1 s; 100 ms backoff; attempt 2 at +2 s and +3 s.
        assertThat(requests).containsExactly(start, start.plusSeconds(1), start.plusSeconds(2), start.plusSeconds(3));
    }

    @Test
    void aServiceWhoseRequestsAreNotMeteredIsStillLimitedPerOperation() {
        ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(3).clock(clock).sleeper(clock.sleeper())
                .rateLimit(Services.IAM, RateLimit.perSecond(1))
                .rateLimit(Services.STS, RateLimit.perSecond(1)));
        // Metering STS changes nothing for IAM: its observations and changes still take a token each.
        budget.meterRequests(Services.STS);
        List<Instant> operations = Collections.synchronizedList(new ArrayList<>());
        List<Resource> roles = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            roles.add(new ToyResource(cloud, "ci", "toy.role", "r" + i, Services.IAM)
                    .duringCall(r -> operations.add(clock.instant())));
        }
        Instant start = clock.instant();

        Plan plan = Planner.create(p -> p.budget(budget)).plan("ci", roles);
        ApplyResult result = Applier.create(a -> a.budget(budget)).apply(plan);

        assertThat(result.summary()).isEqualTo("3 created, 0 updated, 0 deleted, 0 unchanged");
        assertThat(budget.meteredServices()).containsExactly(Services.STS);
        // 3 observations then 3 applies at 1/s (burst 1): the last apply starts at +5 s, never earlier.
        Collections.sort(operations);
        assertThat(operations.get(2)).isEqualTo(start.plusSeconds(5));
    }

    @Test
    void aMeterForAServiceWithoutALimitNeverWaits() {
        ExecutionBudget budget = ExecutionBudget.create(b -> b.clock(clock).sleeper(clock.sleeper())
                .rateLimit(Services.IAM, RateLimit.perSecond(1)));
        ExecutionBudget.RequestMeter eks = budget.meterRequests(Services.EKS);

        for (int i = 0; i < 100; i++) {
            eks.beforeRequest();
        }

        assertThat(clock.sleeps()).isZero();
        assertThat(eks.service()).isEqualTo(Services.EKS);
        assertThat(budget.toString()).contains("meteredPerRequest=[eks]");
    }

    @Test
    void aWriteLimitSpacesOnlyChangingRequests() {
        ExecutionBudget budget = ExecutionBudget.create(b -> b.clock(clock).sleeper(clock.sleeper())
                .writeRateLimit(Services.IAM, RateLimit.perSecond(1)));
        ExecutionBudget.RequestMeter iam = budget.meterRequests(Services.IAM);
        Instant start = clock.instant();
        List<Instant> writes = new ArrayList<>();

        for (int i = 0; i < 50; i++) {
            iam.beforeRequest(false);   // reads (GetRole, List...) are free under a write limit
        }
        assertThat(clock.instant()).isEqualTo(start);
        for (int i = 0; i < 3; i++) {
            iam.beforeRequest(true);
            writes.add(clock.instant());
        }
        iam.beforeRequest();   // unknown kind: counted as a write
        writes.add(clock.instant());

        assertThat(writes).containsExactly(start, start.plusSeconds(1), start.plusSeconds(2), start.plusSeconds(3));
        assertThat(budget.writeRateLimits()).containsEntry(Services.IAM, RateLimit.perSecond(1));
        assertThat(iam.toString()).contains("writes RateLimit[permits=1");
    }

    @Test
    void unmeteredAWriteLimitCountsChangesButNotObservations() {
        ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(3).clock(clock).sleeper(clock.sleeper())
                .writeRateLimit(Services.IAM, RateLimit.perSecond(1)));
        List<Instant> operations = Collections.synchronizedList(new ArrayList<>());
        List<Resource> roles = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            roles.add(new ToyResource(cloud, "ci", "toy.role", "w" + i, Services.IAM)
                    .duringCall(r -> operations.add(clock.instant())));
        }
        Instant start = clock.instant();

        Plan plan = Planner.create(p -> p.budget(budget)).plan("ci", roles);
        assertThat(clock.instant()).as("observations take no write token").isEqualTo(start);
        ApplyResult result = Applier.create(a -> a.budget(budget)).apply(plan);

        assertThat(result.summary()).isEqualTo("3 created, 0 updated, 0 deleted, 0 unchanged");
        // 3 applies at 1/s (burst 1): +0, +1, +2 s.
        Collections.sort(operations);
        assertThat(operations.get(operations.size() - 1)).isEqualTo(start.plusSeconds(2));
    }
}

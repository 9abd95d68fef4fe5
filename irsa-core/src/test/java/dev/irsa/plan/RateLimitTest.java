package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.plan.internal.TokenBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void applierNeverExceedsAServiceRateLimitAndLeavesOtherServicesAlone() {
        ToyCloud cloud = new ToyCloud();
        List<Instant> iamCalls = Collections.synchronizedList(new ArrayList<>());
        List<Instant> kubernetesCalls = Collections.synchronizedList(new ArrayList<>());
        List<Resource> resources = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            resources.add(new ToyResource(cloud, "ci", "toy.role", "r" + i, "iam")
                    .duringCall(r -> iamCalls.add(clock.instant())));
            resources.add(new ToyResource(cloud, "ci", "toy.account", "a" + i, "kubernetes")
                    .duringCall(r -> kubernetesCalls.add(clock.instant())));
        }
        RateLimit twoPerSecond = RateLimit.perSecond(2);
        ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(1).clock(clock)
                .sleeper(clock.sleeper()).rateLimit("iam", twoPerSecond));
        Plan plan = Planner.create(p -> p.budget(budget)).plan("ci", resources);
        Instant applyStart = clock.instant();

        ApplyResult result = Applier.create(a -> a.budget(budget)).apply(plan);

        assertThat(result.summary()).isEqualTo("20 created, 0 updated, 0 deleted, 0 unchanged");
        assertThat(iamCalls).hasSize(10);
        assertWithinLimit(iamCalls, twoPerSecond);
        assertThat(clock.sleeps()).as("the limiter had to wait").isPositive();
        // Planning made 10 IAM reads already, so applying waited from the first call: 10 calls at 2/s.
        assertThat(Duration.between(applyStart, iamCalls.get(9))).isGreaterThanOrEqualTo(Duration.ofMillis(4500));
        assertThat(kubernetesCalls).hasSize(10);
    }

    @Test
    void observationsAreRateLimitedToo() {
        ToyCloud cloud = new ToyCloud();
        List<Resource> resources = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            resources.add(new ToyResource(cloud, "ci", "toy.role", "r" + i, "iam"));
        }
        ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(3).clock(clock)
                .sleeper(clock.sleeper()).rateLimit("iam", RateLimit.of(1, Duration.ofSeconds(2))));
        Instant start = clock.instant();

        Planner.create(p -> p.budget(budget)).plan("ci", resources);

        // A full bucket of 1, then one token every 2 s: the sixth read is at +10 s at the earliest.
        assertThat(Duration.between(start, clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void tokenBucketGrantsObeyTheLimitUnderContention() throws Exception {
        RateLimit limit = RateLimit.of(3, Duration.ofMillis(900));
        TokenBucket bucket = new TokenBucket(limit.permits(), limit.per(), clock, clock.sleeper());
        List<Instant> grants = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                workers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 20; i++) {
                        grants.add(bucket.acquire());
                    }
                }, pool));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(grants).hasSize(120);
        assertWithinLimit(grants, limit);
    }

    @Test
    void startsFullSoABurstNeedsNoWait() {
        TokenBucket bucket = new TokenBucket(5, Duration.ofSeconds(1), clock, clock.sleeper());
        Instant start = clock.instant();

        for (int i = 0; i < 5; i++) {
            assertThat(bucket.acquire()).isEqualTo(start);
        }
        assertThat(clock.sleeps()).isZero();
        assertThat(bucket.acquire()).isEqualTo(start.plusMillis(200));
    }

    @Test
    void rejectsNonsenseLimits() {
        assertThatThrownBy(() -> RateLimit.of(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.of(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExecutionBudget.create(b -> b.maxConcurrency(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Over any window [t_i, t_j]: j - i + 1 calls <= permits + (t_j - t_i) * permits / per. */
    private static void assertWithinLimit(List<Instant> calls, RateLimit limit) {
        List<Instant> sorted = new ArrayList<>(calls);
        Collections.sort(sorted);
        long perNanos = limit.per().toNanos();
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i; j < sorted.size(); j++) {
                long span = Duration.between(sorted.get(i), sorted.get(j)).toNanos();
                long calls_ = j - i + 1;
                // calls <= permits + span * permits / per, kept in integers
                assertThat((calls_ - limit.permits()) * perNanos)
                        .as("calls %d..%d at %s..%s", i, j, sorted.get(i), sorted.get(j))
                        .isLessThanOrEqualTo(span * limit.permits());
            }
        }
    }
}

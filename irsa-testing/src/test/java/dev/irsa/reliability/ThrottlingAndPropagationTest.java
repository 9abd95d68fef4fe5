package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.binding.VerifyCheck;
import dev.irsa.binding.VerifyReport;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.plan.ApplyResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Throttling (30 % of AWS calls answer Throttling, seeded), quotas (LimitExceeded is never retried and is
 * reported clearly), and IAM propagation (a new role unusable for a simulated 20 s: verify rides it out with
 * backoff on the manual clock; beyond the bound: a clear timeout naming the role). No real sleeps.
 */
class ThrottlingAndPropagationTest {
    // Ten seeds that each throttle at least one call. A fresh apply makes few AWS calls (about seven since the
    // cluster is resolved by DescribeCluster alone and the provider read by ARN), so some seeds throttle none
    // (seed 9 does not) and would test nothing: 11 replaces it.
    private static final long[] SEEDS = {1, 2, 3, 4, 5, 6, 7, 8, 10, 11};

    @Test
    void applyConvergesWith30PercentOfAwsCallsThrottled() {
        Map<String, String> expected;
        try (Sandbox clean = new Sandbox(true)) {
            clean.apply(clean.stack()).orThrow();
            expected = clean.snapshot();
        }
        List<String> failures = new ArrayList<>();
        int throttledTotal = 0;
        int callsTotal = 0;
        for (long seed : SEEDS) {
            try (Sandbox sb = new Sandbox(true)) {
                sb.faults.throttle(0.30, seed);
                ApplyResult result = sb.apply(sb.stack());
                throttledTotal += sb.faults.throttled();
                callsTotal += (int) sb.faults.log().stream().filter(c -> c.startsWith("iam ") || c.startsWith("sts ") || c.startsWith("eks ")).count();
                if (!result.succeeded()) {
                    failures.add("seed " + seed + ": " + result.summary() + " " + result.firstFailure().map(Throwable::getMessage).orElse(""));
                } else if (!sb.snapshot().equals(expected)) {
                    failures.add("seed " + seed + ": state differs from a clean apply");
                }
                assertThat(sb.faults.throttled()).as("seed " + seed + " throttled some calls").isPositive();
            }
        }
        System.out.printf("[reliability] throttling 30%%: %d seeds, %d of %d AWS calls throttled, %d of %d applies converged "
                + "in one run%n", SEEDS.length, throttledTotal, callsTotal, SEEDS.length - failures.size(), SEEDS.length);
        failures.forEach(f -> System.out.println("[reliability]   FAILED " + f));
        assertThat(failures).isEmpty();
    }

    @Test
    void limitExceededIsNotRetriedAndIsReportedClearly() {
        try (Sandbox sb = new Sandbox(true)) {
            sb.faults.quotaExceededOn("CreateRole");
            ApplyResult result = sb.apply(sb.stack());
            assertThat(result.succeeded()).isFalse();
            assertThat(sb.faults.log().stream().filter(c -> c.equals("iam CreateRole")).count())
                    .as("CreateRole attempts (LimitExceeded is a quota: never retried)").isEqualTo(1);
            String message = result.firstFailure().orElseThrow().getMessage();
            System.out.println("[reliability] LimitExceeded reported as: " + message.lines().findFirst().orElse(""));
            assertThat(message).contains("LimitExceeded").contains("eks-cluster-role");
            assertThat(sb.iam.roleNames()).isEmpty();
        }
    }

    @Test
    void verifyRidesOutTwentySecondsOfIamPropagation() {
        try (Sandbox sb = new Sandbox(true)) {
            sb.iam.propagationDelay(Duration.ofSeconds(20));
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            sb.faults.reset();
            Duration before = sb.clock.slept();
            VerifyReport report = sb.irsa.verify(stack);
            Duration waited = sb.clock.slept().minus(before);
            long attempts = sb.faults.log().stream().filter(c -> c.equals("sts AssumeRoleWithWebIdentity")).count();
            System.out.printf("[reliability] IAM propagation 20 s: verify %s after %d AssumeRoleWithWebIdentity attempts, %s waited on the manual clock%n",
                    report.passed() ? "passed" : "FAILED", attempts, waited);
            assertThat(report.passed()).as(report.render()).isTrue();
            assertThat(attempts).as("verify retried while the role propagated").isGreaterThan(1);
            assertThat(waited).isLessThanOrEqualTo(Duration.ofMinutes(2));
        }
    }

    @Test
    void propagationBeyondTheBoundIsAClearTimeoutNamingTheRole() {
        try (Sandbox sb = new Sandbox(true, Duration.ofSeconds(10))) {
            sb.iam.propagationDelay(Duration.ofSeconds(20));
            RunnerStack stack = sb.stack();
            sb.apply(stack).orThrow();
            VerifyReport report = sb.irsa.verify(stack);
            assertThat(report.passed()).isFalse();
            VerifyCheck failed = report.failures().get(0);
            String text = failed.toString();
            System.out.println("[reliability] propagation beyond the bound: " + text.replace('\n', ' '));
            assertThat(text).containsIgnoringCase("propagation").contains("eks-cluster-role");
        }
    }
}

package dev.irsa.examples.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Correctness of the many-stacks benchmark (never its speed): everything applied, the IAM request rate kept. */
class ManyStacksTest {

    @Test
    void appliesEveryStackInBothModesWithinTheConfiguredIamRate() {
        ManyStacks.Settings settings = new ManyStacks.Settings(Duration.ofMillis(1), 5, 4);
        ManyStacks.Result result = ManyStacks.measure(6, settings);
        System.out.println(ManyStacks.table(List.of(result)));
        System.out.println(result);

        assertThat(result.sequential().allApplied()).isTrue();
        assertThat(result.concurrent().allApplied()).isTrue();
        assertThat(result.concurrent().iamWrites()).isEqualTo(result.sequential().iamWrites()).isPositive();
        // Every IAM write (retries included) takes a token of the write limit, so the bound of RateLimit's Javadoc
        // (permits + T * permits / per: 10 in any 1 s at 5/s) holds for the writes; reads are not limited here.
        assertThat(result.concurrent().iamWrites()).as("more writes than one window allows: the limiter had to pace")
                .isGreaterThan(result.allowedPerSecondWindow());
        assertThat(result.sequential().maxIamWritesPerSecond()).isLessThanOrEqualTo(result.allowedPerSecondWindow());
        assertThat(result.concurrent().maxIamWritesPerSecond()).isLessThanOrEqualTo(result.allowedPerSecondWindow());
        assertThat(result.rateKept()).isTrue();
    }

    @Test
    void slidingWindowCountsCallsStartedWithinOneWindow() {
        long ms = 1_000_000L;
        List<CallTrace.Call> calls = List.of(call(0), call(100 * ms), call(900 * ms), call(1000 * ms), call(1001 * ms), call(2500 * ms));
        assertThat(CallTrace.maxInWindow(calls, 1000 * ms)).isEqualTo(4);   // 0, 100, 900, 1000 ms
        assertThat(CallTrace.maxInWindow(calls, 0)).isEqualTo(1);
        assertThat(CallTrace.longestSequentialChain(calls)).isEqualTo(6);
    }

    private static CallTrace.Call call(long startNanos) {
        return new CallTrace.Call("iam", "createRole", startNanos, startNanos + 1, true);
    }
}

package dev.irsa.examples;

import dev.irsa.plan.ChangeOutcome.Status;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.SandboxResources;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class NightlyRolesTest {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    @Test
    void eveningDeletesOnlyTheIamPartAndMorningBringsItBackIdempotently() {
        RunnerStack seed = WalkthroughArtifacts.seedStack();
        try (IrsaTarget target = IrsaTarget.sandbox(seed)) {
            IrsaSandbox sandbox = target.sandbox().orElseThrow();
            RunnerStack stack = target.adapt(seed);
            assertThat(target.stacks().apply(stack, ApplyListener.NONE).succeeded()).isTrue();
            String roleArn = sandbox.resources().role(WalkthroughArtifacts.ROLE).orElseThrow().arn();
            SandboxResources before = sandbox.resources();
            NightlyRoles nightly = new NightlyRoles(target.irsa(), stack, out);

            assertThat(nightly.evening().count(Status.DELETED)).isPositive();
            SandboxResources night = sandbox.resources();
            assertThat(night.roles()).isEmpty();
            assertThat(night.serviceAccount("dev", "app-deployer").orElseThrow().roleArn()).contains(roleArn);
            assertThat(night.runners()).isEqualTo(before.runners());
            assertThat(night.releases()).isEqualTo(before.releases());
            assertThat(night.secrets()).isEqualTo(before.secrets());
            int changing = sandbox.calls().withoutStackLock().changing().size();
            assertThat(nightly.evening().count(Status.DELETED)).isZero();
            assertThat(sandbox.calls().withoutStackLock().changing()).hasSize(changing);
            assertThat(target.stacks().verify(stack).passed()).isFalse();

            assertThat(nightly.morning().count(Status.CREATED)).isPositive();
            assertThat(sandbox.resources().role(WalkthroughArtifacts.ROLE).orElseThrow().arn()).isEqualTo(roleArn);
            changing = sandbox.calls().withoutStackLock().changing().size();
            ApplyResult again = nightly.morning();
            assertThat(again.count(Status.CREATED) + again.count(Status.UPDATED) + again.count(Status.DELETED)).isZero();
            assertThat(sandbox.calls().withoutStackLock().changing()).hasSize(changing);
            assertThat(target.stacks().verify(stack).passed()).isTrue();
        }
    }

    @Test
    void demonstrationSucceeds() {
        assertThat(NightlyRoles.demonstrate(out)).as(buffer.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("evening: 0 created, 0 updated, 0 deleted",
                "at night no job can assume the role: right", "verify passes", "Done: evening/morning is repeatable and idempotent.");
    }

    @Test
    void nextRunIsLaterTodayOrTomorrow() {
        Clock sixPm = Clock.fixed(Instant.parse("2026-11-25T18:00:00Z"), ZoneOffset.UTC);
        assertThat(NightlyRoles.delayUntil(sixPm, ZoneId.of("UTC"), LocalTime.of(20, 0))).isEqualTo(Duration.ofHours(2));
        assertThat(NightlyRoles.delayUntil(sixPm, ZoneId.of("UTC"), LocalTime.of(7, 0))).isEqualTo(Duration.ofHours(13));
        assertThat(NightlyRoles.delayUntil(sixPm, ZoneId.of("UTC"), LocalTime.of(18, 0))).isEqualTo(Duration.ofDays(1));
    }
}

package dev.irsa.examples;

import dev.irsa.plan.ChangeOutcome.Status;
import dev.irsa.testing.IrsaSandbox;
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
    void eveningDeletesOnlyTheRoleAndMorningBringsItBackIdempotently() {
        try (IrsaSandbox sandbox = Walkthrough.startSandbox()) {
            BindingOperations ops = Walkthrough.operations(WalkthroughArtifacts.binding(), sandbox);
            assertThat(ops.apply(dev.irsa.plan.ApplyListener.NONE).succeeded()).isTrue();
            String roleArn = sandbox.resources().role(WalkthroughArtifacts.ROLE).orElseThrow().arn();
            NightlyRoles nightly = new NightlyRoles(ops, out);

            assertThat(nightly.evening().count(Status.DELETED)).isEqualTo(1);
            assertThat(sandbox.resources().roles()).isEmpty();
            assertThat(sandbox.resources().oidcProviders()).hasSize(1);
            assertThat(sandbox.resources().serviceAccount("dev", "app-deployer").orElseThrow().roleArn()).contains(roleArn);
            int changing = sandbox.calls().changing().size();
            assertThat(nightly.evening().count(Status.DELETED)).isZero();
            assertThat(sandbox.calls().changing()).hasSize(changing);
            assertThat(ops.verify().passed()).isFalse();

            assertThat(nightly.morning().count(Status.CREATED)).isEqualTo(1);
            assertThat(sandbox.resources().role(WalkthroughArtifacts.ROLE).orElseThrow().arn()).isEqualTo(roleArn);
            changing = sandbox.calls().changing().size();
            assertThat(nightly.morning().count(Status.UNCHANGED)).isEqualTo(2);
            assertThat(sandbox.calls().changing()).hasSize(changing);
            assertThat(ops.verify().passed()).isTrue();
        }
    }

    @Test
    void demonstrationSucceeds() {
        assertThat(NightlyRoles.demonstrate(out)).as(buffer.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("evening: 0 created, 0 updated, 1 deleted", "evening: 0 created, 0 updated, 0 deleted",
                "morning: 1 created", "verify passes", "Done: evening/morning is repeatable and idempotent.");
    }

    @Test
    void nextRunIsLaterTodayOrTomorrow() {
        Clock sixPm = Clock.fixed(Instant.parse("2026-11-25T18:00:00Z"), ZoneOffset.UTC);
        assertThat(NightlyRoles.delayUntil(sixPm, ZoneId.of("UTC"), LocalTime.of(20, 0))).isEqualTo(Duration.ofHours(2));
        assertThat(NightlyRoles.delayUntil(sixPm, ZoneId.of("UTC"), LocalTime.of(7, 0))).isEqualTo(Duration.ofHours(13));
        assertThat(NightlyRoles.delayUntil(sixPm, ZoneId.of("UTC"), LocalTime.of(18, 0))).isEqualTo(Duration.ofDays(1));
    }
}

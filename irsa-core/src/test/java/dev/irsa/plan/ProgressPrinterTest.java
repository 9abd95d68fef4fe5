package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    private final ToyCloud cloud = new ToyCloud();
    private final FakeClock clock = new FakeClock();
    private final ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(1).clock(clock)
            .sleeper(clock.sleeper()));
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void printsLikeTerraformApply() {
        ToyResource a = ToyResource.of(cloud, "a").duringCall(r -> clock.advance(Duration.ofSeconds(2)));
        ToyResource b = ToyResource.of(cloud, "b").field("k", "new").dependsOn(a.id());
        ToyResource c = ToyResource.of(cloud, "c").dependsOn(b.id());
        ToyResource d = ToyResource.of(cloud, "d").dependsOn(c.id());
        cloud.putOutOfBand(b.key(), Map.of("k", "old"), "ci");
        cloud.failTimes(c.key(), 2, new IllegalStateException("Throttling"));
        Applier applier = Applier.create(x -> x.budget(budget).listener(new ProgressPrinter(out))
                .retry(RetryPolicy.create(r -> r.maxAttempts(2).backoff(Duration.ofSeconds(3), Duration.ofSeconds(3))
                        .retryOn(e -> true))));

        applier.apply(Planner.create(p -> p.budget(budget)).plan("ci", List.of(a, b, c, d)));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
                toy.thing/a: Creating...
                toy.thing/a: Creation complete after 2s
                toy.thing/b: Modifying...
                toy.thing/b: Modifications complete after 0s
                toy.thing/c: Creating...
                toy.thing/c: Attempt 1 failed (Throttling), retrying in 3s
                toy.thing/c: Failed after 3s: Throttling
                toy.thing/d: Skipped (dependency toy.thing/c failed)
                """);
    }

    @Test
    void prefixesStackNamesAndSkipsUnchanged() {
        ToyResource kept = new ToyResource(cloud, "prod", "toy.thing", "kept", "toy");
        ToyResource gone = new ToyResource(cloud, "prod", "toy.thing", "gone", "toy");
        cloud.putOutOfBand(kept.key(), Map.of(), "prod");
        cloud.putOutOfBand(gone.key(), Map.of(), "prod");
        Planner planner = Planner.create(p -> p.budget(budget));
        Plan destroy = planner.destroyPlan("prod", List.of(gone));
        Plan noop = planner.plan("prod", List.of(kept));

        Applier.create(x -> x.budget(budget).listener(new ProgressPrinter(out).withStackNames(true)))
                .applyAll(List.of(destroy, noop));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""
                [prod] toy.thing/gone: Destroying...
                [prod] toy.thing/gone: Destruction complete after 0s
                """);
    }
}

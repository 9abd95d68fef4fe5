package dev.irsa.plan;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A resource that exists outside irsa and is only used (e.g. an existing namespace) is never changed or deleted. */
class ExternalResourceTest {
    private final AtomicInteger applies = new AtomicInteger();
    private final AtomicInteger deletes = new AtomicInteger();

    private final Resource existingNamespace = new Resource() {
        @Override
        public ResourceId id() {
            return ResourceId.of("kubernetes.namespace", "dev");
        }

        @Override
        public String service() {
            return Services.KUBERNETES;
        }

        @Override
        public Observed observe() {
            return Observed.external(Fields.of(Map.of("owner", "someone else")));
        }

        @Override
        public Fields desired(Inputs inputs) {
            return Fields.empty();
        }

        @Override
        public Outputs apply(ApplyContext context) {
            applies.incrementAndGet();
            return Outputs.none();
        }

        @Override
        public void delete(ApplyContext context) {
            deletes.incrementAndGet();
        }
    };

    @Test
    void applyUsesItAsItIsWithoutAskingForAdoption() {
        Plan plan = Planner.create().plan("seed", List.of(existingNamespace));
        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(Action.NO_OP);
            assertThat(c.observed()).isEqualTo(Presence.EXTERNAL);
            assertThat(c.reason()).contains("not managed by irsa");
        });
        assertThat(plan.hasChanges()).isFalse();
        Applier.create().apply(plan).orThrow();
        assertThat(applies).hasValue(0);
    }

    @Test
    void destroyLeavesItAndSaysSo() {
        Plan plan = Planner.create().destroyPlan("seed", List.of(existingNamespace));
        assertThat(plan.changes()).singleElement().satisfies(c -> assertThat(c.action()).isEqualTo(Action.NO_OP));
        assertThat(plan.render()).contains("not managed by irsa").doesNotContain("will be destroyed");
        Applier.create().apply(plan).orThrow();
        assertThat(deletes).hasValue(0);
    }
}

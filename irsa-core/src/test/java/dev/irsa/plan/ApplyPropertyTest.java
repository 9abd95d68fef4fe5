package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.plan.ChangeOutcome.Status;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random dependency graphs of toy resources, applied with 4 workers. */
class ApplyPropertyTest {

    @Property(tries = 40)
    void applyRespectsDependenciesConvergesAfterFailuresAndDestroysInReverse(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 1000) Integer> edges,
            @ForAll @IntRange(min = 1, max = 15) int size,
            @ForAll @Size(max = 3) List<@IntRange(min = 0, max = 14) Integer> broken) {
        ToyCloud cloud = new ToyCloud();
        List<ToyResource> resources = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ToyResource resource = ToyResource.of(cloud, String.format("n%02d", i)).field("i", String.valueOf(i));
            for (int k = 0; k + 1 < edges.size(); k += 2) {
                int from = edges.get(k) % size;
                int to = edges.get(k + 1) % size;
                if (from == i && to < i) {
                    resource.arnOf("arn-of-" + to, resources.get(to));
                }
            }
            resources.add(resource);
        }
        broken.stream().filter(b -> b < size)
                .forEach(b -> cloud.breakKey(resources.get(b).key(), new IllegalStateException("broken " + b)));
        ExecutionBudget budget = ExecutionBudget.create(b -> b.maxConcurrency(4));
        Planner planner = Planner.create(p -> p.budget(budget));
        Applier applier = Applier.create(a -> a.budget(budget));

        ApplyResult first = applier.apply(planner.plan("ci", resources));

        for (ToyResource resource : resources) {
            Status status = first.outcome(resource.id()).orElseThrow().status();
            boolean anyDependencyBroken = resource.dependsOn().stream()
                    .anyMatch(d -> first.outcome(d).orElseThrow().status() != Status.CREATED);
            if (anyDependencyBroken) {
                assertThat(status).isEqualTo(Status.SKIPPED);
            } else {
                int index = resources.indexOf(resource);
                assertThat(status).isEqualTo(broken.contains(index) ? Status.FAILED : Status.CREATED);
            }
        }
        resources.forEach(r -> cloud.heal(r.key()));
        applier.apply(planner.plan("ci", resources)).orThrow();

        List<String> log = cloud.changeLog();
        for (ToyResource resource : resources) {
            int created = log.indexOf("create " + resource.key());
            assertThat(created).isNotNegative();
            for (ResourceId dependency : resource.dependsOn()) {
                assertThat(log.indexOf("create " + dependency)).isLessThan(created);
            }
            assertThat(cloud.get(resource.key()).fields().keySet()).hasSize(1 + resource.dependsOn().size());
        }

        cloud.clearLog();
        Plan again = planner.plan("ci", resources);
        assertThat(again.hasChanges()).isFalse();
        applier.apply(again).orThrow();
        assertThat(cloud.changingCalls()).isZero();

        applier.apply(planner.destroyPlan("ci", resources)).orThrow();
        List<String> deletes = cloud.changeLog();
        assertThat(deletes).hasSize(size);
        for (ToyResource resource : resources) {
            assertThat(cloud.contains(resource.key())).isFalse();
            for (ResourceId dependency : resource.dependsOn()) {
                assertThat(deletes.indexOf("delete " + resource.key()))
                        .isLessThan(deletes.indexOf("delete " + dependency));
            }
        }
    }
}

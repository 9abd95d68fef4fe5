package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.irsa.plan.internal.Graph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class GraphTest {

    /** Random DAGs (edges only from higher to lower index): every resource comes after its dependencies. */
    @Property(tries = 100)
    void orderPutsDependenciesFirst(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 1000) Integer> edges,
                                    @ForAll @IntRange(min = 1, max = 25) int size) {
        Map<ResourceId, Set<ResourceId>> deps = dag(edges, size);

        List<ResourceId> order = Graph.order(deps);

        assertThat(order).containsExactlyInAnyOrderElementsOf(deps.keySet());
        for (Map.Entry<ResourceId, Set<ResourceId>> entry : deps.entrySet()) {
            for (ResourceId dependency : entry.getValue()) {
                assertThat(order.indexOf(dependency)).isLessThan(order.indexOf(entry.getKey()));
            }
        }
        assertThat(Graph.order(new HashMap<>(deps))).as("stable").isEqualTo(order);
    }

    /** Adding a back edge to a DAG that has a path makes a cycle; the reported cycle is a real one. */
    @Property(tries = 100)
    void reportedCycleIsARealCycle(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 1000) Integer> edges,
                                   @ForAll @IntRange(min = 2, max = 25) int size) {
        Map<ResourceId, Set<ResourceId>> deps = dag(edges, size);
        // node size-1 -> ... chain to 0 guaranteed, then 0 -> size-1 closes it
        for (int i = 1; i < size; i++) {
            deps.get(id(i)).add(id(i - 1));
        }
        deps.get(id(0)).add(id(size - 1));

        assertThatThrownBy(() -> Graph.order(deps)).isInstanceOfSatisfying(DependencyCycleException.class, e -> {
            List<ResourceId> cycle = e.cycle();
            assertThat(cycle).doesNotHaveDuplicates().isNotEmpty();
            for (int i = 0; i < cycle.size(); i++) {
                assertThat(deps.get(cycle.get(i))).contains(cycle.get((i + 1) % cycle.size()));
            }
        });
    }

    private static Map<ResourceId, Set<ResourceId>> dag(List<Integer> edges, int size) {
        Map<ResourceId, Set<ResourceId>> deps = new HashMap<>();
        for (int i = 0; i < size; i++) {
            deps.put(id(i), new HashSet<>());
        }
        List<Integer> values = new ArrayList<>(edges);
        for (int k = 0; k + 1 < values.size(); k += 2) {
            int a = values.get(k) % size;
            int b = values.get(k + 1) % size;
            if (a > b) {
                deps.get(id(a)).add(id(b));
            }
        }
        return deps;
    }

    private static ResourceId id(int i) {
        return ResourceId.of("toy.node", String.format("n%02d", i));
    }
}

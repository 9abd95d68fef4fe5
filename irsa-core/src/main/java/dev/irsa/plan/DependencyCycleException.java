package dev.irsa.plan;

import java.util.List;
import java.util.stream.Collectors;

/** Resources depend on each other in a circle, so there is no order to apply them in. */
public class DependencyCycleException extends PlanException {
    private static final long serialVersionUID = 1L;

    private final List<ResourceId> cycle;

    public DependencyCycleException(List<ResourceId> cycle) {
        super("dependency cycle: " + cycle.stream().map(ResourceId::toString).collect(Collectors.joining(" -> "))
                + " -> " + cycle.get(0));
        this.cycle = List.copyOf(cycle);
    }

    /** The resources on the cycle, each depending on the next, the last on the first. */
    public List<ResourceId> cycle() {
        return cycle;
    }
}

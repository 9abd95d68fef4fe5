package dev.irsa.plan.internal;

import dev.irsa.plan.DependencyCycleException;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.UnknownDependencyException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** Orders resources so each comes after its dependencies; ties broken by id, so the order is stable. */
public final class Graph {
    private Graph() {
    }

    /**
     * A topological order of {@code dependencies} (resource -> what it depends on).
     *
     * @throws UnknownDependencyException if a resource depends on one not in the map
     * @throws DependencyCycleException   if there is a cycle; names one cycle
     */
    public static List<ResourceId> order(Map<ResourceId, Set<ResourceId>> dependencies) {
        SortedMap<ResourceId, Set<ResourceId>> deps = new TreeMap<>(dependencies);
        Map<ResourceId, Integer> waitingOn = new HashMap<>();
        Map<ResourceId, List<ResourceId>> dependents = new HashMap<>();
        for (Map.Entry<ResourceId, Set<ResourceId>> entry : deps.entrySet()) {
            for (ResourceId dependency : new TreeSet<>(entry.getValue())) {
                if (!deps.containsKey(dependency)) {
                    throw new UnknownDependencyException(entry.getKey(), dependency);
                }
                dependents.computeIfAbsent(dependency, k -> new ArrayList<>()).add(entry.getKey());
            }
            waitingOn.put(entry.getKey(), new HashSet<>(entry.getValue()).size());
        }
        TreeSet<ResourceId> ready = new TreeSet<>();
        waitingOn.forEach((id, n) -> {
            if (n == 0) {
                ready.add(id);
            }
        });
        List<ResourceId> order = new ArrayList<>(deps.size());
        while (!ready.isEmpty()) {
            ResourceId next = ready.pollFirst();
            order.add(next);
            for (ResourceId dependent : dependents.getOrDefault(next, List.of())) {
                if (waitingOn.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (order.size() < deps.size()) {
            throw new DependencyCycleException(findCycle(deps, new HashSet<>(order)));
        }
        return List.copyOf(order);
    }

    /** A cycle among the resources not ordered (each of them is on or leads to a cycle). */
    private static List<ResourceId> findCycle(SortedMap<ResourceId, Set<ResourceId>> deps, Set<ResourceId> ordered) {
        // Walk dependencies from the smallest unordered id; a walk through unordered nodes must revisit one.
        ResourceId start = deps.keySet().stream().filter(id -> !ordered.contains(id)).findFirst().orElseThrow();
        Deque<ResourceId> path = new ArrayDeque<>();
        Map<ResourceId, Integer> position = new HashMap<>();
        ResourceId current = start;
        while (!position.containsKey(current)) {
            position.put(current, path.size());
            path.addLast(current);
            current = new TreeSet<>(deps.get(current)).stream()
                    .filter(id -> !ordered.contains(id)).findFirst().orElseThrow();
        }
        List<ResourceId> walk = new ArrayList<>(path);
        return List.copyOf(walk.subList(position.get(current), walk.size()));
    }
}

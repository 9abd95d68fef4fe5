package dev.irsa.testing.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every call a fake received, in order, by AWS operation name. Read-only calls (Get, List, Describe)
 * are told apart so tests can assert "a re-apply made zero changing calls".
 */
public final class CallLog {
    private static final Set<String> READ_PREFIXES = Set.of("Get", "List", "Describe");
    private final List<String> calls = new ArrayList<>();

    synchronized void record(String operation) {
        calls.add(operation);
    }

    /** All calls in order. */
    public synchronized List<String> all() {
        return List.copyOf(calls);
    }

    public synchronized int count(String operation) {
        return (int) calls.stream().filter(operation::equals).count();
    }

    public synchronized Map<String, Integer> counts() {
        Map<String, Integer> m = new TreeMap<>();
        calls.forEach(c -> m.merge(c, 1, Integer::sum));
        return m;
    }

    /** Calls that change state (everything but Get*, List*, Describe*), in order. */
    public synchronized List<String> changing() {
        return calls.stream().filter(c -> READ_PREFIXES.stream().noneMatch(c::startsWith)).toList();
    }

    public synchronized void clear() {
        calls.clear();
    }

    @Override
    public synchronized String toString() {
        return counts().toString();
    }
}

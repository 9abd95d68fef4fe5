package dev.irsa.testing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of every call the sandbox's services received since start or the last
 * {@link IrsaSandbox#reset()}, per service in the order each received them. Inspection reads made by
 * {@link IrsaSandbox#resources()} are not counted.
 *
 * <pre>{@code
 * SandboxCalls calls = sandbox.calls();
 * assertThat(calls.count(Service.IAM, "CreateRole")).isEqualTo(1);
 * assertThat(calls.withoutStackLock().changing()).isEmpty();   // a re-apply changed nothing
 * }</pre>
 */
public final class SandboxCalls {
    private final List<SandboxCall> calls;

    public SandboxCalls(List<SandboxCall> calls) {
        this.calls = List.copyOf(calls);
    }

    /** Every call, grouped by service (IAM, STS, EKS, KUBERNETES, GITLAB, HELM), in order within a service. */
    public List<SandboxCall> all() {
        return calls;
    }

    /** The calls one service received, in order. */
    public List<SandboxCall> of(Service service) {
        return calls.stream().filter(c -> c.service() == service).toList();
    }

    /** How often {@code service} received {@code operation}. */
    public int count(Service service, String operation) {
        return (int) calls.stream().filter(c -> c.service() == service && c.operation().equals(operation)).count();
    }

    /** Calls per operation for one service, sorted by operation. */
    public Map<String, Integer> counts(Service service) {
        Map<String, Integer> m = new TreeMap<>();
        of(service).forEach(c -> m.merge(c.operation(), 1, Integer::sum));
        return m;
    }

    /**
     * The same calls without the stack lock's (see {@link SandboxCall#stackLock()}): every {@code apply}
     * creates and deletes its Lease, so "a re-apply changed nothing" reads
     * {@code calls.withoutStackLock().changing()}.
     */
    public SandboxCalls withoutStackLock() {
        return new SandboxCalls(calls.stream().filter(c -> !c.stackLock()).toList());
    }

    /** Every call that changes state, across services (the stack lock's Lease writes included). */
    public List<SandboxCall> changing() {
        return calls.stream().filter(SandboxCall::changing).toList();
    }

    /** The calls that change state in one service. */
    public List<SandboxCall> changing(Service service) {
        return calls.stream().filter(c -> c.service() == service && c.changing()).toList();
    }

    /** Names of the changing operations of one service, in order (e.g. {@code [CreateOpenIDConnectProvider, CreateRole]}). */
    public List<String> changingOperations(Service service) {
        return changing(service).stream().map(SandboxCall::operation).toList();
    }

    @Override
    public String toString() {
        Map<Service, Map<String, Integer>> m = new TreeMap<>();
        for (Service s : Service.values()) {
            Map<String, Integer> c = counts(s);
            if (!c.isEmpty()) {
                m.put(s, c);
            }
        }
        return m.toString();
    }
}

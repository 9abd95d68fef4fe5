package dev.irsa.kubernetes;

import dev.irsa.kubernetes.internal.StackLeases;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A held stack lock: a {@code coordination.k8s.io/v1} Lease ({@code irsa-lock-<stack>}) whose holder is this
 * run. Other irsa runs of the same stack wait for it (or take it over once it has not been renewed for its
 * TTL, i.e. its holder died). {@link #close()} releases it; {@link #renewIfDue()} keeps a long run's lease
 * alive.
 *
 * <pre>{@code
 * try (StackLease lease = k8s.lockStack("default", "dev", "ci-job-42", Duration.ofMinutes(15), Duration.ofMinutes(5))) {
 *     // plan and apply the stack
 *     lease.renewIfDue();
 * }
 * }</pre>
 */
public final class StackLease implements AutoCloseable {
    private final StackLeases leases;
    private final String namespace;
    private final String name;
    private final String holder;
    private final Duration ttl;
    private volatile Instant renewedAt;

    StackLease(StackLeases leases, String namespace, String name, String holder, Duration ttl, Instant renewedAt) {
        this.leases = leases;
        this.namespace = namespace;
        this.name = name;
        this.holder = holder;
        this.ttl = ttl;
        this.renewedAt = renewedAt;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    /** Who holds it: unique per acquisition. */
    public String holder() {
        return holder;
    }

    public Duration ttl() {
        return ttl;
    }

    /**
     * Renews the lease when a third of its TTL has passed since this run last renewed it; before that it
     * makes no call at all.
     *
     * @throws dev.irsa.IrsaException when the lease was taken over (this run was presumed dead)
     */
    public synchronized void renewIfDue() {
        if (leases.clock().instant().isBefore(renewedAt.plus(ttl.dividedBy(3)))) {
            return;
        }
        renewedAt = leases.renew(namespace, name, holder, ttl);
    }

    /** Releases the lock (deletes the Lease if this run still holds it); safe to call twice. */
    @Override
    public void close() {
        leases.release(namespace, name, holder);
    }

    @Override
    public String toString() {
        return "StackLease{" + namespace + "/" + name + ", holder=" + holder + "}";
    }

    static StackLease held(StackLeases leases, String namespace, String name, String holder, Duration ttl, Instant renewedAt) {
        return new StackLease(Objects.requireNonNull(leases), namespace, name, holder, ttl, renewedAt);
    }
}

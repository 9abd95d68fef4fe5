package dev.irsa.kubernetes.internal;

import dev.irsa.IrsaException;
import dev.irsa.Sleeper;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.StackLockedException;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

/**
 * Stack locks as {@code coordination.k8s.io/v1} Leases, the API server's own optimistic concurrency doing
 * the mutual exclusion: a create fails with 409 when the Lease exists, and an update carrying a stale
 * {@code resourceVersion} fails with 409, so of two runs taking over an expired lease only one wins.
 * Time comes from the injected clock and waiting from the injected sleeper.
 */
public final class StackLeases {
    private static final Duration FIRST_POLL = Duration.ofSeconds(1);
    private static final Duration MAX_POLL = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final Clock clock;
    private final Sleeper sleeper;

    public StackLeases(KubernetesClient client, Clock clock, Sleeper sleeper) {
        this.client = client;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public static String leaseName(String stack) {
        return "irsa-lock-" + stack;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Takes the lease for {@code holder}, waiting up to {@code wait} while another live holder has it; returns
     * when it was (re)newed. The free case costs one call: the create.
     */
    public Instant acquire(String namespace, String stack, String holder, Duration ttl, Duration wait) {
        String name = leaseName(stack);
        Instant deadline = clock.instant().plus(wait);
        Duration poll = FIRST_POLL;
        while (true) {
            Lease current;
            try {
                Lease fresh = fresh(namespace, name, stack, holder, ttl, 0);
                try {
                    client.leases().inNamespace(namespace).resource(fresh).create();
                    return fresh.getSpec().getRenewTime().toInstant();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                }
                current = client.leases().inNamespace(namespace).withName(name).get();
                if (current == null) {
                    continue; // released between our create and our read
                }
                if (expired(current)) {
                    // Take over a dead holder's lease; the resourceVersion makes a concurrent takeover fail with 409.
                    int transitions = Objects.requireNonNullElse(current.getSpec().getLeaseTransitions(), 0) + 1;
                    Lease takeover = fresh(namespace, name, stack, holder, ttl, transitions);
                    takeover.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
                    client.leases().inNamespace(namespace).resource(takeover).update();
                    return takeover.getSpec().getRenewTime().toInstant();
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw ConflictRetry.failure(client, "Lease " + namespace + "/" + name, "lock stack " + stack, e);
                }
                continue; // someone else took it over between our read and our write: look again
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new StackLockedException(stack, namespace + "/" + name, current.getSpec().getHolderIdentity(),
                        current.getSpec().getRenewTime(), Duration.ofSeconds(ttlSeconds(current)), wait);
            }
            Duration left = Duration.between(now, deadline);
            sleeper.sleep(poll.compareTo(left) < 0 ? poll : left);
            poll = poll.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : poll.multipliedBy(2);
        }
    }

    /** Renews the lease held by {@code holder}; returns the new renewal time. */
    public Instant renew(String namespace, String name, String holder, Duration ttl) {
        try {
            Lease current = client.leases().inNamespace(namespace).withName(name).get();
            if (current == null || !holder.equals(current.getSpec().getHolderIdentity())) {
                throw new IrsaException("lost the stack lock " + namespace + "/" + name + ": it is now held by "
                        + (current == null ? "nobody (deleted)" : current.getSpec().getHolderIdentity())
                        + " (this run did not renew it within its TTL of " + ttl.toSeconds() + " s)");
            }
            ZonedDateTime now = now();
            current.getSpec().setRenewTime(now);
            client.leases().inNamespace(namespace).resource(current).update();
            return now.toInstant();
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(client, "Lease " + namespace + "/" + name, "renew the stack lock", e);
        }
    }

    /** Deletes the lease if {@code holder} still holds it; a lease already gone or taken over is left alone. */
    public void release(String namespace, String name, String holder) {
        try {
            Lease current = client.leases().inNamespace(namespace).withName(name).get();
            if (current != null && holder.equals(current.getSpec().getHolderIdentity())) {
                client.leases().inNamespace(namespace).withName(name).delete();
            }
        } catch (KubernetesClientException e) {
            throw ConflictRetry.failure(client, "Lease " + namespace + "/" + name, "release the stack lock", e);
        }
    }

    private boolean expired(Lease lease) {
        ZonedDateTime renewed = lease.getSpec() == null ? null : lease.getSpec().getRenewTime();
        if (renewed == null) {
            return true;
        }
        return !renewed.toInstant().plusSeconds(ttlSeconds(lease)).isAfter(clock.instant());
    }

    private static long ttlSeconds(Lease lease) {
        return lease.getSpec() == null ? 0 : Objects.requireNonNullElse(lease.getSpec().getLeaseDurationSeconds(), 0);
    }

    private Lease fresh(String namespace, String name, String stack, String holder, Duration ttl, int transitions) {
        ZonedDateTime now = now();
        return new LeaseBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name)
                .withLabels(Map.of(IrsaMetadata.MANAGED_BY_LABEL, IrsaMetadata.MANAGED_BY_VALUE, IrsaMetadata.STACK_LABEL, stack))
                .endMetadata()
                .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds((int) Math.max(1, ttl.toSeconds()))
                .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(transitions).endSpec()
                .build();
    }

    private ZonedDateTime now() {
        // MicroTime: the API server keeps microseconds.
        return ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}

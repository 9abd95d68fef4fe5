package dev.irsa;

import dev.irsa.validation.Validators;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * How {@link Irsa} keeps two runs of one stack from interleaving: before {@code apply} or {@code destroy} it
 * takes the stack's lock, a Kubernetes Lease {@code irsa-lock-<stack>} in {@link #namespace()} (default
 * {@code default}), and releases it afterwards. A second run waits up to {@link #waitFor()} and then fails
 * with {@link dev.irsa.kubernetes.StackLockedException} without changing anything; a lease its holder stopped
 * renewing for {@link #ttl()} is taken over (the holder died). Without a Kubernetes executor there is no lock.
 *
 * <pre>{@code
 * Irsa irsa = Irsa.builder().aws(aws).kubernetes(kubernetes)
 *         .stackLock(l -> l.namespace("platform").waitFor(Duration.ofMinutes(2)))
 *         .build();
 * }</pre>
 *
 * The holder recorded in the Lease is {@code <holderPrefix>/<random>}, unique per acquisition; the prefix
 * defaults to {@code irsa@<host>:<pid>} so {@code kubectl get lease} shows who holds it.
 */
public final class StackLock {
    private final boolean enabled;
    private final String namespace;
    private final Duration ttl;
    private final Duration waitFor;
    private final String holderPrefix;

    private StackLock(Builder b) {
        this.enabled = b.enabled;
        this.namespace = Validators.namespace("stackLock.namespace", b.namespace);
        if (b.ttl == null || b.ttl.toSeconds() < 1) {
            throw new ValidationException("stackLock.ttl", String.valueOf(b.ttl), "at least 1 second");
        }
        if (b.waitFor == null || b.waitFor.isNegative()) {
            throw new ValidationException("stackLock.waitFor", String.valueOf(b.waitFor), "zero or positive");
        }
        this.ttl = b.ttl;
        this.waitFor = b.waitFor;
        this.holderPrefix = Validators.notBlank("stackLock.holderPrefix", b.holderPrefix);
    }

    /**
     * Lease in {@code default}, TTL 10 minutes, wait up to 11 minutes: the wait outlasts the TTL, so a lease
     * left by a run that crashed never blocks the next run, it is taken over.
     */
    public static StackLock defaults() {
        return builder().build();
    }

    /** No lock: concurrent runs of one stack are then only protected by the re-checks before creating. */
    public static StackLock disabled() {
        return builder().enabled(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static StackLock create(Consumer<Builder> lock) {
        Builder b = builder();
        lock.accept(b);
        return b.build();
    }

    public boolean enabled() {
        return enabled;
    }

    public String namespace() {
        return namespace;
    }

    public Duration ttl() {
        return ttl;
    }

    public Duration waitFor() {
        return waitFor;
    }

    public String holderPrefix() {
        return holderPrefix;
    }

    /** A holder identity for one acquisition. */
    String newHolder() {
        return holderPrefix + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public String toString() {
        return enabled ? "StackLock{lease in " + namespace + ", ttl=" + ttl + ", waitFor=" + waitFor + "}" : "StackLock{disabled}";
    }

    public static final class Builder {
        private boolean enabled = true;
        private String namespace = "default";
        private Duration ttl = Duration.ofMinutes(10);
        private Duration waitFor = Duration.ofMinutes(11);
        private String holderPrefix = defaultHolderPrefix();

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Where the Lease lives; the credentials need get/create/update/delete on leases there. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** How long a lease counts as held after its last renewal (irsa renews it before each change). */
        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        /** How long to wait for another run's lock before failing. */
        public Builder waitFor(Duration waitFor) {
            this.waitFor = waitFor;
            return this;
        }

        public Builder holderPrefix(String holderPrefix) {
            this.holderPrefix = holderPrefix;
            return this;
        }

        public StackLock build() {
            return new StackLock(this);
        }

        private static String defaultHolderPrefix() {
            // HOSTNAME is set in pods (the pod name) and most shells; no DNS lookup.
            String host = System.getenv().getOrDefault("HOSTNAME", System.getenv().getOrDefault("COMPUTERNAME", "unknown-host"));
            return "irsa@" + host + ":" + ProcessHandle.current().pid();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StackLock l && enabled == l.enabled && namespace.equals(l.namespace) && ttl.equals(l.ttl)
                && waitFor.equals(l.waitFor) && holderPrefix.equals(l.holderPrefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, namespace, ttl, waitFor, holderPrefix);
    }
}

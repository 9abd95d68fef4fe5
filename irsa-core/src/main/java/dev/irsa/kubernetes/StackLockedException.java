package dev.irsa.kubernetes;

import dev.irsa.IrsaException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Another run holds the stack's lock (its Lease is live) and did not release it within the wait. Nothing
 * was changed. Wait for that run, or, if it died, delete the Lease or let it expire.
 */
public class StackLockedException extends IrsaException {
    private static final long serialVersionUID = 1L;

    private final String stack;
    private final String lease;
    private final String holder;

    public StackLockedException(String stack, String lease, String holder, ZonedDateTime renewedAt, Duration ttl, Duration waited) {
        super("stack " + stack + " is locked by " + holder + " (Lease " + lease + ", renewed "
                + Optional.ofNullable(renewedAt).map(Object::toString).orElse("never") + ", expires " + ttl.toSeconds()
                + " s after its last renewal); waited " + waited.toSeconds() + " s. If that run is gone, delete the Lease "
                + "(kubectl delete lease -n " + lease.replace('/', ' ') + ") or wait for it to expire");
        this.stack = stack;
        this.lease = lease;
        this.holder = holder;
    }

    public String stack() {
        return stack;
    }

    /** {@code namespace/name} of the Lease. */
    public String lease() {
        return lease;
    }

    public String holder() {
        return holder;
    }
}

package dev.irsa.testing.aws;

import dev.irsa.Sleeper;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/** What every fake AWS client shares: a clock, call counting and fault injection on every call. */
abstract class FakeAwsService {
    protected final Clock clock;
    private final CallLog calls = new CallLog();
    private final FaultInjector faults;

    FakeAwsService(String service, Clock clock, Sleeper sleeper, FaultInjector.ErrorFactory errors) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.faults = new FaultInjector(service, sleeper, errors);
    }

    /** Faults to inject into the next calls. */
    public FaultInjector faults() {
        return faults;
    }

    /** Every call received, by AWS operation name. */
    public CallLog calls() {
        return calls;
    }

    /**
     * Serves one call: spends the injected latency, then counts it and applies faults before (not applied) and
     * after (applied, then timed out). The latency is spent outside the lock: a real service answers
     * concurrent requests in parallel, each after its own round trip; slept under the lock, 16 concurrent
     * calls would take 16 round trips (a fake slower than the service distorts every timing measured on it).
     */
    protected final <T> T invoke(String operation, Supplier<T> body) {
        faults.spendLatency();
        synchronized (this) {
            calls.record(operation);
            faults.beforeCall(operation);
            T result = body.get();
            faults.afterCall(operation);
            return result;
        }
    }

    /** Forgets every call, fault and resource, as if newly built (subclasses clear their state in {@link #clearState()}). */
    public final synchronized void reset() {
        calls.clear();
        faults.clear();
        clearState();
    }

    /** Clears this service's resources; called by {@link #reset()} while holding the lock. */
    protected abstract void clearState();

    public void close() {
        // nothing to release: all state is in memory
    }
}

package dev.irsa.testing.aws;

import dev.irsa.Sleeper;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Faults for every call of a fake AWS client: throttling, 5xx, latency, "fail at call k", and
 * "succeed then time out" (the service applied the call, the client sees a timeout). Operation names
 * are AWS's ({@code CreateRole}); {@code "*"} means any operation.
 *
 * <pre>{@code
 * iam.faults().throttle("CreateRole", 2);          // the next two CreateRole calls are throttled
 * iam.faults().serverError("*", 1);                // the next call of anything answers 500
 * iam.faults().failAtCall(7);                      // the 7th call (counted from now) answers 500
 * iam.faults().succeedThenTimeout("CreateRole");   // applied, but the caller gets a timeout
 * iam.faults().latency(Duration.ofMillis(300));    // every call "takes" 300 ms on the injected sleeper
 * }</pre>
 */
public final class FaultInjector {
    /** Makes the service's own exception type for an error code, status and message. */
    @FunctionalInterface
    public interface ErrorFactory {
        RuntimeException create(String errorCode, int statusCode, String message);
    }

    private final String service;
    private final Sleeper sleeper;
    private final ErrorFactory errors;
    private final List<Rule> before = new ArrayList<>();
    private final Map<String, Integer> timeoutsAfter = new LinkedHashMap<>();
    private final Map<Integer, Supplier<RuntimeException>> atCall = new LinkedHashMap<>();
    private Duration latency = Duration.ZERO;
    private int seen;
    private double throttleProbability;
    private java.util.Random throttleRandom;
    private int randomlyThrottled;

    FaultInjector(String service, Sleeper sleeper, ErrorFactory errors) {
        this.service = service;
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.errors = errors;
    }

    /** The next {@code times} calls of {@code operation} fail with AWS's throttling error (HTTP 400 Throttling, 429 on EKS). */
    public synchronized FaultInjector throttle(String operation, int times) {
        int status = "eks".equals(service) ? 429 : 400;
        String code = "eks".equals(service) ? "ThrottlingException" : "Throttling";
        return fail(operation, times, () -> errors.create(code, status, "Rate exceeded"));
    }

    /**
     * From now on every call is throttled with probability {@code probability} (0..1), drawn from a
     * {@link java.util.Random} seeded with {@code seed}, so the same seed throttles the same calls.
     */
    public synchronized FaultInjector throttle(double probability, long seed) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be between 0 and 1: " + probability);
        }
        this.throttleProbability = probability;
        this.throttleRandom = probability == 0 ? null : new java.util.Random(seed);
        return this;
    }

    /** How many calls {@link #throttle(double, long)} has throttled. */
    public synchronized int randomlyThrottled() {
        return randomlyThrottled;
    }

    /** The next {@code times} calls of {@code operation} fail with a 500 from the service. */
    public synchronized FaultInjector serverError(String operation, int times) {
        String code = "eks".equals(service) ? "ServerException" : "ServiceFailure";
        return fail(operation, times, () -> errors.create(code, 500, "Internal failure (injected)"));
    }

    /** The next {@code times} calls of {@code operation} fail with this error. */
    public synchronized FaultInjector fail(String operation, int times, Supplier<RuntimeException> error) {
        if (times > 0) {
            before.add(new Rule(operation, times, error));
        }
        return this;
    }

    /** The next {@code times} calls of {@code operation} fail with this AWS error code and status. */
    public synchronized FaultInjector fail(String operation, int times, String errorCode, int statusCode, String message) {
        return fail(operation, times, () -> errors.create(errorCode, statusCode, message));
    }

    /** The {@code k}-th call from now (1-based, any operation) fails with a 500 and is not applied. */
    public synchronized FaultInjector failAtCall(int k) {
        String code = "eks".equals(service) ? "ServerException" : "ServiceFailure";
        atCall.put(seen + k, () -> errors.create(code, 500, "Internal failure (injected at call " + k + ")"));
        return this;
    }

    /** The next call of {@code operation} is applied by the service, then the client sees a timeout. */
    public synchronized FaultInjector succeedThenTimeout(String operation) {
        timeoutsAfter.merge(operation, 1, Integer::sum);
        return this;
    }

    /** Every call waits this long on the injected sleeper before it is served. */
    public synchronized FaultInjector latency(Duration latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
        return this;
    }

    /** Removes every fault. */
    public synchronized void clear() {
        before.clear();
        timeoutsAfter.clear();
        atCall.clear();
        latency = Duration.ZERO;
        throttleProbability = 0;
        throttleRandom = null;
        randomlyThrottled = 0;
    }

    /** Sleeps the injected latency on the injected sleeper; holds no lock while sleeping, so calls overlap. */
    void spendLatency() {
        Duration wait;
        synchronized (this) {
            wait = latency;
        }
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
    }

    synchronized void beforeCall(String operation) {
        seen++;
        Supplier<RuntimeException> at = atCall.remove(seen);
        if (at != null) {
            throw at.get();
        }
        if (throttleRandom != null && throttleRandom.nextDouble() < throttleProbability) {
            randomlyThrottled++;
            boolean eks = "eks".equals(service);
            throw errors.create(eks ? "ThrottlingException" : "Throttling", eks ? 429 : 400, "Rate exceeded");
        }
        for (Iterator<Rule> it = before.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (r.matches(operation)) {
                if (--r.remaining <= 0) {
                    it.remove();
                }
                throw r.error.get();
            }
        }
    }

    synchronized void afterCall(String operation) {
        String key = timeoutsAfter.containsKey(operation) ? operation : timeoutsAfter.containsKey("*") ? "*" : null;
        if (key != null) {
            int left = timeoutsAfter.get(key) - 1;
            if (left <= 0) {
                timeoutsAfter.remove(key);
            } else {
                timeoutsAfter.put(key, left);
            }
            throw ApiCallAttemptTimeoutException.create("HTTP request to " + service + " " + operation
                    + " timed out (injected: the service applied the call)", null);
        }
    }

    private static final class Rule {
        final String operation;
        final Supplier<RuntimeException> error;
        int remaining;

        Rule(String operation, int times, Supplier<RuntimeException> error) {
            this.operation = operation;
            this.remaining = times;
            this.error = error;
        }

        boolean matches(String op) {
            return "*".equals(operation) || operation.equals(op);
        }
    }
}

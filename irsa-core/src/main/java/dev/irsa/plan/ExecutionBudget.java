package dev.irsa.plan;

import dev.irsa.IrsaException;
import dev.irsa.Sleeper;
import dev.irsa.plan.internal.TokenBucket;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * How much work the engine may do at once: at most {@code maxConcurrency} resource operations (an
 * observation or a change) in flight, and a {@link RateLimit} per service. One budget shared by a
 * {@link Planner} and an {@link Applier} (and by several stacks applied together) is one shared limit:
 * pass the same instance.
 *
 * <pre>{@code
 * ExecutionBudget budget = ExecutionBudget.create(b -> b
 *         .maxConcurrency(4)
 *         .rateLimit(Services.IAM, RateLimit.perSecond(10))
 *         .rateLimit(Services.GITLAB, RateLimit.perSecond(10)));
 * // Meter every IAM, STS and EKS request (each attempt, retries included) against the same budget:
 * AwsClients clients = AwsClients.builder().region("eu-west-1").budget(budget).build();
 * AwsExecutor aws = AwsExecutor.builder().iam(clients.iam()).sts(clients.sts()).eks(clients.eks()).build();
 * Planner planner = Planner.create(p -> p.budget(budget));
 * Applier applier = Applier.create(a -> a.budget(budget));
 * }</pre>
 *
 * <p><b>What a token pays for.</b> A resource operation may make several requests (a role's apply makes
 * CreateRole, PutRolePolicy, TagRole..., and retries them when throttled). A service is limited one of two
 * ways:
 * <ul>
 *   <li><i>per request</i>, once its clients are {@linkplain #meterRequests(String) metered}: every request
 *       attempt takes one token, so the limit holds for what the service actually receives. The engine then
 *       takes no token per operation for that service (no double counting).
 *   <li><i>per operation</i> otherwise: the engine takes one token per observation or change. This bounds
 *       operations, not requests: an operation that makes three requests spends one token.
 * </ul>
 * A {@link Builder#rateLimit rateLimit} is one bucket per service for reads and writes alike (IAM throttles
 * per account across all its APIs, so a read spends the same budget as a write); a
 * {@link Builder#writeRateLimit writeRateLimit} is a second bucket that only changing requests draw from
 * (e.g. "at most 10 IAM writes per second", reads unlimited). A service may have both. Under a {@code RateLimit} of {@code p} per {@code d}, any window
 * of length {@code T} sees at most {@code p + T * p / d} metered requests (20 in any second at 10/s).
 *
 * <p>A resource operation first takes a concurrency slot (held for the whole operation, whatever its number
 * of requests), then waits for its service's token when the service is limited per operation, so calls
 * start no faster than the limit even when slots free up in a burst. Tests inject a fake {@link Clock} and
 * a {@link Sleeper} that advances it, so rate limiting runs instantly and deterministically.
 */
public final class ExecutionBudget {
    private final int maxConcurrency;
    private final Map<String, RateLimit> rateLimits;
    private final Map<String, RateLimit> writeRateLimits;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Semaphore slots;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> writeBuckets = new ConcurrentHashMap<>();
    private final Set<String> metered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadNumber = new AtomicInteger();

    private ExecutionBudget(Builder builder) {
        this.maxConcurrency = builder.maxConcurrency;
        this.rateLimits = Map.copyOf(builder.rateLimits);
        this.writeRateLimits = Map.copyOf(builder.writeRateLimits);
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.slots = new Semaphore(maxConcurrency, true);
    }

    /** 4 concurrent calls, no rate limits, the system clock, real sleeping. */
    public static ExecutionBudget defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ExecutionBudget create(Consumer<Builder> budget) {
        Builder builder = builder();
        budget.accept(builder);
        return builder.build();
    }

    public int maxConcurrency() {
        return maxConcurrency;
    }

    public Map<String, RateLimit> rateLimits() {
        return rateLimits;
    }

    /** The limits on changing requests only ({@link Builder#writeRateLimit}). */
    public Map<String, RateLimit> writeRateLimits() {
        return writeRateLimits;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Limits {@code service} per request from now on: the returned meter takes one token of the service's
     * {@link RateLimit} per {@link RequestMeter#beforeRequest()}, and the engine stops taking a token per
     * resource operation for it. Call it for a service only when every request its resources make goes
     * through the meter ({@code AwsClients.builder().budget(budget)} does this for IAM, STS and EKS); a
     * request that bypasses it is not limited at all. Calling it again for the same service returns a meter
     * on the same bucket. A service without a rate limit gets a meter that never waits.
     */
    public RequestMeter meterRequests(String service) {
        Objects.requireNonNull(service, "service");
        metered.add(service);
        return new RequestMeter(this, service);
    }

    /** The services limited per request ({@link #meterRequests}); every other limited service is limited per operation. */
    public Set<String> meteredServices() {
        return Set.copyOf(metered);
    }

    /**
     * Waits for a free slot, then for the service's rate limit unless its requests are metered. Pair with
     * {@link #release()}.
     */
    void acquire(String service, boolean changing) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IrsaException("interrupted while waiting for a free slot", e);
        }
        try {
            if (!metered.contains(service)) {
                takeToken(service, changing);
            }
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    /** One token of the service's rate limit, and of its write limit when the request changes something. */
    private void takeToken(String service, boolean changing) {
        RateLimit limit = rateLimits.get(service);
        if (limit != null) {
            buckets.computeIfAbsent(service, s -> new TokenBucket(limit.permits(), limit.per(), clock, sleeper))
                    .acquire();
        }
        RateLimit writeLimit = changing ? writeRateLimits.get(service) : null;
        if (writeLimit != null) {
            writeBuckets.computeIfAbsent(service, s -> new TokenBucket(writeLimit.permits(), writeLimit.per(), clock, sleeper))
                    .acquire();
        }
    }

    Sleeper sleeper() {
        return sleeper;
    }

    void release() {
        slots.release();
    }

    /**
     * A pool for one planning or applying run of {@code tasks} operations: as many threads as the concurrency
     * allows and the run can use (a stack of 4 resources needs no 16 threads), the slots enforce the shared limit.
     */
    ExecutorService newPool(String purpose, int tasks) {
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "irsa-" + purpose + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newFixedThreadPool(Math.max(1, Math.min(maxConcurrency, tasks)), factory);
    }

    @Override
    public String toString() {
        return "ExecutionBudget{maxConcurrency=" + maxConcurrency + ", rateLimits=" + new TreeMap<>(rateLimits)
                + (writeRateLimits.isEmpty() ? "" : ", writeRateLimits=" + new TreeMap<>(writeRateLimits))
                + ", meteredPerRequest=" + new TreeSet<>(metered) + "}";
    }

    /**
     * Takes one rate-limit token per request to one service; obtained from {@link #meterRequests(String)}.
     * Client plumbing calls {@link #beforeRequest()} once per request attempt (an AWS SDK
     * {@code ExecutionInterceptor#beforeTransmission}, a proxy around a client...). Thread-safe. It takes no
     * concurrency slot: the resource operation making the request already holds one.
     */
    public static final class RequestMeter {
        private final ExecutionBudget budget;
        private final String service;

        private RequestMeter(ExecutionBudget budget, String service) {
            this.budget = budget;
            this.service = service;
        }

        public String service() {
            return service;
        }

        /**
         * Waits, with the budget's {@link Sleeper}, until the service's rate limits let one more request start:
         * its limit on all requests, and for a {@code changing} request also its write limit.
         */
        public void beforeRequest(boolean changing) {
            budget.takeToken(service, changing);
        }

        /** A request whose kind is unknown: counted as changing, so a write limit is never exceeded. */
        public void beforeRequest() {
            beforeRequest(true);
        }

        @Override
        public String toString() {
            return "RequestMeter{" + service + ", " + budget.rateLimits.get(service)
                    + (budget.writeRateLimits.containsKey(service) ? ", writes " + budget.writeRateLimits.get(service) : "") + "}";
        }
    }

    public static final class Builder {
        private int maxConcurrency = 4;
        private final Map<String, RateLimit> rateLimits = new TreeMap<>();
        private final Map<String, RateLimit> writeRateLimits = new TreeMap<>();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder() {
        }

        /** At most this many remote calls at once (observations, changes); at least 1. */
        public Builder maxConcurrency(int maxConcurrency) {
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("maxConcurrency must be at least 1: " + maxConcurrency);
            }
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        /**
         * Limits one {@linkplain Resource#service() service}: per resource operation, or per request once its
         * clients are {@linkplain ExecutionBudget#meterRequests(String) metered}.
         */
        public Builder rateLimit(String service, RateLimit limit) {
            rateLimits.put(Objects.requireNonNull(service, "service"), Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /**
         * Limits only what changes something in {@code service}, on top of any {@link #rateLimit} on all its
         * calls: per request when metered (an AWS operation other than {@code Get*}, {@code List*},
         * {@code Describe*}), else per operation (a resource's apply or delete; observations are free).
         */
        public Builder writeRateLimit(String service, RateLimit limit) {
            writeRateLimits.put(Objects.requireNonNull(service, "service"), Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /** The clock for rate limits and progress timings. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How to wait for a rate limit's next token. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        public ExecutionBudget build() {
            return new ExecutionBudget(this);
        }
    }
}

package dev.irsa.plan;

import dev.irsa.IrsaException;
import dev.irsa.Sleeper;
import dev.irsa.plan.internal.TokenBucket;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * How much work the engine may do at once: at most {@code maxConcurrency} remote calls in flight and a
 * {@link RateLimit} per service. One budget shared by a {@link Planner} and an {@link Applier} (and by
 * several stacks applied together) is one shared limit: pass the same instance.
 *
 * <pre>{@code
 * ExecutionBudget budget = ExecutionBudget.create(b -> b
 *         .maxConcurrency(4)
 *         .rateLimit("iam", RateLimit.perSecond(5))
 *         .rateLimit("gitlab", RateLimit.perSecond(10)));
 * Planner planner = Planner.create(p -> p.budget(budget));
 * Applier applier = Applier.create(a -> a.budget(budget));
 * }</pre>
 *
 * A call first takes a concurrency slot, then waits for its service's token, so calls start no faster
 * than the limit even when slots free up in a burst. Tests inject a fake {@link Clock} and a
 * {@link Sleeper} that advances it, so rate limiting runs instantly and deterministically.
 */
public final class ExecutionBudget {
    private final int maxConcurrency;
    private final Map<String, RateLimit> rateLimits;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Semaphore slots;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger threadNumber = new AtomicInteger();

    private ExecutionBudget(Builder builder) {
        this.maxConcurrency = builder.maxConcurrency;
        this.rateLimits = Map.copyOf(builder.rateLimits);
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

    public Clock clock() {
        return clock;
    }

    /** Waits for a free slot, then for the service's rate limit. Pair with {@link #release()}. */
    void acquire(String service) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IrsaException("interrupted while waiting for a free slot", e);
        }
        try {
            RateLimit limit = rateLimits.get(service);
            if (limit != null) {
                buckets.computeIfAbsent(service, s -> new TokenBucket(limit.permits(), limit.per(), clock, sleeper))
                        .acquire();
            }
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    Sleeper sleeper() {
        return sleeper;
    }

    void release() {
        slots.release();
    }

    /** A pool for one planning or applying run; its size is the concurrency, the slots enforce the shared limit. */
    ExecutorService newPool(String purpose) {
        ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "irsa-" + purpose + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newFixedThreadPool(maxConcurrency, factory);
    }

    @Override
    public String toString() {
        return "ExecutionBudget{maxConcurrency=" + maxConcurrency + ", rateLimits=" + new TreeMap<>(rateLimits) + "}";
    }

    public static final class Builder {
        private int maxConcurrency = 4;
        private final Map<String, RateLimit> rateLimits = new TreeMap<>();
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

        /** Limits calls to one {@linkplain Resource#service() service}. */
        public Builder rateLimit(String service, RateLimit limit) {
            rateLimits.put(Objects.requireNonNull(service, "service"), Objects.requireNonNull(limit, "limit"));
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

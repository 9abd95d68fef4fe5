package dev.irsa.plan.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Ready work by service, for one scheduler thread (not thread-safe): {@link #next()} takes the oldest item of
 * the service with the fewest items running, so a service whose work waits (for its rate limit, or because it
 * is slow) never holds every slot while other services have work ready.
 *
 * @param <T> the work item
 */
public final class ServiceQueues<T> {
    private record Ready<T>(long sequence, String service, T item) {
    }

    private final Map<String, ArrayDeque<Ready<T>>> ready = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private long sequence;
    private int size;

    /** {@code item} of {@code service} is ready to run. */
    public void add(String service, T item) {
        ready.computeIfAbsent(service, s -> new ArrayDeque<>()).addLast(new Ready<>(sequence++, service, item));
        size++;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Removes and returns the oldest ready item of the service with the fewest items running (ties: the oldest
     * item), counting it as running until {@link #finished(String)}; null when nothing is ready.
     */
    public T next() {
        ArrayDeque<Ready<T>> best = null;
        int bestRunning = Integer.MAX_VALUE;
        for (Map.Entry<String, ArrayDeque<Ready<T>>> entry : ready.entrySet()) {
            ArrayDeque<Ready<T>> queue = entry.getValue();
            if (queue.isEmpty()) {
                continue;
            }
            int busy = running.getOrDefault(entry.getKey(), 0);
            if (best == null || busy < bestRunning
                    || (busy == bestRunning && queue.peekFirst().sequence() < best.peekFirst().sequence())) {
                best = queue;
                bestRunning = busy;
            }
        }
        if (best == null) {
            return null;
        }
        Ready<T> next = best.pollFirst();
        size--;
        running.merge(next.service(), 1, Integer::sum);
        return next.item();
    }

    /** An item of {@code service} handed out by {@link #next()} has finished. */
    public void finished(String service) {
        running.merge(service, -1, Integer::sum);
    }
}

package dev.irsa.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny in-memory "cloud" for engine tests: objects by key, each with text fields, an owner stack (null
 * for objects irsa does not own) and a generated ARN. Counts every read and every changing call.
 */
final class ToyCloud {
    record ToyObject(Map<String, String> fields, String ownerStack, String arn) {
    }

    private final Map<String, ToyObject> objects = new ConcurrentHashMap<>();
    private final List<String> changeLog = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> remainingFailures = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private volatile Runnable onRead = () -> { };

    ToyObject read(String key) {
        reads.incrementAndGet();
        enter();
        try {
            onRead.run();
            return objects.get(key);
        } finally {
            leave();
        }
    }

    /** Runs inside every read, between entering and leaving the cloud. */
    void onRead(Runnable hook) {
        this.onRead = hook;
    }

    String create(String key, Map<String, String> fields, String stack) {
        String arn = "arn:toy:" + key + ":" + sequence.incrementAndGet();
        change("create " + key, key);
        objects.put(key, new ToyObject(Map.copyOf(fields), stack, arn));
        return arn;
    }

    String update(String key, Map<String, String> fields, String stack) {
        change("update " + key, key);
        ToyObject old = objects.get(key);
        objects.put(key, new ToyObject(Map.copyOf(fields), stack, old.arn()));
        return old.arn();
    }

    void delete(String key) {
        change("delete " + key, key);
        objects.remove(key);
    }

    /** Someone outside irsa puts or edits an object. */
    void putOutOfBand(String key, Map<String, String> fields, String ownerStack) {
        ToyObject old = objects.get(key);
        objects.put(key, new ToyObject(Map.copyOf(fields), ownerStack,
                old == null ? "arn:toy:" + key + ":manual" : old.arn()));
    }

    /** The next changing calls on {@code key} fail until {@link #heal}. */
    void breakKey(String key, RuntimeException error) {
        failing.add(key);
        failures.put(key, error);
    }

    void heal(String key) {
        failing.remove(key);
    }

    /** The next {@code times} changing calls on {@code key} fail, then it works again. */
    void failTimes(String key, int times, RuntimeException error) {
        remainingFailures.put(key, new AtomicInteger(times));
        failures.put(key, error);
    }

    private synchronized void change(String entry, String key) {
        AtomicInteger remaining = remainingFailures.get(key);
        if (failing.contains(key) || (remaining != null && remaining.getAndDecrement() > 0)) {
            changeLog.add("FAILED " + entry);
            throw failures.get(key);
        }
        changeLog.add(entry);
    }

    synchronized List<String> changeLog() {
        return List.copyOf(changeLog);
    }

    /** Creates, updates and deletes made (including failed attempts). */
    synchronized int changingCalls() {
        return changeLog.size();
    }

    synchronized void clearLog() {
        changeLog.clear();
    }

    int reads() {
        return reads.get();
    }

    ToyObject get(String key) {
        return objects.get(key);
    }

    boolean contains(String key) {
        return objects.containsKey(key);
    }

    void enter() {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
    }

    void leave() {
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }
}

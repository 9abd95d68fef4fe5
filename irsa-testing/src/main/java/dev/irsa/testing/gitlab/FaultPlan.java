package dev.irsa.testing.gitlab;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** The faults a test asked for ({@link FakeGitLab#failNext}, {@link FakeGitLab#throttle}...), consulted once per call. */
final class FaultPlan {
    /** A fault status meaning: carry the call out, then answer nothing. */
    static final int DROP_RESPONSE = -1;

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private double throttleProbability;
    private Random throttleRandom;

    record Fault(String method, Pattern path, int onCall, int status, int retryAfterSeconds, AtomicInteger remaining) {
        boolean matches(int call, String m, String p) {
            if (onCall > 0) {
                return call == onCall;
            }
            return (method == null || method.equals(m)) && (path == null || path.matcher(p).matches());
        }

        boolean dropsResponse() {
            return status == DROP_RESPONSE;
        }

        /** What GitLab (or a proxy before it) answers: 429 with {@code Retry-After}, else {@code "<status> <reason>"}. */
        ApiResponse response() {
            Map<String, String> headers = status == 429 ? Map.of("Retry-After", String.valueOf(retryAfterSeconds)) : Map.of();
            return new ApiResponse(status, ApiError.message(status == 429 ? "Retry later" : status + " " + reason(status)), headers);
        }
    }

    void add(String method, String pathRegex, int onCall, int status, int retryAfterSeconds, int times) {
        faults.add(new Fault(method, pathRegex == null ? null : Pattern.compile(pathRegex), onCall, status, retryAfterSeconds,
                new AtomicInteger(times)));
    }

    synchronized void throttle(double probability, long seed) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be between 0 and 1: " + probability);
        }
        throttleProbability = probability;
        throttleRandom = probability == 0 ? null : new Random(seed);
    }

    synchronized void clear() {
        faults.clear();
        throttleProbability = 0;
        throttleRandom = null;
    }

    /** The fault that strikes call {@code number}, if any (used up by this call). */
    Fault strike(int number, String method, String path) {
        for (Fault f : faults) {
            if (f.matches(number, method, path) && f.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (f.remaining().get() == 0) {
                    faults.remove(f);
                }
                return f;
            }
        }
        synchronized (this) {
            if (throttleRandom != null && throttleRandom.nextDouble() < throttleProbability) {
                return new Fault(null, null, 0, 429, 1, new AtomicInteger(0));
            }
        }
        return null;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 422 -> "Unprocessable Entity";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}

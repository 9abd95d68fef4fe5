package dev.irsa.examples.bench;

import dev.irsa.plan.ExecutionBudget;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Records when each AWS call starts and ends (System.nanoTime), by wrapping an SDK client interface (the
 * fakes implement them). The fakes' own call logs have no timestamps; these do, so a run can prove the
 * rate it kept and measure its critical path.
 */
final class CallTrace {
    private static final Set<String> READ_PREFIXES = Set.of("get", "list", "describe");

    /** One call: service, operation (SDK method name), start/end nanos, and whether it changes state. */
    record Call(String service, String operation, long startNanos, long endNanos, boolean changing) {
    }

    private final List<Call> calls = new ArrayList<>();

    /** A client of type {@code type} that forwards to {@code target} and records every request/response call. */
    <T> T wrap(Class<T> type, T target, String service) {
        return wrap(type, target, service, null);
    }

    /**
     * As {@link #wrap(Class, Object, String)}, and every request first takes a token from {@code meter} (if not
     * null), as an SDK client built by {@code AwsClients.builder().budget(budget)} does in
     * {@code beforeTransmission}; the recorded start is after the token, when the request goes out.
     *
     * <p>One request = one call of a method taking an {@link SdkRequest}. The SDK interface's other default
     * methods (the {@code Consumer<Builder>} overloads, the paginators) run on the proxy, so the requests they
     * make (one per page) come back through it and are each recorded and metered once.
     */
    <T> T wrap(Class<T> type, T target, String service, ExecutionBudget.RequestMeter meter) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            boolean request = args != null && args.length == 1 && args[0] instanceof SdkRequest
                    && SdkResponse.class.isAssignableFrom(method.getReturnType());
            if (!request && method.isDefault()) {
                return InvocationHandler.invokeDefault(p, method, args);
            }
            if (request && meter != null) {
                meter.beforeRequest(READ_PREFIXES.stream().noneMatch(method.getName()::startsWith));
            }
            long start = System.nanoTime();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (request) {
                    String op = method.getName();
                    boolean changing = READ_PREFIXES.stream().noneMatch(op::startsWith);
                    synchronized (calls) {
                        calls.add(new Call(service, op, start, System.nanoTime(), changing));
                    }
                }
            }
        });
        return type.cast(proxy);
    }

    List<Call> calls() {
        synchronized (calls) {
            return calls.stream().sorted(Comparator.comparingLong(Call::startNanos)).toList();
        }
    }

    List<Call> calls(String service, boolean changingOnly) {
        return calls().stream().filter(c -> c.service().equals(service) && (!changingOnly || c.changing())).toList();
    }

    void clear() {
        synchronized (calls) {
            calls.clear();
        }
    }

    /** The most calls that started within any window of {@code windowNanos} (sliding, inclusive). */
    static int maxInWindow(List<Call> calls, long windowNanos) {
        int best = 0;
        int lo = 0;
        for (int hi = 0; hi < calls.size(); hi++) {
            while (calls.get(hi).startNanos() - calls.get(lo).startNanos() > windowNanos) {
                lo++;
            }
            best = Math.max(best, hi - lo + 1);
        }
        return best;
    }

    /**
     * The longest chain of calls that did not overlap in time (one after another): with every independent
     * call in parallel, a run still needs this many round trips.
     */
    static int longestSequentialChain(List<Call> calls) {
        List<Call> byEnd = calls.stream().sorted(Comparator.comparingLong(Call::endNanos)).toList();
        int chain = 0;
        long lastEnd = Long.MIN_VALUE;
        for (Call c : byEnd) {
            if (c.startNanos() >= lastEnd) {
                chain++;
                lastEnd = c.endNanos();
            }
        }
        return chain;
    }
}

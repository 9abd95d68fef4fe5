package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.binding.RoleBinding;
import dev.irsa.plan.ApplyResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Crash at every call: for the walkthrough binding (OIDC provider, role with the seed admin policy, namespace
 * dev, SA app-deployer), every remote call k of a clean apply (and of a clean destroy) is made to fail; then
 * the same operation is re-run without the fault and the world must equal the world of a clean run: same
 * roles/trust/policies/tags, providers, namespaces, SAs (annotations, labels), secrets; no duplicates, nothing
 * orphaned, and a following plan shows no changes. irsa's own retries are off, so every injected fault reaches
 * the plan. Faults are either an error before the service applied the call, or (AWS calls) a timeout after the
 * service applied it.
 */
class CrashAtEveryCallTest {
    private final RoleBinding binding = Sandbox.walkthrough();

    private record Scenario(String kind, String service, int call, String operation) {
        @Override
        public String toString() {
            return kind + " at " + service + " call " + call + " (" + operation + ")";
        }
    }

    @Test
    void applyConvergesAfterACrashAtEveryCall() {
        Map<String, String> expected;
        List<String> calls;
        try (Sandbox clean = new Sandbox(false)) {
            clean.apply(binding).orThrow();
            expected = clean.snapshot();
            calls = clean.faults.log();
            assertThat(clean.plan(binding).hasChanges()).isFalse();
        }
        assertThat(expected).containsKeys("iam.role/eks-cluster-role", "k8s.serviceaccount/dev/app-deployer", "k8s.namespace/dev");

        List<Scenario> scenarios = scenarios(calls, true);
        List<String> diverged = new ArrayList<>();
        int surfaced = 0;
        for (Scenario s : scenarios) {
            try (Sandbox sb = new Sandbox(false)) {
                inject(sb, s);
                boolean failed;
                try {
                    failed = !sb.apply(binding).succeeded();
                } catch (RuntimeException e) {
                    failed = true;
                }
                surfaced += failed ? 1 : 0;
                sb.faults.disarm();
                String why = converge(sb, () -> sb.apply(binding), expected);
                if (why != null) {
                    diverged.add(s + ": " + why);
                }
            }
        }
        report("apply", calls, scenarios, surfaced, diverged);
        assertThat(diverged).as("scenarios that did not converge").isEmpty();
    }

    @Test
    void destroyConvergesAfterACrashAtEveryCall() {
        Map<String, String> empty;
        List<String> calls;
        try (Sandbox clean = new Sandbox(false)) {
            empty = clean.snapshot();
            clean.apply(binding).orThrow();
            clean.faults.reset();
            clean.destroy(binding).orThrow();
            calls = clean.faults.log();
            assertThat(clean.snapshot()).isEqualTo(empty);
        }
        List<Scenario> scenarios = scenarios(calls, true);
        List<String> diverged = new ArrayList<>();
        int surfaced = 0;
        for (Scenario s : scenarios) {
            try (Sandbox sb = new Sandbox(false)) {
                sb.apply(binding).orThrow();
                sb.faults.reset();
                inject(sb, s);
                boolean failed;
                try {
                    failed = !sb.destroy(binding).succeeded();
                } catch (RuntimeException e) {
                    failed = true;
                }
                surfaced += failed ? 1 : 0;
                sb.faults.disarm();
                String why = converge(sb, () -> sb.destroy(binding), empty);
                if (why != null) {
                    diverged.add(s + ": " + why);
                }
            }
        }
        report("destroy", calls, scenarios, surfaced, diverged);
        assertThat(diverged).as("scenarios that did not converge").isEmpty();
    }

    /** One crash scenario per call; plus one timeout-after-success scenario per AWS call. */
    static List<Scenario> scenarios(List<String> calls, boolean timeouts) {
        List<Scenario> out = new ArrayList<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        List<Scenario> timeoutScenarios = new ArrayList<>();
        for (String call : calls) {
            String service = call.substring(0, call.indexOf(' '));
            String op = call.substring(call.indexOf(' ') + 1);
            int j = seen.merge(service, 1, Integer::sum);
            out.add(new Scenario("crash", service, j, op));
            if (timeouts && !service.equals(Faults.KUBERNETES)) {
                timeoutScenarios.add(new Scenario("timeout-after-success", service, j, op));
            }
        }
        out.addAll(timeoutScenarios);
        return out;
    }

    static void inject(Sandbox sb, Scenario s) {
        if (s.kind().equals("crash")) {
            sb.faults.crashAt(s.service(), s.call());
        } else {
            sb.faults.timeoutAfterSuccessAt(s.service(), s.call());
        }
    }

    /** Runs the operation again without faults; null when the world equals {@code expected}, else why not. */
    private String converge(Sandbox sb, java.util.function.Supplier<ApplyResult> again, Map<String, String> expected) {
        ApplyResult second;
        try {
            second = again.get();
        } catch (RuntimeException e) {
            return "re-run threw " + e;
        }
        if (!second.succeeded()) {
            return "re-run failed: " + second.summary() + " " + second.firstFailure().map(Throwable::getMessage).orElse("");
        }
        Map<String, String> actual = sb.snapshot();
        if (!actual.equals(expected)) {
            Map<String, String> diff = new java.util.TreeMap<>();
            BiConsumer<String, String> d = (k, v) -> diff.put(k, v);
            actual.forEach((k, v) -> { if (!v.equals(expected.get(k))) d.accept(k, "is " + v + " want " + expected.get(k)); });
            expected.forEach((k, v) -> { if (!actual.containsKey(k)) d.accept(k, "missing"); });
            String text = "state differs: " + diff;
            return text.length() > 600 ? text.substring(0, 600) + "..." : text;
        }
        return null;
    }

    private static void report(String what, List<String> calls, List<Scenario> scenarios, int surfaced, List<String> diverged) {
        long crashes = scenarios.stream().filter(s -> s.kind().equals("crash")).count();
        System.out.printf("[reliability] crash-at-every-call %s: K=%d remote calls %s; %d scenarios (%d crash, %d timeout-after-success), "
                        + "%d failed the first run, %d of %d converged on re-run%n",
                what, calls.size(), countsOf(calls), scenarios.size(), crashes, scenarios.size() - crashes, surfaced,
                scenarios.size() - diverged.size(), scenarios.size());
        diverged.forEach(d -> System.out.println("[reliability]   DIVERGED " + d));
    }

    private static Map<String, Long> countsOf(List<String> calls) {
        return calls.stream().collect(java.util.stream.Collectors.groupingBy(c -> c.substring(0, c.indexOf(' ')),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }
}

package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.plan.ApplyResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Crash at every call. For the walkthrough (OIDC provider, role with the seed admin policy, namespace dev,
 * SA app-deployer; and for the whole stack also the GitLab runner, its token Secret, the Helm release and the
 * pipeline file), every remote call k of a clean apply (and of a clean destroy) is made to fail; then the same
 * operation is re-run without the fault and the world must equal the world of a clean run: same
 * roles/trust/policies/tags, providers, namespaces, SAs (annotations, labels), Secrets (the token of the one
 * live runner), runners, releases, files; no duplicates, nothing orphaned. irsa's own retries are off, so every
 * injected fault reaches the plan. Faults: an error before the service applied the call, and a timeout after the
 * service applied it (every service: AWS and Helm calls are carried out and then fail; a GitLab call is carried
 * out and its connection closed without an answer; a Kubernetes request is sent to the API server through an
 * uninstrumented client and the executor's request then fails).
 */
class CrashAtEveryCallTest {

    record Scenario(String kind, String service, int call, String operation) {
        @Override
        public String toString() {
            return kind + " at " + service + " call " + call + " (" + operation + ")";
        }
    }

    @Test
    void bindingApplyConvergesAfterACrashAtEveryCall() {
        run("binding apply", sb -> { }, sb -> sb.apply(Sandbox.walkthrough()), false);
    }

    @Test
    void bindingDestroyConvergesAfterACrashAtEveryCall() {
        run("binding destroy", sb -> sb.apply(Sandbox.walkthrough()).orThrow(), sb -> sb.destroy(Sandbox.walkthrough()), true);
    }

    @Test
    void stackApplyConvergesAfterACrashAtEveryCall() {
        run("stack apply", sb -> { }, sb -> sb.apply(sb.stack()), false);
    }

    @Test
    void stackDestroyConvergesAfterACrashAtEveryCall() {
        run("stack destroy", sb -> sb.apply(sb.stack()).orThrow(), sb -> sb.destroy(sb.stack()), true);
    }

    /**
     * With irsa's retries on (the default), a timeout after AWS already applied a changing call is retried
     * within the same apply: the retry must see "already exists"/"already done" as success, so the one apply
     * succeeds and leaves exactly a clean apply's world.
     */
    @Test
    void stackApplyWithRetriesRidesOutATimeoutAfterEveryChangingAwsCall() {
        Map<String, String> expected;
        List<String> calls;
        try (Sandbox clean = new Sandbox(true)) {
            clean.apply(clean.stack()).orThrow();
            expected = clean.snapshot();
            calls = clean.faults.log();
        }
        List<Scenario> scenarios = scenarios(calls).stream().filter(s -> s.kind().equals("timeout-after-success")
                && List.of(Faults.IAM, Faults.STS, Faults.EKS).contains(s.service())).toList();
        List<String> diverged = new ArrayList<>();
        for (Scenario s : scenarios) {
            try (Sandbox sb = new Sandbox(true)) {
                inject(sb, s);
                ApplyResult first;
                try {
                    first = sb.apply(sb.stack());
                } catch (RuntimeException e) {
                    diverged.add(s + ": threw " + e);
                    continue;
                }
                if (!first.succeeded()) {
                    diverged.add(s + ": " + first.summary() + " " + first.firstFailure().map(Throwable::getMessage).orElse(""));
                } else if (!sb.snapshot().equals(expected)) {
                    diverged.add(s + ": state differs from a clean apply");
                }
            }
        }
        System.out.printf("[reliability] timeout-after-success with retries on: %d of %d AWS calls of the stack apply ridden out "
                + "within the same apply%n", scenarios.size() - diverged.size(), scenarios.size());
        diverged.forEach(d -> System.out.println("[reliability]   NOT IN ONE RUN " + d));
        assertThat(diverged).isEmpty();
    }

    /**
     * {@code setup} runs fault-free; then {@code operation} runs once cleanly (to count its calls K and record
     * the expected world), and once per scenario with the fault, followed by a fault-free re-run.
     */
    private void run(String what, Consumer<Sandbox> setup, Function<Sandbox, ApplyResult> operation, boolean expectEmpty) {
        Map<String, String> expected;
        List<String> calls = new ArrayList<>();
        try (Sandbox clean = new Sandbox(false)) {
            Map<String, String> empty = clean.snapshot();
            setup.accept(clean);
            clean.faults.reset();
            int gitlabBefore = clean.gitlab.calls().size();
            operation.apply(clean).orThrow();
            expected = clean.snapshot();
            calls.addAll(clean.faults.log());
            calls.addAll(clean.gitlabCalls().subList(gitlabBefore, clean.gitlab.calls().size()));
            if (expectEmpty) {
                assertThat(expected).as("a clean destroy leaves the world as it was").isEqualTo(empty);
            } else {
                assertThat(expected).containsKeys("iam.role/eks-cluster-role", "k8s.serviceaccount/dev/app-deployer");
            }
        }
        List<Scenario> scenarios = scenarios(calls);
        List<String> diverged = new ArrayList<>();
        int surfaced = 0;
        for (Scenario s : scenarios) {
            try (Sandbox sb = new Sandbox(false)) {
                setup.accept(sb);
                sb.faults.reset();
                inject(sb, s);
                boolean failed;
                try {
                    failed = !operation.apply(sb).succeeded();
                } catch (RuntimeException e) {
                    failed = true;
                }
                surfaced += failed ? 1 : 0;
                sb.faults.disarm();
                sb.gitlab.clearFaults();
                String why = converge(sb, () -> operation.apply(sb), expected);
                if (why != null) {
                    diverged.add(s + ": " + why);
                }
            }
        }
        long crashes = scenarios.stream().filter(s -> s.kind().equals("crash")).count();
        System.out.printf("[reliability] crash-at-every-call %s: K=%d remote calls %s; %d scenarios (%d crash, %d timeout-after-success), "
                        + "%d failed the first run, %d of %d converged on re-run%n",
                what, calls.size(), countsOf(calls), scenarios.size(), crashes, scenarios.size() - crashes, surfaced,
                scenarios.size() - diverged.size(), scenarios.size());
        diverged.forEach(d -> System.out.println("[reliability]   DIVERGED " + d));
        assertThat(diverged).as("scenarios that did not converge (" + what + ")").isEmpty();
    }

    /** One crash scenario per call; plus one timeout-after-success scenario per AWS and Helm call. */
    static List<Scenario> scenarios(List<String> calls) {
        List<Scenario> out = new ArrayList<>();
        List<Scenario> timeouts = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String call : calls) {
            String service = call.substring(0, call.indexOf(' '));
            String op = call.substring(call.indexOf(' ') + 1);
            int j = seen.merge(service, 1, Integer::sum);
            out.add(new Scenario("crash", service, j, op));
            timeouts.add(new Scenario("timeout-after-success", service, j, op));
        }
        out.addAll(timeouts);
        return out;
    }

    static void inject(Sandbox sb, Scenario s) {
        if (s.service().equals("gitlab")) {
            if (s.kind().equals("crash")) {
                sb.gitlab.failCall(s.call(), 500);
            } else {
                sb.gitlab.dropResponseOfCall(s.call());
            }
        } else if (s.kind().equals("crash")) {
            sb.faults.crashAt(s.service(), s.call());
        } else {
            sb.faults.timeoutAfterSuccessAt(s.service(), s.call());
        }
    }

    /** Runs the operation again without faults; null when the world equals {@code expected}, else why not. */
    static String converge(Sandbox sb, java.util.function.Supplier<ApplyResult> again, Map<String, String> expected) {
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
            Map<String, String> diff = new TreeMap<>();
            actual.forEach((k, v) -> {
                if (!v.equals(expected.get(k))) {
                    diff.put(k, "is " + v + " want " + expected.get(k));
                }
            });
            expected.forEach((k, v) -> {
                if (!actual.containsKey(k)) {
                    diff.put(k, "missing");
                }
            });
            String text = "state differs: " + diff;
            return text.length() > 700 ? text.substring(0, 700) + "..." : text;
        }
        return null;
    }

    static Map<String, Long> countsOf(List<String> calls) {
        return calls.stream().collect(Collectors.groupingBy(c -> c.substring(0, c.indexOf(' ')), TreeMap::new, Collectors.counting()));
    }
}

package dev.irsa.examples.bench;

import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.RoleBinding;
import dev.irsa.plan.Applier;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;
import dev.irsa.plan.Resource;
import dev.irsa.examples.WalkthroughArtifacts;
import dev.irsa.testing.IrsaSandbox;
import dev.irsa.testing.SandboxCall;
import dev.irsa.testing.SandboxCalls;
import dev.irsa.testing.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the remote calls the walkthrough's stack makes on the sandbox fakes, by service and operation, for
 * a fresh apply, a no-op apply, a drift repair and a destroy. Each phase is plan (observe) + apply, as the
 * CLI runs it. Nothing is timed: the cost of a tool like this is its calls.
 */
public final class CallEfficiency {

    /** The calls of one phase. */
    public record PhaseCalls(String phase, int resources, List<SandboxCall> calls, String planSummary, String applySummary) {
        public int reads() {
            return (int) calls.stream().filter(c -> !c.changing()).count();
        }

        public int changing() {
            return (int) calls.stream().filter(SandboxCall::changing).count();
        }

        public int count(Service service) {
            return (int) calls.stream().filter(c -> c.service() == service).count();
        }

        /** "IAM GetRole" -> count, sorted. */
        public Map<String, Integer> byOperation() {
            Map<String, Integer> m = new TreeMap<>();
            calls.forEach(c -> m.merge(c.service() + " " + c.operation(), 1, Integer::sum));
            return m;
        }

        /** The no-op floor: zero changing calls and at most one read per resource. */
        public int readsOverFloor() {
            return Math.max(0, reads() - resources);
        }
    }

    private CallEfficiency() {
    }

    /** Runs the four phases on a fresh sandbox named like the walkthrough (account, region, cluster). */
    public static List<PhaseCalls> measure() {
        try (IrsaSandbox sandbox = IrsaSandbox.builder().region(WalkthroughArtifacts.REGION)
                .clusterName(WalkthroughArtifacts.CLUSTER).account(WalkthroughArtifacts.ACCOUNT).start()) {
            return measure(sandbox);
        }
    }

    public static List<PhaseCalls> measure(IrsaSandbox sandbox) {
        RoleBinding binding = BenchStacks.walkthrough(sandbox.clusterName(), sandbox.region());
        BindingBackends backends = BindingBackends.builder().aws(sandbox.awsExecutor()).kubernetes(sandbox.kubernetesExecutor())
                .sts(sandbox.sts()).sleeper(sandbox.sleeper()).clock(sandbox.clock()).build();
        List<PhaseCalls> phases = new ArrayList<>();
        phases.add(phase(sandbox, "fresh apply", binding, backends, false));
        phases.add(phase(sandbox, "no-op apply", binding, backends, false));

        // Drift made by someone else (not counted): the trust loses its audience condition, the SA its annotation.
        String trust = sandbox.iam().getRole(r -> r.roleName(WalkthroughArtifacts.ROLE)).role().assumeRolePolicyDocument();
        String drifted = java.net.URLDecoder.decode(trust, java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"sts.amazonaws.com\"", "\"sts.example.com\"");
        sandbox.iam().updateAssumeRolePolicy(r -> r.roleName(WalkthroughArtifacts.ROLE).policyDocument(drifted));
        sandbox.kubernetesClient().serviceAccounts().inNamespace(WalkthroughArtifacts.NAMESPACE)
                .withName(WalkthroughArtifacts.SERVICE_ACCOUNT)
                .edit(sa -> {
                    ServiceAccount copy = new io.fabric8.kubernetes.api.model.ServiceAccountBuilder(sa).build();
                    copy.getMetadata().getAnnotations().remove("eks.amazonaws.com/role-arn");
                    return copy;
                });
        phases.add(phase(sandbox, "drift repair", binding, backends, false));
        phases.add(phase(sandbox, "destroy", binding, backends, true));
        return phases;
    }

    private static PhaseCalls phase(IrsaSandbox sandbox, String name, RoleBinding binding, BindingBackends backends, boolean destroy) {
        Map<Service, Integer> before = sizes(sandbox.calls());
        List<Resource> resources = binding.resources(backends);
        Planner planner = Planner.create();
        Plan plan = destroy ? planner.destroyPlan(binding.name(), resources) : planner.plan(binding.name(), resources);
        ApplyResult result = Applier.create().apply(plan).orThrow();
        SandboxCalls after = sandbox.calls();
        List<SandboxCall> calls = new ArrayList<>();
        for (Service s : Service.values()) {
            List<SandboxCall> of = after.of(s);
            calls.addAll(of.subList(before.getOrDefault(s, 0), of.size()));
        }
        return new PhaseCalls(name, resources.size(), calls, plan.summary().toString(), result.summary());
    }

    private static Map<Service, Integer> sizes(SandboxCalls calls) {
        Map<Service, Integer> m = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            m.put(s, calls.of(s).size());
        }
        return m;
    }

    /** The table: one column per phase, one row per service+operation, then totals. */
    public static String table(List<PhaseCalls> phases) {
        Map<String, int[]> rows = new LinkedHashMap<>();
        TreeMap<String, Boolean> ops = new TreeMap<>();
        phases.forEach(p -> p.byOperation().keySet().forEach(k -> ops.put(k, true)));
        for (String op : ops.keySet()) {
            int[] row = new int[phases.size()];
            for (int i = 0; i < phases.size(); i++) {
                row[i] = phases.get(i).byOperation().getOrDefault(op, 0);
            }
            rows.put(op, row);
        }
        StringBuilder sb = new StringBuilder();
        String fmt = "%-48s" + "%14s".repeat(phases.size()) + "%n";
        sb.append(String.format(fmt, header(phases)));
        rows.forEach((op, row) -> sb.append(String.format(fmt, cells(op, row))));
        sb.append(String.format(fmt, cells("= reads", phases.stream().mapToInt(PhaseCalls::reads).toArray())));
        sb.append(String.format(fmt, cells("= changing calls", phases.stream().mapToInt(PhaseCalls::changing).toArray())));
        sb.append(String.format(fmt, cells("resources in the stack", phases.stream().mapToInt(PhaseCalls::resources).toArray())));
        return sb.toString();
    }

    private static Object[] header(List<PhaseCalls> phases) {
        Object[] h = new Object[phases.size() + 1];
        h[0] = "service operation";
        for (int i = 0; i < phases.size(); i++) {
            h[i + 1] = phases.get(i).phase();
        }
        return h;
    }

    private static Object[] cells(String label, int[] values) {
        Object[] c = new Object[values.length + 1];
        c[0] = label;
        for (int i = 0; i < values.length; i++) {
            c[i + 1] = values[i];
        }
        return c;
    }
}

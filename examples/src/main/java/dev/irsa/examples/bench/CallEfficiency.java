package dev.irsa.examples.bench;

import dev.irsa.gitlab.stack.RunnerStacks;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ExecutionBudget;
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
 * Counts the remote calls the walkthrough's stack (examples/stacks/seed.yaml: OIDC provider, role, namespace,
 * service account, GitLab runner, its token Secret, the Helm release, the pipeline file) makes on the sandbox fakes, by service and operation, for
 * a fresh apply, a no-op apply, a drift repair and a destroy. Each phase is plan (observe) + apply, as the
 * CLI runs it. Nothing is timed: the cost of a tool like this is its calls.
 */
public final class CallEfficiency {

    /** The calls of one phase. */
    public record PhaseCalls(String phase, int resources, List<SandboxCall> calls, String summary) {
        /** Reads of the stack's resources (the stack lock's calls are counted apart). */
        public int reads() {
            return (int) calls.stream().filter(c -> !c.changing() && !c.stackLock()).count();
        }

        /** Changing calls to the stack's resources (the stack lock's calls are counted apart). */
        public int changing() {
            return (int) calls.stream().filter(c -> c.changing() && !c.stackLock()).count();
        }

        /** The stack lock's calls: create, read and delete of the Lease irsa-lock-<stack> (see Irsa's StackLock). */
        public int lockCalls() {
            return (int) calls.stream().filter(SandboxCall::stackLock).count();
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

    /** Runs the four phases on a fresh sandbox named like the walkthrough (account, region, cluster, project). */
    public static List<PhaseCalls> measure() {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        try (IrsaSandbox sandbox = IrsaSandbox.builder().region(WalkthroughArtifacts.REGION)
                .clusterName(WalkthroughArtifacts.CLUSTER).account(WalkthroughArtifacts.ACCOUNT).gitlabProject(PROJECT).start()) {
            return measure(sandbox);
        }
    }

    /** The GitLab project examples/stacks/seed.yaml registers its runner in. */
    static final String PROJECT = "my-group/my-project";

    /** The walkthrough as one stack: examples/stacks/seed.yaml, as shipped in the jar. */
    public static RunnerStack seedStack() {
        return WalkthroughArtifacts.seedStack();
    }

    public static List<PhaseCalls> measure(IrsaSandbox sandbox) {
        RunnerStack stack = seedStack();
        RunnerStacks irsa = RunnerStacks.builder()
                .irsa(i -> i.aws(sandbox.awsExecutor()).kubernetes(sandbox.kubernetesExecutor())
                        .sts(sandbox.sts()).sleeper(sandbox.sleeper()).clock(sandbox.clock())
                        .budget(ExecutionBudget.create(b -> b.clock(sandbox.clock()).sleeper(sandbox.sleeper()))))
                .gitlab(sandbox.gitLabExecutor()).helm(sandbox.helmExecutor())
                .build();
        List<PhaseCalls> phases = new ArrayList<>();
        phases.add(phase(sandbox, "fresh apply", () -> irsa.apply(stack)));
        phases.add(phase(sandbox, "no-op apply", () -> irsa.apply(stack)));

        // Drift made by someone else (not counted): the trust's audience is changed, the SA loses its annotation.
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
        phases.add(phase(sandbox, "drift repair", () -> irsa.apply(stack)));
        phases.add(phase(sandbox, "destroy", () -> irsa.destroy(stack)));
        return phases;
    }

    private static PhaseCalls phase(IrsaSandbox sandbox, String name, java.util.function.Supplier<ApplyResult> run) {
        Map<Service, Integer> before = sizes(sandbox.calls());
        ApplyResult result = run.get().orThrow();
        SandboxCalls after = sandbox.calls();
        List<SandboxCall> calls = new ArrayList<>();
        for (Service s : Service.values()) {
            List<SandboxCall> of = after.of(s);
            calls.addAll(of.subList(before.getOrDefault(s, 0), of.size()));
        }
        return new PhaseCalls(name, result.outcomes().size(), calls, result.summary());
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
        String fmt = "%-60s" + "%14s".repeat(phases.size()) + "%n";
        sb.append(String.format(fmt, header(phases)));
        rows.forEach((op, row) -> sb.append(String.format(fmt, cells(op, row))));
        sb.append(String.format(fmt, cells("= reads", phases.stream().mapToInt(PhaseCalls::reads).toArray())));
        sb.append(String.format(fmt, cells("= changing calls", phases.stream().mapToInt(PhaseCalls::changing).toArray())));
        sb.append(String.format(fmt, cells("= stack lock calls (Lease, counted apart)", phases.stream().mapToInt(PhaseCalls::lockCalls).toArray())));
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

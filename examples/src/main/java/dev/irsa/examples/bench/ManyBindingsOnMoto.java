package dev.irsa.examples.bench;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.examples.WalkthroughArtifacts;
import dev.irsa.plan.Action;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ChangeOutcome;
import dev.irsa.plan.Plan;
import dev.irsa.policy.OidcProvider;
import dev.irsa.testing.aws.MotoServer;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * N role bindings on one loopback moto (issue 14): the walkthrough's IRSA trust for a distinct service account
 * each ({@code many-i/app-deployer}), one inline policy each (the walkthrough's admin policy), all sharing one
 * OIDC provider with one {@code providerOwner}; IAM only, the issuer and account given
 * ({@link ClusterRef#issuer(String, String)}), so no EKS or STS call is needed. Each N is applied, planned
 * again (a no-op) and destroyed through irsa ({@link IrsaSide}), then the same through a plain SDK loop
 * ({@link ManyBindingsSdkLoop}), both on {@code threads} threads; moto is reset between the two (untimed).
 * Every IAM request of both sides goes through one {@link CallTrace} proxy, so calls are counted alike
 * (paginated lists once per page).
 *
 * <p>Calls are reported as <i>per binding</i> (calls on the bindings' roles, divided by N) and <i>shared</i>
 * (calls on the shared provider and on the account: {@code ListRoles}, {@code GetCallerIdentity}): with many
 * bindings as one plan the shared calls stay the same whatever N, and the per-binding calls too.
 */
public final class ManyBindingsOnMoto {
    /** moto's account. */
    static final String ACCOUNT = "123456789012";
    static final String ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
    /** The one {@code providerOwner} of every binding (bindings sharing a provider carry the same owner). */
    static final String PROVIDER_OWNER = "many-bindings";
    static final String ROLE_PREFIX = "many-role-";
    static final List<String> PHASES = List.of("apply", "no-op plan", "destroy");

    /** The irsa side of the comparison: the one place that calls irsa's engine, so it can follow the API. */
    interface IrsaSide {
        Outcome apply(List<RoleBinding> bindings);

        Outcome plan(List<RoleBinding> bindings);

        Outcome destroy(List<RoleBinding> bindings);
    }

    /** What a phase did: whether it succeeded and how many changes it made (or planned). */
    record Outcome(boolean ok, int changes, String summary) {
        static Outcome applied(List<ApplyResult> results) {
            boolean ok = results.stream().allMatch(ApplyResult::succeeded);
            int changes = (int) results.stream().flatMap(r -> r.outcomes().stream())
                    .filter(o -> o.status() == ChangeOutcome.Status.CREATED || o.status() == ChangeOutcome.Status.UPDATED
                            || o.status() == ChangeOutcome.Status.DELETED).count();
            return new Outcome(ok, changes, ok ? changes + " changes" : results.stream().filter(r -> !r.succeeded())
                    .findFirst().map(ApplyResult::summary).orElse("failed"));
        }

        static Outcome planned(List<Plan> plans) {
            int changes = (int) plans.stream().flatMap(p -> p.changes().stream()).filter(c -> c.action() != Action.NO_OP).count();
            return new Outcome(true, changes, changes + " changes planned");
        }
    }

    /** One phase of one side: wall time, IAM calls (all / on the shared provider and account), changes. */
    public record PhaseRun(String phase, Duration wall, int calls, int sharedCalls, int changes, boolean ok,
                           Map<String, Integer> byOperation) {
        public int perBindingCalls() {
            return calls - sharedCalls;
        }
    }

    /** Both sides for one N. */
    public record Result(int bindings, List<PhaseRun> irsa, List<PhaseRun> loop) {
        public boolean ok() {
            return irsa.stream().allMatch(PhaseRun::ok) && loop.stream().allMatch(PhaseRun::ok);
        }
    }

    /** The results, or why nothing was measured. */
    public record Report(List<Result> results, String skipped) {
        public boolean ok() {
            return skipped != null || results.stream().allMatch(Result::ok);
        }
    }

    private ManyBindingsOnMoto() {
    }

    /** Binding {@code i}: role many-role-i trusted by service account many-i/app-deployer, the admin policy inline. */
    static RoleBinding binding(int i) {
        return RoleBinding.builder()
                .name("many-" + i)
                .providerOwner(PROVIDER_OWNER)
                .cluster(ClusterRef.issuer(ISSUER, ACCOUNT))
                .role(r -> r.name(ROLE_PREFIX + i).inlinePolicy("eks-admin", WalkthroughArtifacts.adminPolicy()))
                .serviceAccount("many-" + i, WalkthroughArtifacts.SERVICE_ACCOUNT)
                .acceptLint(WalkthroughArtifacts.ACCEPTED_ADMIN_FINDING_IN_ROLE)
                .build();
    }

    static List<RoleBinding> bindings(int n) {
        List<RoleBinding> bindings = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            bindings.add(binding(i));
        }
        return bindings;
    }

    /** Runs every N in {@code sizes} on one moto (after an untimed warm-up of both sides with 2 bindings). */
    public static Report measure(List<Integer> sizes, int threads) {
        if (!MotoServer.available()) {
            return new Report(List.of(), "moto is not installed (python3 -c 'import moto.server' fails)");
        }
        try (MotoServer moto = MotoServer.start(); IamClient rawIam = moto.clients().iam(); StsClient sts = moto.clients().sts();
             EksClient eks = moto.clients().eks()) {
            CallTrace trace = new CallTrace();
            IamClient iam = trace.wrap(IamClient.class, rawIam, "iam");
            AwsExecutor aws = AwsExecutor.builder().iam(iam).sts(trace.wrap(StsClient.class, sts, "sts"))
                    .eks(trace.wrap(EksClient.class, eks, "eks")).build();
            IrsaSide irsa = new OnePlan(aws, threads);
            String providerArn = OidcProvider.of(ISSUER, ACCOUNT, "aws").arn();
            ManyBindingsSdkLoop loop = new ManyBindingsSdkLoop(iam, ISSUER, providerArn, PROVIDER_OWNER, threads);

            run(moto, trace, rawIam, irsa, loop, 2);
            List<Result> results = new ArrayList<>();
            for (int n : sizes) {
                results.add(run(moto, trace, rawIam, irsa, loop, n));
            }
            return new Report(results, null);
        }
    }

    private static Result run(MotoServer moto, CallTrace trace, IamClient check, IrsaSide irsa, ManyBindingsSdkLoop loop, int n) {
        List<RoleBinding> bindings = bindings(n);
        moto.reset();
        List<PhaseRun> irsaRuns = List.of(
                phase(trace, check, "apply", n, () -> irsa.apply(bindings)),
                phase(trace, check, "no-op plan", n, () -> irsa.plan(bindings)),
                phase(trace, check, "destroy", 0, () -> irsa.destroy(bindings)));
        moto.reset();
        List<ManyBindingsSdkLoop.DesiredRole> roles = bindings.stream().map(ManyBindingsOnMoto::desiredRole).toList();
        List<PhaseRun> loopRuns = List.of(
                phase(trace, check, "apply", n, () -> new Outcome(true, loop.apply(roles), "")),
                phase(trace, check, "no-op plan", n, () -> new Outcome(true, loop.plan(roles), "")),
                phase(trace, check, "destroy", 0, () -> new Outcome(true, loop.destroy(roles), "")));
        return new Result(n, irsaRuns, loopRuns);
    }

    /** The documents irsa writes for {@code binding}, rendered before the timing, for the SDK loop. */
    static ManyBindingsSdkLoop.DesiredRole desiredRole(RoleBinding binding) {
        String trust = binding.trustPolicy(OidcProvider.of(ISSUER, ACCOUNT, "aws")).toJson();
        return new ManyBindingsSdkLoop.DesiredRole(binding.role().name(), trust, "eks-admin",
                WalkthroughArtifacts.adminPolicy().toJson());
    }

    /**
     * Times one phase and counts its IAM calls; ok when it succeeded, a no-op plan planned nothing, and
     * afterwards moto holds {@code rolesAfter} of the bench's roles (and the provider exactly when there are any).
     */
    private static PhaseRun phase(CallTrace trace, IamClient check, String name, int rolesAfter, Supplier<Outcome> work) {
        trace.clear();
        long start = System.nanoTime();
        Outcome outcome = work.get();
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        List<CallTrace.Call> calls = trace.calls();
        Map<String, Integer> byOperation = new TreeMap<>();
        calls.forEach(c -> byOperation.merge(c.operation(), 1, Integer::sum));
        int shared = (int) calls.stream().filter(c -> shared(c.operation())).count();
        long roles = check.listRolesPaginator(b -> { }).roles().stream().filter(r -> r.roleName().startsWith(ROLE_PREFIX)).count();
        int providers = check.listOpenIDConnectProviders(b -> { }).openIDConnectProviderList().size();
        boolean ok = outcome.ok() && roles == rolesAfter && providers == (rolesAfter > 0 ? 1 : 0)
                && (!name.equals("no-op plan") || outcome.changes() == 0);
        return new PhaseRun(name, wall, calls.size(), shared, outcome.changes(), ok, byOperation);
    }

    /**
     * Calls on the shared provider or on the whole account (listing its roles, asking whose it is): made once
     * per run, not per binding, when the bindings are planned together.
     */
    static boolean shared(String operation) {
        return operation.contains("OpenIDConnectProvider") || operation.equals("listRoles") || operation.equals("getCallerIdentity");
    }

    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%6s %-11s %9s %9s %10s %18s %18s %6s%n";
        sb.append(String.format(fmt, "N", "phase", "irsa", "SDK loop", "irsa/loop", "irsa calls/bind.", "loop calls/bind.", "ok"));
        for (Result r : results) {
            for (int i = 0; i < PHASES.size(); i++) {
                PhaseRun irsa = r.irsa().get(i);
                PhaseRun loop = r.loop().get(i);
                sb.append(String.format(fmt, r.bindings(), irsa.phase(), ManyStacks.seconds(irsa.wall()), ManyStacks.seconds(loop.wall()),
                        String.format("%.2fx", irsa.wall().toNanos() / (double) Math.max(1, loop.wall().toNanos())),
                        perBinding(irsa, r.bindings()), perBinding(loop, r.bindings()), irsa.ok() && loop.ok() ? "yes" : "NO"));
            }
        }
        return sb.toString();
    }

    /** "4.00 + 2" = calls on the roles per binding + calls on the shared provider and account. */
    private static String perBinding(PhaseRun run, int bindings) {
        return String.format("%.2f + %d", run.perBindingCalls() / (double) bindings, run.sharedCalls());
    }

    /** irsa's calls by operation in the largest run, one line per phase. */
    public static String operations(Result result) {
        StringBuilder sb = new StringBuilder();
        for (PhaseRun run : result.irsa()) {
            sb.append(String.format("irsa %-10s N=%d: %s%n", run.phase(), result.bindings(), run.byOperation()));
        }
        return sb.toString();
    }
}

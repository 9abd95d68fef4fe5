package dev.irsa.examples.bench;

import dev.irsa.Irsa;
import dev.irsa.Sleeper;
import dev.irsa.StackLock;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.RoleBinding;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.plan.Applier;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;
import dev.irsa.plan.RateLimit;
import dev.irsa.plan.Services;
import dev.irsa.testing.aws.FakeEks;
import dev.irsa.testing.aws.FakeIam;
import dev.irsa.testing.aws.FakeSts;
import dev.irsa.testing.kubernetes.SimulatedEksCluster;
import dev.irsa.testing.oidc.FakeOidcIssuer;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * N stacks (distinct roles and namespaces, one shared cluster OIDC provider) applied on the fakes with a
 * per-call latency on every AWS call (really slept, so wall time means something) and an IAM write rate
 * limit in the {@link ExecutionBudget} ({@code writeRateLimit}), metered per IAM request (every changing call
 * to the fake IAM client takes a token, as {@code AwsClients.builder().budget(budget)} does for SDK clients):
 * sequentially (one stack after another, one call at a time) and concurrently (all stacks as one plan through
 * {@link Irsa#applyAll}, applied together within the budget). Every AWS call is timestamped, so the run reports the busiest one-second window
 * of IAM writes (and of all IAM calls) next to the bound the {@link RateLimit} states.
 */
public final class ManyStacks {
    static {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    }

    /** Knobs; defaults per issue 8: 20 ms per AWS call, IAM writes 10/s, 16 calls in flight. */
    public record Settings(Duration latency, int iamPerSecond, int concurrency) {
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(20), 10, 16);
        }
    }

    /** One measured run. */
    public record Run(int stacks, String mode, Duration wall, int awsCalls, int iamWrites, int iamCalls,
                      int maxIamWritesPerSecond, int maxIamCallsPerSecond, int k8sChanges, boolean allApplied) {
    }

    /** Both modes for one N, and the lower bound. */
    public record Result(int stacks, Settings settings, Run sequential, Run concurrent, int criticalPathCalls, Duration lowerBound) {
        /**
         * The most requests a token bucket of {@code rate}/s (bursts of {@code rate}) lets start in any 1 s window,
         * both ends included ({@link RateLimit}: permits + T x permits / per): 2 x rate.
         */
        public int allowedPerSecondWindow() {
            return 2 * settings.iamPerSecond();
        }

        /** Whether the IAM writes of both modes kept the bound (reads are not limited here). */
        public boolean rateKept() {
            return sequential.maxIamWritesPerSecond() <= allowedPerSecondWindow()
                    && concurrent.maxIamWritesPerSecond() <= allowedPerSecondWindow();
        }
    }

    private ManyStacks() {
    }

    public static Result measure(int stacks, Settings settings) {
        Run sequential = run(stacks, settings, false);
        Run concurrent = run(stacks, settings, true);
        int chain;
        try (Environment single = new Environment(settings, settings.concurrency())) {
            single.bootstrapProvider();
            single.trace.clear();
            single.applyConcurrently(List.of(BenchStacks.numbered(0, Environment.CLUSTER, Environment.REGION)));
            chain = CallTrace.longestSequentialChain(single.trace.calls());
        }
        Duration criticalPath = settings.latency().multipliedBy(chain);
        // A token bucket of `rate` per second starts full (a burst of `rate`), so the writes beyond it need (writes - rate) / rate.
        int paced = Math.max(0, concurrent.iamWrites() - settings.iamPerSecond());
        Duration rateBound = Duration.ofMillis(Math.round(1000.0 * paced / settings.iamPerSecond()));
        Duration lower = criticalPath.compareTo(rateBound) >= 0 ? criticalPath : rateBound;
        return new Result(stacks, settings, sequential, concurrent, chain, lower);
    }

    static Run run(int stacks, Settings settings, boolean concurrent) {
        try (Environment env = new Environment(settings, concurrent ? settings.concurrency() : 1)) {
            env.bootstrapProvider();
            env.trace.clear();
            List<RoleBinding> bindings = new ArrayList<>();
            for (int i = 1; i <= stacks; i++) {
                bindings.add(BenchStacks.numbered(i, Environment.CLUSTER, Environment.REGION));
            }
            long start = System.nanoTime();
            List<ApplyResult> results = concurrent ? env.applyConcurrently(bindings) : env.applySequentially(bindings);
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            List<CallTrace.Call> iamWrites = env.trace.calls("iam", true);
            List<CallTrace.Call> iamCalls = env.trace.calls("iam", false);
            long second = Duration.ofSeconds(1).toNanos();
            // sequentially one result per stack; concurrently one for the single plan of all of them
            boolean ok = results.size() == (concurrent ? 1 : stacks) && results.stream().allMatch(ApplyResult::succeeded)
                    && env.iam.roleNames().size() == stacks + 1;
            int k8s = (int) env.cluster.webhook().requests().stream().filter(r -> !r.startsWith("GET")).count();
            return new Run(stacks, concurrent ? "concurrent" : "sequential", wall, env.trace.calls().size(), iamWrites.size(),
                    iamCalls.size(), CallTrace.maxInWindow(iamWrites, second), CallTrace.maxInWindow(iamCalls, second), k8s, ok);
        }
    }

    /**
     * Fakes on the real clock with a really-sleeping latency, a simulated cluster, timestamped AWS clients, and
     * one budget (IAM writes limited per request) for everything the environment plans and applies.
     */
    static final class Environment implements AutoCloseable {
        static final String CLUSTER = "bench";
        static final String REGION = "eu-west-1";
        final CallTrace trace = new CallTrace();
        final FakeOidcIssuer issuer;
        final FakeIam iam;
        final FakeSts sts;
        final FakeEks eks;
        final SimulatedEksCluster cluster;
        final KubernetesExecutor kubernetes;
        final AwsExecutor aws;
        final ExecutionBudget budget;
        final int concurrency;

        Environment(Settings settings, int concurrency) {
            this.concurrency = concurrency;
            budget = ExecutionBudget.create(b -> b.maxConcurrency(concurrency)
                    .writeRateLimit(Services.IAM, RateLimit.perSecond(settings.iamPerSecond())));
            Clock clock = Clock.systemUTC();
            issuer = FakeOidcIssuer.eks(REGION, clock).start();
            iam = FakeIam.builder().clock(clock).sleeper(Sleeper.SYSTEM).build();
            sts = FakeSts.builder(iam).clock(clock).sleeper(Sleeper.SYSTEM).issuer(issuer).build();
            eks = FakeEks.builder().clock(clock).sleeper(Sleeper.SYSTEM).region(REGION).accountId(iam.accountId()).build();
            eks.addCluster(CLUSTER, issuer);
            iam.faults().latency(settings.latency());
            sts.faults().latency(settings.latency());
            eks.faults().latency(settings.latency());
            cluster = SimulatedEksCluster.builder().region(REGION).clock(clock)
                    .tokenMinter((ns, sa, auds, seconds) -> issuer.mintServiceAccountToken(ns, sa, auds, Duration.ofSeconds(seconds)))
                    .start();
            kubernetes = KubernetesExecutor.builder().client(cluster.client()).build();
            aws = AwsExecutor.builder().iam(trace.wrap(IamClient.class, iam, "iam", budget.meterRequests(Services.IAM))).sts(trace.wrap(StsClient.class, sts, "sts"))
                    .eks(trace.wrap(EksClient.class, eks, "eks")).build();
        }

        BindingBackends backends() {
            return BindingBackends.of(aws, kubernetes);
        }

        /** Creates the shared OIDC provider, untimed: straight to the fakes, so the timed run starts with a full bucket. */
        void bootstrapProvider() {
            RoleBinding bootstrap = BenchStacks.providerBootstrap(CLUSTER, REGION);
            BindingBackends direct = BindingBackends.of(AwsExecutor.builder().iam(iam).sts(sts).eks(eks).build(), kubernetes);
            Plan plan = Planner.create().plan(bootstrap.name(), bootstrap.resources(direct));
            Applier.create().apply(plan).orThrow();
        }

        List<ApplyResult> applySequentially(List<RoleBinding> bindings) {
            Planner planner = Planner.create(p -> p.budget(budget));
            Applier applier = Applier.create(a -> a.budget(budget));
            List<ApplyResult> results = new ArrayList<>();
            for (RoleBinding b : bindings) {
                results.add(applier.apply(planner.plan(b.name(), b.resources(backends()))));
            }
            return results;
        }

        /**
         * All stacks as one plan through irsa-core's facade (the shared provider and cluster lookup once, observations
         * concurrent within the budget), then applied together. No stack lock, as in the sequential loop.
         */
        List<ApplyResult> applyConcurrently(List<RoleBinding> bindings) {
            Irsa irsa = Irsa.builder().aws(aws).kubernetes(kubernetes).budget(budget).stackLock(StackLock.disabled()).build();
            return List.of(irsa.applyAll(bindings));
        }

        @Override
        public void close() {
            kubernetes.close();
            cluster.close();
            issuer.close();
        }
    }

    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%6s %11s %11s %11s %10s %10s %9s %10s %12s %7s%n";
        sb.append(String.format(fmt, "stacks", "sequential", "concurrent", "lower bnd", "conc/bnd", "IAM writes", "IAM calls",
                "max wr/1s", "max calls/1s", "all ok"));
        for (Result r : results) {
            sb.append(String.format(fmt, r.stacks(), seconds(r.sequential().wall()), seconds(r.concurrent().wall()),
                    seconds(r.lowerBound()),
                    String.format("%.1fx", r.concurrent().wall().toNanos() / (double) Math.max(1, r.lowerBound().toNanos())),
                    r.concurrent().iamWrites(), r.concurrent().iamCalls(),
                    r.sequential().maxIamWritesPerSecond() + "/" + r.concurrent().maxIamWritesPerSecond(),
                    r.sequential().maxIamCallsPerSecond() + "/" + r.concurrent().maxIamCallsPerSecond(),
                    r.rateKept() && r.sequential().allApplied() && r.concurrent().allApplied() ? "yes" : "NO"));
        }
        return sb.toString();
    }

    static String seconds(Duration d) {
        return String.format("%.2f s", d.toNanos() / 1e9);
    }
}

package dev.irsa.gitlab.stack;

import dev.irsa.IrsaException;
import dev.irsa.Sleeper;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyReport;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.helm.HelmChart;
import dev.irsa.gitlab.helm.HelmExecutor;
import dev.irsa.gitlab.stack.internal.StackResources;
import dev.irsa.gitlab.stack.internal.StackVerifier;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.StackLease;
import dev.irsa.plan.Applier;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Change;
import dev.irsa.plan.ChangeOutcome;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.Plan;
import dev.irsa.plan.PlanException;
import dev.irsa.plan.Planner;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.StalePlanException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The facade: plan, apply, verify and destroy a {@link RunnerStack} (or just a {@link RoleBinding}) with
 * one set of executors. Works the same against the sandbox's fakes and real endpoints.
 *
 * <pre>{@code
 * Irsa irsa = Irsa.builder().aws(awsExecutor).kubernetes(kubernetesExecutor).gitlab(gitLabExecutor)
 *         .helm(helmExecutor).sts(stsClient).build();
 * System.out.println(irsa.plan(stack).render());
 * irsa.apply(stack, new ProgressPrinter(System.out)).orThrow();
 * System.out.println(irsa.verify(stack).render());
 * irsa.destroy(stack).orThrow();
 * // the walkthrough's "delete the roles in the evening, recreate them in the morning":
 * irsa.destroyIam(stack).orThrow();   // evening
 * irsa.applyIam(stack).orThrow();     // morning
 * }</pre>
 *
 * <p>Concurrent runs: {@code apply} and {@code destroy} hold the stack's lock, a Kubernetes Lease
 * {@code irsa-lock-<stack>} ({@link StackLock}), from planning to the last change, so a second run of the same
 * stack waits and then plans what the first one left. Should a change still find its plan stale (a run
 * without the lock got there first), it fails with {@link StalePlanException} before changing anything and
 * the stack is planned again, up to 3 plans in all.
 */
public final class Irsa {
    private static final Logger LOG = LoggerFactory.getLogger(Irsa.class);
    /** Plans per apply: the first, plus re-plans after a stale plan (each one sees the other run's work). */
    private static final int MAX_PLANS = 3;

    private final BindingBackends binding;
    private final KubernetesExecutor kubernetes;
    private final GitLabExecutor gitlab;
    private final HelmExecutor helm;
    private final HelmChart chart;
    private final ExecutionBudget budget;
    private final StackLock stackLock;

    private Irsa(Builder b) {
        this.binding = b.binding.build();
        this.kubernetes = binding.kubernetes().orElse(null);
        this.gitlab = b.gitlab;
        this.helm = b.helm;
        this.chart = b.chart;
        this.budget = b.budget;
        this.stackLock = b.stackLock;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- whole stack ----

    /** Observes everything and returns the ordered changes (nothing is changed). */
    public Plan plan(RunnerStack stack) {
        return planner(stack).plan(stack.name(), resources(stack));
    }

    public ApplyResult apply(RunnerStack stack) {
        return apply(stack, ApplyListener.NONE);
    }

    /** Plans and applies; re-applying an applied stack makes no changing call. */
    public ApplyResult apply(RunnerStack stack, ApplyListener listener) {
        return locked(stack.name(), listener, l -> applier(l).apply(plan(stack)));
    }

    /**
     * Plans several stacks (e.g. {@link RunnerStack#expand()}) concurrently, then applies them together, all
     * within the budget (its slots bound the remote calls in flight, its rate limits hold across stacks).
     * Results are in the order of {@code stacks}. A stack that cannot be planned (an observation failed...)
     * is not applied and gets an {@link ApplyResult#notPlanned} result naming the error; the others are
     * applied anyway. Every stack's lock is held throughout (taken in name order), and a stack whose plan
     * turned out stale is planned and applied again on its own.
     *
     * @throws dev.irsa.plan.PlanRefusedException if a planned stack refuses a change; nothing is applied then
     */
    public List<ApplyResult> applyAll(List<RunnerStack> stacks, ApplyListener listener) {
        List<StackLease> leases = lockAll(stacks.stream().map(RunnerStack::name).toList());
        try {
            ApplyListener renewing = leases.isEmpty() ? listener : new RenewingListener(listener, leases);
            List<ApplyResult> results = planAndApplyAll(stacks, renewing);
            for (int i = 0; i < stacks.size(); i++) {
                RunnerStack stack = stacks.get(i);
                results.set(i, replanWhileStale(stack.name(), results.get(i), () -> applier(renewing).apply(plan(stack))));
            }
            return results;
        } finally {
            leases.forEach(Irsa::release);
        }
    }

    private List<ApplyResult> planAndApplyAll(List<RunnerStack> stacks, ApplyListener listener) {
        List<ApplyResult> results = new ArrayList<>(Collections.nCopies(stacks.size(), null));
        List<Plan> plans = new ArrayList<>();
        List<Integer> planned = new ArrayList<>();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(stacks.size(), budget.maxConcurrency())), task -> {
            Thread thread = new Thread(task, "irsa-plan-stack-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Plan>> planning = new ArrayList<>();
            for (RunnerStack stack : stacks) {
                planning.add(pool.submit(() -> plan(stack)));
            }
            for (int i = 0; i < stacks.size(); i++) {
                try {
                    plans.add(planning.get(i).get());
                    planned.add(i);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    IrsaException failure = cause instanceof IrsaException irsa ? irsa
                            : new PlanException("could not plan stack " + stacks.get(i).name() + ": " + cause, cause);
                    results.set(i, ApplyResult.notPlanned(stacks.get(i).name(), Plan.Mode.APPLY, failure));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlanException("interrupted while planning", e);
        } finally {
            pool.shutdownNow();
        }
        List<ApplyResult> applied = applier(listener).applyAll(plans);
        for (int k = 0; k < planned.size(); k++) {
            results.set(planned.get(k), applied.get(k));
        }
        return results;
    }

    /** Takes every stack's lock in name order (so two overlapping applyAll runs cannot deadlock); all or none. */
    private List<StackLease> lockAll(List<String> stacks) {
        if (kubernetes == null || !stackLock.enabled()) {
            return List.of();
        }
        List<StackLease> leases = new ArrayList<>();
        try {
            for (String name : new TreeSet<>(stacks)) {
                leases.add(kubernetes.lockStack(stackLock.namespace(), name, stackLock.newHolder(), stackLock.ttl(), stackLock.waitFor()));
            }
            return leases;
        } catch (RuntimeException e) {
            leases.forEach(Irsa::release);
            throw e;
        }
    }

    /** Proves the stack works: the binding's checks, then the runner's (Secret, release, registration). */
    public VerifyReport verify(RunnerStack stack) {
        return StackVerifier.verify(stack, stackBackends());
    }

    /** What destroy would delete: irsa-owned objects only, dependents first. */
    public Plan destroyPlan(RunnerStack stack) {
        return planner(stack).destroyPlan(stack.name(), resources(stack));
    }

    public ApplyResult destroy(RunnerStack stack) {
        return destroy(stack, ApplyListener.NONE);
    }

    public ApplyResult destroy(RunnerStack stack, ApplyListener listener) {
        return locked(stack.name(), listener, l -> applier(l).apply(destroyPlan(stack)));
    }

    // ---- IAM part only (OIDC provider + role) ----

    public Plan planIam(RunnerStack stack) {
        return planIam(stack.binding());
    }

    public ApplyResult applyIam(RunnerStack stack) {
        return applyIam(stack.binding(), ApplyListener.NONE);
    }

    public Plan destroyIamPlan(RunnerStack stack) {
        return destroyIamPlan(stack.binding());
    }

    /** Deletes the stack's role (and its OIDC provider unless another role still trusts it); re-runnable. */
    public ApplyResult destroyIam(RunnerStack stack) {
        return destroyIam(stack.binding(), ApplyListener.NONE);
    }

    // ---- a binding on its own ----

    public Plan plan(RoleBinding binding) {
        return binding.plan(planner(binding), bindingBackends());
    }

    public ApplyResult apply(RoleBinding binding) {
        return apply(binding, ApplyListener.NONE);
    }

    public ApplyResult apply(RoleBinding binding, ApplyListener listener) {
        return locked(binding.name(), listener, l -> applier(l).apply(plan(binding)));
    }

    public VerifyReport verify(RoleBinding binding) {
        return binding.verify(bindingBackends());
    }

    public Plan destroyPlan(RoleBinding binding) {
        return binding.destroyPlan(planner(binding), bindingBackends());
    }

    public ApplyResult destroy(RoleBinding binding) {
        return destroy(binding, ApplyListener.NONE);
    }

    public ApplyResult destroy(RoleBinding binding, ApplyListener listener) {
        return locked(binding.name(), listener, l -> applier(l).apply(destroyPlan(binding)));
    }

    public Plan planIam(RoleBinding binding) {
        return binding.planIam(planner(binding), bindingBackends());
    }

    public ApplyResult applyIam(RoleBinding binding) {
        return applyIam(binding, ApplyListener.NONE);
    }

    public ApplyResult applyIam(RoleBinding binding, ApplyListener listener) {
        return locked(binding.name(), listener, l -> applier(l).apply(planIam(binding)));
    }

    public Plan destroyIamPlan(RoleBinding binding) {
        return binding.destroyIamPlan(planner(binding), bindingBackends());
    }

    public ApplyResult destroyIam(RoleBinding binding) {
        return destroyIam(binding, ApplyListener.NONE);
    }

    public ApplyResult destroyIam(RoleBinding binding, ApplyListener listener) {
        return locked(binding.name(), listener, l -> applier(l).apply(destroyIamPlan(binding)));
    }

    // ---- wiring ----

    /** The backends handed to resources (for callers composing their own plans). */
    public BindingBackends bindingBackends() {
        return binding;
    }

    public StackBackends stackBackends() {
        if (gitlab == null || helm == null) {
            throw new IllegalStateException("a runner stack needs a GitLabExecutor and a HelmExecutor (Irsa.builder().gitlab(..).helm(..))");
        }
        return new StackBackends(bindingBackends(), gitlab, helm, chart);
    }

    private List<Resource> resources(RunnerStack stack) {
        return stack.resources(stackBackends());
    }

    private Planner planner(RunnerStack stack) {
        List<ResourceId> adopt = new ArrayList<>();
        if (stack.runner().adoptRelease()) {
            adopt.add(StackResources.releaseId(stack));
        }
        stack.pipeline().filter(PipelineSettings::adopt).ifPresent(p -> adopt.add(StackResources.pipelineFileId(stack, p)));
        return planner(stack.binding(), adopt);
    }

    private Planner planner(RoleBinding binding) {
        return planner(binding, List.of());
    }

    private Planner planner(RoleBinding binding, List<ResourceId> alsoAdopt) {
        List<ResourceId> adopt = new ArrayList<>(alsoAdopt);
        if (binding.serviceAccount().map(sa -> sa.adopt()).orElse(false)) {
            // The account itself, and (Pod Identity) the association naming it.
            binding.serviceAccountResourceId().ifPresent(adopt::add);
            binding.workloadResourceId().filter(id -> !adopt.contains(id)).ifPresent(adopt::add);
        }
        return Planner.create(p -> p.budget(budget).adopt(adopt.toArray(ResourceId[]::new)));
    }

    /**
     * Runs plan-and-apply under the stack's lock (when there is a Kubernetes executor and the lock is on),
     * planning again when a change found its plan stale (another run got there between plan and apply):
     * the new plan sees what that run did. The lease is renewed before each change.
     */
    private ApplyResult locked(String stack, ApplyListener listener, Function<ApplyListener, ApplyResult> planAndApply) {
        List<StackLease> leases = lockAll(List.of(stack));
        try {
            ApplyListener renewing = leases.isEmpty() ? listener : new RenewingListener(listener, leases);
            return replanWhileStale(stack, planAndApply.apply(renewing), () -> planAndApply.apply(renewing));
        } finally {
            leases.forEach(Irsa::release);
        }
    }

    /** Plans and applies again while a change found its plan stale, up to {@link #MAX_PLANS} plans in all. */
    private static ApplyResult replanWhileStale(String stack, ApplyResult first, Supplier<ApplyResult> planAndApply) {
        ApplyResult result = first;
        for (int plans = 1; plans < MAX_PLANS && StalePlanException.causedFailureIn(result); plans++) {
            LOG.info("stack {}: a change found its plan stale; planning again ({} of {})", stack, plans + 1, MAX_PLANS);
            result = planAndApply.get();
        }
        return result;
    }

    /** A lease that cannot be released expires after its TTL; that must not hide the apply's own outcome. */
    private static void release(StackLease lease) {
        try {
            lease.close();
        } catch (RuntimeException e) {
            LOG.warn("could not release the stack lock {}; it expires {} s after its last renewal: {}", lease,
                    lease.ttl().toSeconds(), e.getMessage());
        }
    }

    /** Forwards every event and renews the leases before each change (a long apply keeps its locks). */
    private record RenewingListener(ApplyListener delegate, List<StackLease> leases) implements ApplyListener {
        @Override
        public void started(String stack, Change change, Instant at) {
            leases.forEach(StackLease::renewIfDue);
            delegate.started(stack, change, at);
        }

        @Override
        public void retrying(String stack, Change change, int failedAttempt, Throwable error, Duration backoff) {
            delegate.retrying(stack, change, failedAttempt, error, backoff);
        }

        @Override
        public void finished(ChangeOutcome outcome) {
            delegate.finished(outcome);
        }

        @Override
        public void failed(ChangeOutcome outcome) {
            delegate.failed(outcome);
        }

        @Override
        public void skipped(ChangeOutcome outcome) {
            delegate.skipped(outcome);
        }
    }

    private Applier applier(ApplyListener listener) {
        return Applier.create(a -> a.budget(budget).listener(listener));
    }

    public static final class Builder {
        private final BindingBackends.Builder binding = BindingBackends.builder();
        private GitLabExecutor gitlab;
        private HelmExecutor helm;
        private HelmChart chart = HelmChart.gitlabRunner();
        private ExecutionBudget budget = ExecutionBudget.defaults();
        private StackLock stackLock = StackLock.defaults();

        private Builder() {
        }

        /** How runs of one stack are serialised (default {@link StackLock#defaults()}: a Lease in {@code default}). */
        public Builder stackLock(StackLock stackLock) {
            this.stackLock = Objects.requireNonNull(stackLock, "stackLock");
            return this;
        }

        public Builder stackLock(Consumer<StackLock.Builder> stackLock) {
            return stackLock(StackLock.create(stackLock));
        }

        public Builder aws(AwsExecutor aws) {
            binding.aws(aws);
            return this;
        }

        public Builder kubernetes(KubernetesExecutor kubernetes) {
            binding.kubernetes(kubernetes);
            return this;
        }

        public Builder gitlab(GitLabExecutor gitlab) {
            this.gitlab = gitlab;
            return this;
        }

        public Builder helm(HelmExecutor helm) {
            this.helm = helm;
            return this;
        }

        /** The gitlab-runner chart to install (default {@link HelmChart#gitlabRunner()}). */
        public Builder chart(HelmChart chart) {
            this.chart = Objects.requireNonNull(chart, "chart");
            return this;
        }

        /** STS client for verify's AssumeRoleWithWebIdentity (without it that check is skipped). */
        public Builder sts(StsClient sts) {
            binding.sts(sts);
            return this;
        }

        public Builder budget(ExecutionBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** Sleeper for verify's backoff while IAM propagates (tests inject one that does not sleep). */
        public Builder sleeper(Sleeper sleeper) {
            binding.sleeper(sleeper);
            return this;
        }

        public Builder clock(Clock clock) {
            binding.clock(clock);
            return this;
        }

        /** How long verify rides out IAM propagation (default 2 minutes, like Terraform; not negative). */
        public Builder propagationTimeout(Duration timeout) {
            binding.propagationTimeout(Objects.requireNonNull(timeout, "timeout"));
            return this;
        }

        public Irsa build() {
            return new Irsa(this);
        }
    }
}

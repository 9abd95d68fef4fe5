package dev.irsa;

import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.BindingBackends;
import dev.irsa.binding.PlanLookups;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.VerifyReport;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.StackLease;
import dev.irsa.plan.Applier;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.StalePlanException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The facade for {@link RoleBinding}s: plan, apply, verify and destroy one binding or many, with one set of
 * executors. Needs irsa-core only (no GitLab, no Helm); irsa-gitlab's runner facade is built on it.
 *
 * <pre>{@code
 * try (IrsaEndpoints endpoints = IrsaEndpoints.fromEnvironment()) {
 *     Irsa irsa = endpoints.irsa();
 *     System.out.println(irsa.plan(binding).render());
 *     irsa.apply(binding).orThrow();
 *     System.out.println(irsa.verify(binding).render());
 *     // the walkthrough's "delete the roles in the evening, recreate them in the morning":
 *     irsa.destroyIam(binding).orThrow();   // evening
 *     irsa.applyIam(binding).orThrow();     // morning
 *
 *     // many bindings are one plan: their cluster's OIDC provider is observed and created once, and
 *     // destroyed once, after the last role that trusts it
 *     irsa.applyAll(List.of(deployer, reader, auditor)).orThrow();
 *     irsa.destroyAll(List.of(deployer, reader, auditor)).orThrow();
 * }
 * }</pre>
 *
 * <p>Every method validates and lints before any remote call. {@code adopt} on a binding's service account is
 * honoured on every path (one binding or many, whole or IAM part).
 *
 * <p>Concurrent runs: {@code apply*} and {@code destroy*} hold each binding's lock, a Kubernetes Lease
 * {@code irsa-lock-<name>} ({@link StackLock}; taken in name order, so overlapping runs cannot deadlock), from
 * planning to the last change, renewing it before each change; a second run of the same binding waits, then
 * plans what the first one left. Should a change still find its plan stale (a run without the lock got there
 * first), it fails with {@link StalePlanException} before changing anything and everything is planned again,
 * up to 3 plans in all. Without a Kubernetes executor there is no lock.
 */
public final class Irsa {
    private static final Logger LOG = LoggerFactory.getLogger(Irsa.class);
    /** Plans per apply: the first, plus re-plans after a stale plan (each one sees the other run's work). */
    private static final int MAX_PLANS = 3;

    private final BindingBackends backends;
    private final ExecutionBudget budget;
    private final StackLock stackLock;

    private Irsa(Builder b) {
        this.backends = b.backends.build();
        this.budget = b.budget;
        this.stackLock = b.stackLock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Irsa create(Consumer<Builder> irsa) {
        Builder b = builder();
        irsa.accept(b);
        return b.build();
    }

    // ---- one binding ----

    /** Observes everything the binding needs and returns the ordered changes (nothing is changed). */
    public Plan plan(RoleBinding binding) {
        return planAll(List.of(binding));
    }

    public ApplyResult apply(RoleBinding binding) {
        return applyAll(List.of(binding), ApplyListener.NONE);
    }

    /** Plans and applies; applying an applied binding again makes no changing call. */
    public ApplyResult apply(RoleBinding binding, ApplyListener listener) {
        return applyAll(List.of(binding), listener);
    }

    /** Proves the binding works (see {@link VerifyReport}); never prints credentials. */
    public VerifyReport verify(RoleBinding binding) {
        return binding.verify(backends);
    }

    /** What destroy would delete: irsa-owned objects only, dependents first. */
    public Plan destroyPlan(RoleBinding binding) {
        return destroyPlanAll(List.of(binding));
    }

    public ApplyResult destroy(RoleBinding binding) {
        return destroyAll(List.of(binding), ApplyListener.NONE);
    }

    public ApplyResult destroy(RoleBinding binding, ApplyListener listener) {
        return destroyAll(List.of(binding), listener);
    }

    /** The changes that apply the binding's OIDC provider and role only. */
    public Plan planIam(RoleBinding binding) {
        return plan(List.of(binding), Part.IAM, Plan.Mode.APPLY);
    }

    public ApplyResult applyIam(RoleBinding binding) {
        return applyIamAll(List.of(binding), ApplyListener.NONE);
    }

    public ApplyResult applyIam(RoleBinding binding, ApplyListener listener) {
        return applyIamAll(List.of(binding), listener);
    }

    /** What {@link #destroyIam} would delete: the role, and the OIDC provider unless another role trusts it. */
    public Plan destroyIamPlan(RoleBinding binding) {
        return plan(List.of(binding), Part.IAM, Plan.Mode.DESTROY);
    }

    /** Deletes the binding's role (and its OIDC provider unless another role still trusts it); re-runnable. */
    public ApplyResult destroyIam(RoleBinding binding) {
        return destroyIamAll(List.of(binding), ApplyListener.NONE);
    }

    public ApplyResult destroyIam(RoleBinding binding, ApplyListener listener) {
        return destroyIamAll(List.of(binding), listener);
    }

    // ---- many bindings: one plan ----

    /**
     * One plan for all the bindings: resources they share (their cluster's OIDC provider, a namespace) are
     * observed once and changed once, so the calls per binding do not grow with their number.
     *
     * @throws ValidationException when two bindings have one name, one role or one service account, or bindings
     *                             sharing an OIDC provider name different {@link RoleBinding#providerOwner()}s
     */
    public Plan planAll(List<RoleBinding> bindings) {
        return plan(bindings, Part.WHOLE, Plan.Mode.APPLY);
    }

    public ApplyResult applyAll(List<RoleBinding> bindings) {
        return applyAll(bindings, ApplyListener.NONE);
    }

    /** Plans all the bindings as one plan ({@link #planAll}) and applies it, under every binding's lock. */
    public ApplyResult applyAll(List<RoleBinding> bindings, ApplyListener listener) {
        return run(bindings, Part.WHOLE, Plan.Mode.APPLY, listener);
    }

    /** Each binding's checks, in the order given; the cluster and caller lookups are made once for all of them. */
    public List<VerifyReport> verifyAll(List<RoleBinding> bindings) {
        checkDistinct(bindings);
        PlanLookups lookups = PlanLookups.create(backends.aws());
        return bindings.stream().map(b -> b.verify(backends, lookups)).toList();
    }

    /**
     * What {@link #destroyAll} would delete: dependents first, so a shared OIDC provider comes after the last
     * role that trusts it (and is kept, as for one binding, while a role outside the plan still trusts it).
     */
    public Plan destroyPlanAll(List<RoleBinding> bindings) {
        return plan(bindings, Part.WHOLE, Plan.Mode.DESTROY);
    }

    public ApplyResult destroyAll(List<RoleBinding> bindings) {
        return destroyAll(bindings, ApplyListener.NONE);
    }

    public ApplyResult destroyAll(List<RoleBinding> bindings, ApplyListener listener) {
        return run(bindings, Part.WHOLE, Plan.Mode.DESTROY, listener);
    }

    /** {@link #planAll} for the OIDC providers and roles only. */
    public Plan planIamAll(List<RoleBinding> bindings) {
        return plan(bindings, Part.IAM, Plan.Mode.APPLY);
    }

    /** {@link #destroyPlanAll} for the roles (and providers no other role trusts) only. */
    public Plan destroyIamPlanAll(List<RoleBinding> bindings) {
        return plan(bindings, Part.IAM, Plan.Mode.DESTROY);
    }

    /** {@link #applyAll} for the OIDC providers and roles only (the morning half of an off-hours schedule). */
    public ApplyResult applyIamAll(List<RoleBinding> bindings, ApplyListener listener) {
        return run(bindings, Part.IAM, Plan.Mode.APPLY, listener);
    }

    /** {@link #destroyAll} for the roles (and providers no other role trusts) only: the evening half. */
    public ApplyResult destroyIamAll(List<RoleBinding> bindings, ApplyListener listener) {
        return run(bindings, Part.IAM, Plan.Mode.DESTROY, listener);
    }

    // ---- for facades that compose their own resources (irsa-gitlab's runner stacks) ----

    /** The backends handed to resources. */
    public BindingBackends bindingBackends() {
        return backends;
    }

    /** The limits every plan and apply of this facade shares. */
    public ExecutionBudget budget() {
        return budget;
    }

    /** A planner with this facade's budget that adopts {@code adopt} (existing objects without irsa's marks). */
    public Planner planner(Collection<ResourceId> adopt) {
        ResourceId[] ids = new LinkedHashSet<>(adopt).toArray(ResourceId[]::new);
        return Planner.create(p -> p.budget(budget).adopt(ids));
    }

    /**
     * Plans (with {@code planning}) and applies under the locks of {@code stacks}, planning again while a change
     * found its plan stale, up to 3 plans in all; the leases are renewed before each change.
     *
     * @throws dev.irsa.plan.PlanRefusedException if the plan refuses a change; nothing is applied then
     */
    public ApplyResult applyLocked(Collection<String> stacks, Supplier<Plan> planning, ApplyListener listener) {
        String name = String.join(",", new TreeSet<>(stacks));
        List<StackLease> leases = lockAll(stacks);
        try {
            ApplyListener renewing = leases.isEmpty() ? listener : new RenewingListener(listener, leases);
            Function<ApplyListener, ApplyResult> planAndApply = l -> Applier.create(a -> a.budget(budget).listener(l)).apply(planning.get());
            ApplyResult result = planAndApply.apply(renewing);
            for (int plans = 1; plans < MAX_PLANS && StalePlanException.causedFailureIn(result); plans++) {
                LOG.info("stack {}: a change found its plan stale; planning again ({} of {})", name, plans + 1, MAX_PLANS);
                result = planAndApply.apply(renewing);
            }
            return result;
        } finally {
            leases.forEach(Irsa::release);
        }
    }

    // ---- wiring ----

    /** The whole binding, or its IAM part (OIDC provider and role). */
    private enum Part { WHOLE, IAM }

    private ApplyResult run(List<RoleBinding> bindings, Part part, Plan.Mode mode, ApplyListener listener) {
        Objects.requireNonNull(listener, "listener");
        checkDistinct(bindings);
        Planner.merge(resources(bindings, part));   // what cannot be one plan is refused before the lock is taken
        return applyLocked(bindings.stream().map(RoleBinding::name).toList(), () -> plan(bindings, part, mode), listener);
    }

    private Plan plan(List<RoleBinding> bindings, Part part, Plan.Mode mode) {
        checkDistinct(bindings);
        List<Resource> resources = resources(bindings, part);
        Planner planner = planner(adopted(bindings, part));
        String name = planName(bindings);
        return mode == Plan.Mode.APPLY ? planner.plan(name, resources) : planner.destroyPlan(name, resources);
    }

    private List<Resource> resources(List<RoleBinding> bindings, Part part) {
        return part == Part.IAM ? RoleBinding.iamResources(bindings, backends) : RoleBinding.resources(bindings, backends);
    }

    /** What the bindings ask to take over ({@link RoleBinding#adoptedResourceIds()}); nothing of the IAM part. */
    private static List<ResourceId> adopted(List<RoleBinding> bindings, Part part) {
        List<ResourceId> adopt = new ArrayList<>();
        if (part == Part.WHOLE) {
            bindings.forEach(b -> adopt.addAll(b.adoptedResourceIds()));
        }
        return adopt;
    }

    /** The name a plan of these bindings is shown under: the binding's, their common provider owner's, or a count. */
    private static String planName(List<RoleBinding> bindings) {
        if (bindings.size() == 1) {
            return bindings.get(0).name();
        }
        Set<String> owners = new TreeSet<>();
        bindings.forEach(b -> owners.add(b.providerOwner()));
        return owners.size() == 1 ? owners.iterator().next() : bindings.size() + " bindings";
    }

    /** Bindings of one plan name distinct stacks, roles and service accounts (checked before any call). */
    private static void checkDistinct(List<RoleBinding> bindings) {
        Objects.requireNonNull(bindings, "bindings");
        if (bindings.isEmpty()) {
            throw new ValidationException("bindings", "[]", "at least one binding");
        }
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> roles = new HashMap<>();
        Map<String, Integer> accounts = new HashMap<>();
        for (int i = 0; i < bindings.size(); i++) {
            RoleBinding b = bindings.get(i);
            if (b == null) {
                throw new ValidationException("bindings[" + i + "]", null, "a binding, not null");
            }
            distinct(names, b.name(), i, "bindings[" + i + "].name", "names one binding");
            distinct(roles, b.role().name(), i, "bindings[" + i + "].role.name", "is one binding's role");
            if (b.serviceAccount().isPresent()) {
                String sa = b.serviceAccount().get().namespace() + "/" + b.serviceAccount().get().name();
                distinct(accounts, sa, i, "bindings[" + i + "].serviceAccount", "is bound to one role");
            }
        }
    }

    private static void distinct(Map<String, Integer> seen, String value, int index, String field, String rule) {
        Integer first = seen.putIfAbsent(value, index);
        if (first != null) {
            throw new ValidationException(field, value, rule + " only; bindings[" + first + "] has it too");
        }
    }

    /** Takes every stack's lock in name order (so two overlapping runs cannot deadlock); all or none. */
    private List<StackLease> lockAll(Collection<String> stacks) {
        KubernetesExecutor kubernetes = backends.kubernetes().orElse(null);
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

    /** A lease that cannot be released expires after its TTL; that must not hide the apply's own outcome. */
    private static void release(StackLease lease) {
        try {
            lease.close();
        } catch (RuntimeException e) {
            LOG.warn("could not release the stack lock {}; it expires {} s after its last renewal: {}", lease,
                    lease.ttl().toSeconds(), e.getMessage());
        }
    }

    public static final class Builder {
        private final BindingBackends.Builder backends = BindingBackends.builder();
        private ExecutionBudget budget = ExecutionBudget.defaults();
        private StackLock stackLock = StackLock.defaults();

        private Builder() {
        }

        public Builder aws(AwsExecutor aws) {
            backends.aws(aws);
            return this;
        }

        /** For service accounts, namespaces and the stack lock; without it, only IAM-only bindings and methods work. */
        public Builder kubernetes(KubernetesExecutor kubernetes) {
            backends.kubernetes(kubernetes);
            return this;
        }

        /** STS client for verify's AssumeRoleWithWebIdentity (without it that check is skipped). */
        public Builder sts(StsClient sts) {
            backends.sts(sts);
            return this;
        }

        public Builder budget(ExecutionBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** How runs of one binding are serialised (default {@link StackLock#defaults()}: a Lease in {@code default}). */
        public Builder stackLock(StackLock stackLock) {
            this.stackLock = Objects.requireNonNull(stackLock, "stackLock");
            return this;
        }

        public Builder stackLock(Consumer<StackLock.Builder> stackLock) {
            return stackLock(StackLock.create(stackLock));
        }

        /** Sleeper for verify's backoff while IAM propagates (tests inject one that does not sleep). */
        public Builder sleeper(Sleeper sleeper) {
            backends.sleeper(sleeper);
            return this;
        }

        public Builder clock(Clock clock) {
            backends.clock(clock);
            return this;
        }

        /** How long verify rides out IAM propagation (default 2 minutes, like Terraform; not negative). */
        public Builder propagationTimeout(Duration timeout) {
            backends.propagationTimeout(Objects.requireNonNull(timeout, "timeout"));
            return this;
        }

        public Irsa build() {
            return new Irsa(this);
        }
    }
}

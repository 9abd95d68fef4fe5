package dev.irsa.gitlab.stack;

import dev.irsa.Irsa;
import dev.irsa.IrsaException;
import dev.irsa.ValidationException;
import dev.irsa.binding.VerifyReport;
import dev.irsa.binding.PlanLookups;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.helm.HelmChart;
import dev.irsa.gitlab.helm.HelmExecutor;
import dev.irsa.gitlab.stack.internal.StackResources;
import dev.irsa.gitlab.stack.internal.StackVerifier;
import dev.irsa.plan.ApplyListener;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.ObservationException;
import dev.irsa.plan.Plan;
import dev.irsa.plan.Planner;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The runner facade: plan, apply, verify and destroy {@link RunnerStack}s (a role binding plus a GitLab runner,
 * its token Secret, its Helm release and the pipeline file). It is built on irsa-core's {@link Irsa}, which does
 * the binding part, the stack lock and the re-plan of a stale plan; this class adds the runner's resources.
 *
 * <pre>{@code
 * RunnerStacks stacks = RunnerStacks.builder()
 *         .irsa(i -> i.aws(awsExecutor).kubernetes(kubernetesExecutor).sts(stsClient))
 *         .gitlab(gitLabExecutor).helm(helmExecutor).build();
 * System.out.println(stacks.plan(stack).render());
 * stacks.apply(stack, new ProgressPrinter(System.out)).orThrow();
 * System.out.println(stacks.verify(stack).render());
 * stacks.destroy(stack).orThrow();
 * // the walkthrough's "delete the roles in the evening, recreate them in the morning":
 * stacks.irsa().destroyIam(stack.binding()).orThrow();   // evening
 * stacks.irsa().applyIam(stack.binding()).orThrow();     // morning
 * }</pre>
 *
 * <p>Concurrent runs take the stack's lock ({@link dev.irsa.StackLock}) as {@link Irsa} does for a binding: a
 * second run of the same stack waits and then plans what the first one left.
 */
public final class RunnerStacks {
    private final Irsa irsa;
    private final GitLabExecutor gitlab;
    private final HelmExecutor helm;
    private final HelmChart chart;

    private RunnerStacks(Builder b) {
        if (b.irsa == null) {
            throw new IllegalStateException("RunnerStacks.builder().irsa(..) is needed: the facade the binding part runs on");
        }
        this.irsa = b.irsa;
        this.gitlab = Objects.requireNonNull(b.gitlab, "gitlab executor (RunnerStacks.builder().gitlab(..))");
        this.helm = Objects.requireNonNull(b.helm, "helm executor (RunnerStacks.builder().helm(..))");
        this.chart = b.chart;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The binding facade underneath (role bindings without a runner; the IAM part of a stack). */
    public Irsa irsa() {
        return irsa;
    }

    /** Observes everything and returns the ordered changes (nothing is changed). */
    public Plan plan(RunnerStack stack) {
        return planner(List.of(stack)).plan(stack.name(), stack.resources(stackBackends()));
    }

    public ApplyResult apply(RunnerStack stack) {
        return apply(stack, ApplyListener.NONE);
    }

    /** Plans and applies; re-applying an applied stack makes no changing call. */
    public ApplyResult apply(RunnerStack stack, ApplyListener listener) {
        return irsa.applyLocked(List.of(stack.name()), () -> plan(stack), listener);
    }

    /** Proves the stack works: the binding's checks, then the runner's (Secret, release, registration). */
    public VerifyReport verify(RunnerStack stack) {
        return StackVerifier.verify(stack, stackBackends());
    }

    /** What destroy would delete: irsa-owned objects only, dependents first. */
    public Plan destroyPlan(RunnerStack stack) {
        return planner(List.of(stack)).destroyPlan(stack.name(), stack.resources(stackBackends()));
    }

    public ApplyResult destroy(RunnerStack stack) {
        return destroy(stack, ApplyListener.NONE);
    }

    public ApplyResult destroy(RunnerStack stack, ApplyListener listener) {
        return irsa.applyLocked(List.of(stack.name()), () -> destroyPlan(stack), listener);
    }

    // ---- the IAM part only (OIDC provider + role), through the binding facade ----

    public Plan planIam(RunnerStack stack) {
        return irsa.planIam(stack.binding());
    }

    public ApplyResult applyIam(RunnerStack stack) {
        return applyIam(stack, ApplyListener.NONE);
    }

    /** Applies the stack's OIDC provider and role only (the morning half of the walkthrough's cron job). */
    public ApplyResult applyIam(RunnerStack stack, ApplyListener listener) {
        return irsa.applyIam(stack.binding(), listener);
    }

    public Plan destroyIamPlan(RunnerStack stack) {
        return irsa.destroyIamPlan(stack.binding());
    }

    public ApplyResult destroyIam(RunnerStack stack) {
        return destroyIam(stack, ApplyListener.NONE);
    }

    /** Deletes the stack's role (and its OIDC provider unless another role still trusts it); re-runnable. */
    public ApplyResult destroyIam(RunnerStack stack, ApplyListener listener) {
        return irsa.destroyIam(stack.binding(), listener);
    }

    /**
     * Applies several stacks (e.g. {@link RunnerStack#expand()}) as one plan, within the budget: what they share
     * (their cluster's OIDC provider, a namespace) is observed and changed once. Results are per stack, in the
     * order of {@code stacks}; a shared change is reported in the first stack that has it. A stack that cannot be
     * planned (an observation failed, lint refused it...) is not applied and gets an {@link ApplyResult#notPlanned}
     * result naming the error; the others are planned again without it and applied. Every stack's lock is held
     * throughout (taken in name order).
     *
     * @throws dev.irsa.plan.PlanRefusedException if a planned stack refuses a change; nothing is applied then
     */
    public List<ApplyResult> applyAll(List<RunnerStack> stacks, ApplyListener listener) {
        return runAll(stacks, Plan.Mode.APPLY, listener);
    }

    /** Destroys several stacks as one plan: a shared OIDC provider is deleted once, after the last role trusting it. */
    public List<ApplyResult> destroyAll(List<RunnerStack> stacks, ApplyListener listener) {
        return runAll(stacks, Plan.Mode.DESTROY, listener);
    }

    /** The backends handed to resources (for callers composing their own plans). */
    public StackBackends stackBackends() {
        return new StackBackends(irsa.bindingBackends(), gitlab, helm, chart);
    }

    private List<ApplyResult> runAll(List<RunnerStack> stacks, Plan.Mode mode, ApplyListener listener) {
        Objects.requireNonNull(listener, "listener");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < stacks.size(); i++) {
            if (!names.add(stacks.get(i).name())) {
                throw new ValidationException("stacks[" + i + "].name", stacks.get(i).name(), "names one stack only");
            }
        }
        Map<RunnerStack, IrsaException> notPlanned = new LinkedHashMap<>();
        Map<RunnerStack, List<ResourceId>> idsOf = new LinkedHashMap<>();
        ApplyResult all = irsa.applyLocked(names, () -> planAll(stacks, mode, notPlanned, idsOf), listener);
        List<ApplyResult> results = new ArrayList<>();
        Set<ResourceId> reported = new HashSet<>();
        for (RunnerStack stack : stacks) {
            IrsaException failure = notPlanned.get(stack);
            if (failure != null) {
                results.add(ApplyResult.notPlanned(stack.name(), mode, failure));
                continue;
            }
            List<ResourceId> own = idsOf.get(stack).stream().filter(reported::add).toList();
            results.add(all.part(stack.name(), own));
        }
        return results;
    }

    /**
     * One plan of every stack that can be planned. A stack whose resources cannot be made, or whose (or a shared)
     * resource cannot be observed, is set aside with its error and the rest is planned again.
     */
    private Plan planAll(List<RunnerStack> stacks, Plan.Mode mode, Map<RunnerStack, IrsaException> notPlanned,
                         Map<RunnerStack, List<ResourceId>> idsOf) {
        StackBackends backends = stackBackends();
        PlanLookups lookups = PlanLookups.create(backends.binding().aws());
        notPlanned.clear();
        idsOf.clear();
        Map<RunnerStack, List<Resource>> resourcesOf = new LinkedHashMap<>();
        for (RunnerStack stack : stacks) {
            try {
                stack.lint().throwIfErrors();
                resourcesOf.put(stack, StackResources.create(stack, backends, lookups));
            } catch (IrsaException e) {
                notPlanned.put(stack, e);
            }
        }
        String name = stacks.size() == 1 ? stacks.get(0).name() : stacks.size() + " stacks";
        while (true) {
            List<Resource> resources = new ArrayList<>();
            resourcesOf.values().forEach(resources::addAll);
            Planner planner = planner(List.copyOf(resourcesOf.keySet()));
            try {
                Plan plan = mode == Plan.Mode.APPLY ? planner.plan(name, resources) : planner.destroyPlan(name, resources);
                resourcesOf.forEach((stack, own) -> idsOf.put(stack, own.stream().map(Resource::id).toList()));
                return plan;
            } catch (ObservationException e) {
                List<RunnerStack> failed = resourcesOf.entrySet().stream()
                        .filter(entry -> entry.getValue().stream().anyMatch(r -> r.id().equals(e.resource())))
                        .map(Map.Entry::getKey).toList();
                if (failed.isEmpty()) {
                    throw e;
                }
                failed.forEach(stack -> {
                    notPlanned.put(stack, e);
                    resourcesOf.remove(stack);
                });
            }
        }
    }

    /** The stacks' adoptions: the release, the pipeline file, the service account (and its association). */
    private Planner planner(List<RunnerStack> stacks) {
        List<ResourceId> adopt = new ArrayList<>();
        for (RunnerStack stack : stacks) {
            if (stack.runner().adoptRelease()) {
                adopt.add(StackResources.releaseId(stack));
            }
            stack.pipeline().filter(PipelineSettings::adopt).ifPresent(p -> adopt.add(StackResources.pipelineFileId(stack, p)));
            adopt.addAll(stack.binding().adoptedResourceIds());
        }
        return irsa.planner(adopt);
    }

    public static final class Builder {
        private Irsa irsa;
        private GitLabExecutor gitlab;
        private HelmExecutor helm;
        private HelmChart chart = HelmChart.gitlabRunner();

        private Builder() {
        }

        /** The binding facade the stacks run on (its executors, budget and stack lock). */
        public Builder irsa(Irsa irsa) {
            this.irsa = Objects.requireNonNull(irsa, "irsa");
            return this;
        }

        public Builder irsa(Consumer<Irsa.Builder> irsa) {
            return irsa(Irsa.create(irsa));
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

        public RunnerStacks build() {
            return new RunnerStacks(this);
        }
    }
}

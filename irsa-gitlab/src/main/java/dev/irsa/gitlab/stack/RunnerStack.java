package dev.irsa.gitlab.stack;

import dev.irsa.ValidationException;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.ServiceAccountSpec;
import dev.irsa.gitlab.runner.RunnerValues;
import dev.irsa.gitlab.runner.RunnerValuesLint;
import dev.irsa.gitlab.stack.internal.StackResources;
import dev.irsa.gitlab.stack.internal.StackYaml;
import dev.irsa.lint.Finding;
import dev.irsa.lint.LintReport;
import dev.irsa.plan.Resource;
import dev.irsa.validation.Validators;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The whole walkthrough as one spec: a {@link RoleBinding} (cluster, identity, role, service account),
 * the GitLab runner whose job pods run under that service account, and an optional pipeline file.
 * Immutable, built fluently or read from YAML; one spec can hold several environments.
 *
 * <pre>{@code
 * RunnerStack stack = RunnerStack.builder()
 *         .name("seed")
 *         .binding(b -> b.eksCluster("devops", "eu-west-1")
 *                 .role(r -> r.name("eks-cluster-role").inlinePolicy("eks-admin", adminPolicy))
 *                 .serviceAccount("dev", "app-deployer")
 *                 .acceptLint("IRSA-P002@eks-admin"))
 *         .runner(r -> r.gitlabUrl("https://gitlab.com").project("group/project").tags("k8s-dev-runner")
 *                 .releaseName("app-dev-runner").nodeSelector("nodepool", "dev"))
 *         .pipeline(p -> p.content(gitlabCiYaml))
 *         .build();
 * RunnerStack same = RunnerStack.fromYaml(Path.of("examples/stacks/seed.yaml"));
 * }</pre>
 *
 * <p>Plan resources: the binding's (OIDC provider → role → namespace → service account) then
 * {@code gitlab.runner} → {@code kubernetes.secret} (the runner token) → {@code helm.release} →
 * {@code gitlab.file} (the pipeline).
 */
public final class RunnerStack {
    private final String name;
    private final RoleBinding binding;
    private final RunnerSettings runner;
    private final Optional<PipelineSettings> pipeline;
    private final Map<String, Environment> environments;

    private RunnerStack(Builder b) {
        this.name = Validators.dns1123Label("stack.name", b.name);
        if (b.binding == null) {
            throw new ValidationException("binding", null, "a stack needs a role binding");
        }
        // The binding carries the stack's name in its ownership marks.
        this.binding = b.binding.name().equals(name) ? b.binding : b.binding.toBuilder().name(name).build();
        if (binding.mode() == IdentityMode.GITLAB_OIDC || binding.serviceAccount().isEmpty()) {
            throw new ValidationException("binding.mode", binding.mode(), "a runner stack binds the role to the job pods' service account (IRSA or POD_IDENTITY)");
        }
        if (b.runner == null) {
            throw new ValidationException("runner", null, "a stack needs a runner");
        }
        this.runner = b.runner;
        this.pipeline = Optional.ofNullable(b.pipeline);
        this.environments = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(b.environments));
        if (pipeline.isPresent() && pipeline.get().projectPath().isEmpty() && runner.projectPath().isEmpty()) {
            throw new ValidationException("pipeline.project", null, "a group runner's stack must name the pipeline's project");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static RunnerStack of(Consumer<Builder> stack) {
        Builder b = builder();
        stack.accept(b);
        return b.build();
    }

    /**
     * Reads a stack spec from YAML text; errors are {@link ValidationException}s naming the field. Aliases
     * mean the anchored node; duplicate keys, a second document and specs over 3 MiB are refused.
     */
    public static RunnerStack fromYaml(String yaml) {
        return StackYaml.read(yaml);
    }

    /** Reads a stack spec file; one over 3 MiB is refused by its size, before it is read. */
    public static RunnerStack fromYaml(Path file) {
        return fromYaml(StackYaml.text(file));
    }

    /** Reads a stack spec from a stream, at most 3 MiB of it: a longer one is refused without reading the rest. */
    public static RunnerStack fromYaml(InputStream in) {
        return fromYaml(StackYaml.text(in));
    }

    public Builder toBuilder() {
        Builder b = new Builder().name(name).binding(binding).runner(runner);
        pipeline.ifPresent(b::pipeline);
        b.environments.putAll(environments);
        return b;
    }

    public String name() {
        return name;
    }

    public RoleBinding binding() {
        return binding;
    }

    public RunnerSettings runner() {
        return runner;
    }

    public Optional<PipelineSettings> pipeline() {
        return pipeline;
    }

    public Map<String, Environment> environments() {
        return environments;
    }

    /** The service account job pods run under (the binding's). */
    public ServiceAccountSpec jobServiceAccount() {
        return binding.serviceAccount().orElseThrow();
    }

    /** Namespace of the Helm release and the runner token Secret. */
    public String releaseNamespace() {
        return runner.releaseNamespace().orElse(jobServiceAccount().namespace());
    }

    /** The gitlab-runner chart values: jobs run in the binding's namespace under its service account. */
    public RunnerValues runnerValues() {
        ServiceAccountSpec sa = jobServiceAccount();
        RunnerValues.Builder values = RunnerValues.builder()
                .gitlabUrl(runner.gitlabUrl())
                .runnerSecretName(runner.secretName())
                .ownerStack(name)
                .jobs(j -> {
                    j.namespace(sa.namespace()).serviceAccount(sa.name()).privileged(runner.privileged());
                    runner.image().ifPresent(j::image);
                    if (!runner.nodeSelector().isEmpty()) {
                        j.nodeSelector(runner.nodeSelector());
                    }
                });
        runner.concurrent().ifPresent(values::concurrent);
        return values.build();
    }

    /** The pipeline file's content, if the stack has one. */
    public Optional<String> pipelineYaml() {
        return pipeline.map(PipelineSettings::content);
    }

    /** Lints the binding (policies) and the runner values against the binding; accepted ids are marked. */
    public LintReport lint() {
        List<Finding> findings = new ArrayList<>(binding.lint().findings());
        findings.addAll(RunnerValuesLint.lint(runnerValues(), jobServiceAccount().namespace(), jobServiceAccount().name()));
        return new LintReport(findings).accept(binding.acceptedLintIds().toArray(String[]::new));
    }

    /**
     * One stack per environment ({@code <name>-<environment>}); the stack itself when it declares none.
     * Environments share the base's OIDC provider (marked with the base name).
     */
    public List<RunnerStack> expand() {
        if (environments.isEmpty()) {
            return List.of(this);
        }
        List<RunnerStack> out = new ArrayList<>();
        environments.values().forEach(env -> out.add(environment(env)));
        return List.copyOf(out);
    }

    private RunnerStack environment(Environment env) {
        String stackName = name + "-" + env.name();
        ServiceAccountSpec sa = jobServiceAccount();
        RoleBinding.Builder b = binding.toBuilder().name(stackName).providerOwner(binding.providerOwner());
        env.namespace().ifPresent(ns -> b.serviceAccount(sa.withNamespace(ns)));
        env.roleName().ifPresent(r -> b.role(role -> role.name(r)));
        RunnerSettings.Builder r = runner.toBuilder();
        env.tags().ifPresent(r::tags);
        env.nodePool().ifPresent(p -> r.nodeSelector(Environment.NODE_POOL_LABEL, p));
        env.releaseName().ifPresent(r::releaseName);
        if (runner.releaseNamespace().isPresent() && env.namespace().isPresent()) {
            r.releaseNamespace(env.namespace().get());
        }
        Builder stack = new Builder().name(stackName).binding(b.build()).runner(r.build());
        env.pipelineBranch().flatMap(branch -> pipeline.map(p -> new PipelineSettings(p.projectPath(), branch, p.path(),
                p.content(), p.commitMessage(), p.adopt()))).ifPresent(stack::pipeline);
        return stack.build();
    }

    /** Plan resources of the whole stack (binding, runner, token Secret, Helm release, pipeline file). */
    public List<Resource> resources(StackBackends backends) {
        lint().throwIfErrors();
        return StackResources.create(this, backends);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunnerStack other && name.equals(other.name) && binding.equals(other.binding)
                && runner.equals(other.runner) && pipeline.equals(other.pipeline) && environments.equals(other.environments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, binding, runner, pipeline, environments);
    }

    @Override
    public String toString() {
        return "RunnerStack{" + name + ", " + binding + ", runner " + runner.releaseName() + " " + runner.tags()
                + (environments.isEmpty() ? "" : ", environments " + environments.keySet()) + "}";
    }

    public static final class Builder {
        private String name;
        private RoleBinding binding;
        private RoleBinding.Builder bindingBuilder;
        private RunnerSettings runner;
        private PipelineSettings pipeline;
        private final Map<String, Environment> environments = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder binding(RoleBinding binding) {
            this.binding = binding;
            return this;
        }

        /** Configures the binding; its name is set to the stack's. */
        public Builder binding(Consumer<RoleBinding.Builder> binding) {
            RoleBinding.Builder b = RoleBinding.builder();
            binding.accept(b);
            this.bindingBuilder = b;
            return this;
        }

        public Builder runner(RunnerSettings runner) {
            this.runner = runner;
            return this;
        }

        public Builder runner(Consumer<RunnerSettings.Builder> runner) {
            return runner(RunnerSettings.of(runner));
        }

        public Builder pipeline(PipelineSettings pipeline) {
            this.pipeline = pipeline;
            return this;
        }

        public Builder pipeline(Consumer<PipelineSettings.Builder> pipeline) {
            return pipeline(PipelineSettings.of(pipeline));
        }

        public Builder environment(Environment environment) {
            environments.put(environment.name(), environment);
            return this;
        }

        public Builder environment(String name, Consumer<Environment.Builder> environment) {
            return environment(Environment.of(name, environment));
        }

        public RunnerStack build() {
            Validators.dns1123Label("stack.name", name);
            if (bindingBuilder != null) {
                binding = bindingBuilder.name(name).build();
                bindingBuilder = null;
            }
            return new RunnerStack(this);
        }
    }
}

package dev.irsa.examples;

import dev.irsa.Irsa;
import dev.irsa.IrsaEndpoints;
import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.gitlab.stack.StackEndpoints;
import dev.irsa.gitlab.stack.StackSpec;
import dev.irsa.StackLock;
import dev.irsa.gitlab.stack.RunnerStacks;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.testing.IrsaSandbox;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a stack is planned and applied: the embedded sandbox, or real AWS / Kubernetes / GitLab / Helm.
 * Either way the same facades ({@link Irsa} for bindings, {@link RunnerStacks} for runner stacks) run the same
 * code; the sandbox only swaps the executors and
 * points the stack's GitLab URL (and a pre-resolved cluster issuer) at the fakes.
 *
 * <pre>{@code
 * try (IrsaTarget target = IrsaTarget.sandbox(stack)) {
 *     RunnerStack onSandbox = target.adapt(stack);
 *     System.out.println(target.stacks().plan(onSandbox).render());
 * }
 * }</pre>
 */
public final class IrsaTarget implements AutoCloseable {
    private final Irsa irsa;
    private final Optional<RunnerStacks> stacks;
    private final Optional<IrsaSandbox> sandbox;
    private final List<AutoCloseable> resources;

    private IrsaTarget(Irsa irsa, Optional<RunnerStacks> stacks, Optional<IrsaSandbox> sandbox, List<AutoCloseable> resources) {
        this.irsa = irsa;
        this.stacks = stacks;
        this.sandbox = sandbox;
        this.resources = resources;
    }

    private IrsaTarget(RunnerStacks stacks, Optional<IrsaSandbox> sandbox, List<AutoCloseable> resources) {
        this(stacks.irsa(), Optional.of(stacks), sandbox, resources);
    }

    /**
     * A fresh sandbox shaped like the stack: its cluster name, region and (when given) account, and a GitLab
     * project with the stack's project path. The sandbox starts empty.
     */
    public static IrsaTarget sandbox(RunnerStack stack) {
        ClusterRef cluster = stack.binding().cluster().orElseThrow(() -> new ValidationException("cluster", null, "a cluster for the sandbox"));
        IrsaSandbox.Builder b = IrsaSandbox.builder()
                .region(cluster.region().orElse(WalkthroughArtifacts.REGION))
                .clusterName(cluster.clusterName().orElse(WalkthroughArtifacts.CLUSTER))
                .account(cluster.accountId().or(() -> stack.binding().accountId()).orElse(WalkthroughArtifacts.ACCOUNT));
        stack.runner().projectPath().ifPresent(b::gitlabProject);
        if (stack.runner().projectPath().isEmpty()) {
            throw new ValidationException("runner.group", stack.runner().groupPath().orElse(null),
                    "a project runner: the sandbox holds one GitLab project (use real endpoints for group runners)");
        }
        return started(b);
    }

    /**
     * A fresh sandbox for a spec: shaped like its runner stack, or, for role bindings without a runner, like the
     * first binding's cluster (name, region, account) and account. The sandbox starts empty.
     */
    public static IrsaTarget sandbox(StackSpec spec) {
        if (spec.runnerStack().isPresent()) {
            return sandbox(spec.runnerStack().get());
        }
        IrsaSandbox.Builder b = IrsaSandbox.builder();
        spec.bindings().stream().flatMap(binding -> binding.cluster().stream()).findFirst().ifPresent(c -> {
            c.region().ifPresent(b::region);
            c.clusterName().ifPresent(b::clusterName);
            c.accountId().ifPresent(b::account);
        });
        spec.bindings().stream().flatMap(binding -> binding.accountId().stream()).findFirst().ifPresent(b::account);
        return started(b);
    }

    /** Starts the sandbox (the mock server kept quiet) and the facades over it; closing the target closes it. */
    private static IrsaTarget started(IrsaSandbox.Builder settings) {
        Walkthrough.quietMockServer();
        IrsaSandbox sandbox = settings.start();
        return new IrsaTarget(sandboxIrsa(sandbox), Optional.of(sandbox), List.of(sandbox));
    }

    /** The runner facade over a running sandbox's executors; everything waits on its manual clock. */
    public static RunnerStacks sandboxIrsa(IrsaSandbox sandbox) {
        return RunnerStacks.builder()
                .irsa(i -> i.aws(sandbox.awsExecutor()).kubernetes(sandbox.kubernetesExecutor())
                        .sts(sandbox.sts()).clock(sandbox.clock()).sleeper(sandbox.sleeper())
                        .budget(ExecutionBudget.create(x -> x.clock(sandbox.clock()).sleeper(sandbox.sleeper()))))
                .gitlab(sandbox.gitLabExecutor()).helm(sandbox.helmExecutor())
                .build();
    }

    /**
     * Real endpoints, opened by irsa-gitlab's {@link StackEndpoints}: AWS from the default credentials chain
     * and region (or as set), Kubernetes from a kubeconfig/context or the default lookup, GitLab from its URL and
     * the token in {@code $IRSA_GITLAB_TOKEN}, Helm on the same kubeconfig. A missing piece is an
     * {@link dev.irsa.EndpointSetupException} before any call.
     */
    public static IrsaTarget endpoints(StackEndpoints.Builder endpoints) {
        StackEndpoints opened = endpoints.open();
        return new IrsaTarget(opened.stacks(), Optional.empty(), List.of(opened));
    }

    /**
     * Real AWS (and Kubernetes for the stack's lock and for verify) only, for the IAM part of a stack
     * ({@link Irsa#planIam}, {@link Irsa#applyIam}, {@link Irsa#destroyIam}, {@link Irsa#verify(RoleBinding)}; no
     * {@link #stacks()}):
     * no GitLab token is read and no GitLab or Helm client exists, so the evening/morning cycle runs where
     * only AWS credentials are. The kubeconfig is read but nothing connects until a call needs it.
     */
    public static IrsaTarget iamEndpoints(Consumer<IrsaEndpoints.Builder> endpoints, StackLock stackLock) {
        return bindingEndpoints(endpoints, stackLock, true);
    }

    /**
     * Real AWS, and Kubernetes when {@code withKubernetes} (service accounts, the stack lock), for role bindings
     * without a runner: no GitLab token is read, no GitLab or Helm client exists. Without Kubernetes (GitLab OIDC
     * roles only) no kubeconfig is looked for.
     */
    public static IrsaTarget bindingEndpoints(Consumer<IrsaEndpoints.Builder> endpoints, StackLock stackLock, boolean withKubernetes) {
        IrsaEndpoints.Builder settings = IrsaEndpoints.builder().stackLock(stackLock);
        if (!withKubernetes) {
            settings.withoutKubernetes();
        }
        endpoints.accept(settings);
        IrsaEndpoints opened = settings.open();
        return new IrsaTarget(opened.irsa(), Optional.empty(), Optional.empty(), List.of(opened));
    }

    /** Real endpoints from a fixed set of settings; the GitLab token is given. */
    public static IrsaTarget endpoints(Endpoints e) {
        Objects.requireNonNull(e, "endpoints");
        return endpoints(StackEndpoints.builder()
                .endpoints(core -> {
                    core.region(e.region());
                    e.awsEndpoint().ifPresent(core::awsEndpoint);
                    e.kubeconfig().ifPresent(core::kubeconfig);
                    e.context().ifPresent(core::context);
                })
                .gitlabUrl(e.gitlabUrl()).gitlabToken(e.gitlabToken())
                .allowInsecureHttp(e.allowInsecureHttp()).stackLock(e.stackLock()));
    }

    /** The same facade and sandbox, but closing the view closes nothing (several runs on one sandbox). */
    public IrsaTarget shared() {
        return new IrsaTarget(irsa, stacks, sandbox, List.of());
    }

    /** The binding facade (role bindings, and the IAM part of a stack). */
    public Irsa irsa() {
        return irsa;
    }

    /** The runner facade; not on a target opened with {@link #iamEndpoints} (no GitLab, no Helm there). */
    public RunnerStacks stacks() {
        return stacks.orElseThrow(() -> new IllegalStateException(
                "this target was opened for the IAM part only (--iam-only): it has no GitLab or Helm client"));
    }

    public Optional<IrsaSandbox> sandbox() {
        return sandbox;
    }

    /**
     * The stack as this target needs it: unchanged for real endpoints; on the sandbox the runner's GitLab
     * URL is the fake GitLab's (127.0.0.1), and a cluster given by issuer is looked up by name instead.
     */
    public RunnerStack adapt(RunnerStack stack) {
        if (sandbox.isEmpty()) {
            return stack;
        }
        IrsaSandbox s = sandbox.get();
        RoleBinding binding = stack.binding();
        RoleBinding.Builder b = binding.toBuilder();
        binding.cluster().ifPresent(c -> b.cluster(ClusterRef.eks(s.clusterName(), s.region())));
        return stack.toBuilder().binding(b.build())
                .runner(stack.runner().toBuilder().gitlabUrl(s.gitlabUrl()).build())
                .build();
    }

    /** The binding as this target needs it: unchanged for real endpoints; on the sandbox its cluster is the sandbox's. */
    public RoleBinding adapt(RoleBinding binding) {
        if (sandbox.isEmpty() || binding.cluster().isEmpty()) {
            return binding;
        }
        return binding.toBuilder().cluster(ClusterRef.eks(sandbox.get().clusterName(), sandbox.get().region())).build();
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // closing is best effort; nothing to report to the user here
            }
        }
    }

    /**
     * Real endpoints; the GitLab token is a {@link SecretString} read from the environment by the caller.
     * {@code allowInsecureHttp} accepts a plain {@code http://} GitLab URL on a host that is not loopback.
     */
    public record Endpoints(String region, Optional<URI> awsEndpoint, Optional<Path> kubeconfig, Optional<String> context,
                            String gitlabUrl, SecretString gitlabToken, StackLock stackLock, boolean allowInsecureHttp) {
        public Endpoints {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(gitlabUrl, "gitlabUrl");
            Objects.requireNonNull(gitlabToken, "gitlabToken");
            Objects.requireNonNull(stackLock, "stackLock");
        }

        /** With the default stack lock (a Lease in {@code default}), https:// or loopback only. */
        public Endpoints(String region, Optional<URI> awsEndpoint, Optional<Path> kubeconfig, Optional<String> context,
                         String gitlabUrl, SecretString gitlabToken) {
            this(region, awsEndpoint, kubeconfig, context, gitlabUrl, gitlabToken, StackLock.defaults(), false);
        }
    }
}

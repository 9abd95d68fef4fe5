package dev.irsa.examples;

import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import dev.irsa.aws.AwsClients;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.ClusterRef;
import dev.irsa.binding.RoleBinding;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.api.GitLabTransport;
import dev.irsa.gitlab.helm.HelmJavaExecutor;
import dev.irsa.gitlab.stack.Irsa;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.gitlab.stack.StackLock;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.testing.IrsaSandbox;
import org.gitlab4j.api.GitLabApi;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a stack is planned and applied: the embedded sandbox, or real AWS / Kubernetes / GitLab / Helm.
 * Either way the same {@link Irsa} facade runs the same code; the sandbox only swaps the executors and
 * points the stack's GitLab URL (and a pre-resolved cluster issuer) at the fakes.
 *
 * <pre>{@code
 * try (IrsaTarget target = IrsaTarget.sandbox(stack)) {
 *     RunnerStack onSandbox = target.adapt(stack);
 *     System.out.println(target.irsa().plan(onSandbox).render());
 * }
 * }</pre>
 */
public final class IrsaTarget implements AutoCloseable {
    private final Irsa irsa;
    private final Optional<IrsaSandbox> sandbox;
    private final List<AutoCloseable> resources;

    private IrsaTarget(Irsa irsa, Optional<IrsaSandbox> sandbox, List<AutoCloseable> resources) {
        this.irsa = irsa;
        this.sandbox = sandbox;
        this.resources = resources;
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
        Walkthrough.quietMockServer();
        IrsaSandbox sandbox = b.start();
        return new IrsaTarget(sandboxIrsa(sandbox), Optional.of(sandbox), List.of(sandbox));
    }

    /** The facade over a running sandbox's executors; everything waits on its manual clock. */
    public static Irsa sandboxIrsa(IrsaSandbox sandbox) {
        return Irsa.builder().aws(sandbox.awsExecutor()).kubernetes(sandbox.kubernetesExecutor())
                .gitlab(sandbox.gitLabExecutor()).gitlabApi(sandbox.gitLabApi()).helm(sandbox.helmExecutor())
                .sts(sandbox.sts()).clock(sandbox.clock()).sleeper(sandbox.sleeper())
                .budget(ExecutionBudget.create(x -> x.clock(sandbox.clock()).sleeper(sandbox.sleeper())))
                .build();
    }

    /** Real endpoints. Credentials: AWS from the default provider chain, GitLab from {@code gitlabToken}, Kubernetes from the kubeconfig. */
    public static IrsaTarget endpoints(Endpoints e) {
        Objects.requireNonNull(e, "endpoints");
        List<AutoCloseable> open = new ArrayList<>();
        AwsClients.Builder clients = AwsClients.builder().region(e.region());
        e.awsEndpoint().ifPresent(clients::endpointOverride);
        AwsClients aws = clients.build();
        KubernetesExecutor.Builder k8s = KubernetesExecutor.builder();
        e.kubeconfig().ifPresent(k8s::kubeconfig);
        e.context().ifPresent(k8s::context);
        KubernetesExecutor kubernetes = k8s.build();
        open.add(kubernetes);
        GitLabConnection connection = GitLabConnection.builder().url(e.gitlabUrl()).accessToken(e.gitlabToken()).build();
        GitLabExecutor gitlab = new GitLabExecutor(connection);
        open.add(gitlab);
        GitLabApi gitlabApi = GitLabTransport.newGitLabApi(connection);
        open.add(gitlabApi::close);
        HelmJavaExecutor helm = e.kubeconfig().map(IrsaTarget::kubeconfigContents).map(HelmJavaExecutor::new).orElseGet(HelmJavaExecutor::new);
        Irsa irsa = Irsa.builder().aws(AwsExecutor.create(aws)).kubernetes(kubernetes).gitlab(gitlab).gitlabApi(gitlabApi)
                .helm(helm).sts(aws.sts()).propagationTimeout(Duration.ofMinutes(2)).stackLock(e.stackLock()).build();
        return new IrsaTarget(irsa, Optional.empty(), List.copyOf(open));
    }

    private static SecretString kubeconfigContents(Path file) {
        try {
            return SecretString.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new ValidationException("kubeconfig", file, "a readable kubeconfig file");
        }
    }

    public Irsa irsa() {
        return irsa;
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

    /** Real endpoints; the GitLab token is a {@link SecretString} read from the environment by the caller. */
    public record Endpoints(String region, Optional<URI> awsEndpoint, Optional<Path> kubeconfig, Optional<String> context,
                            String gitlabUrl, SecretString gitlabToken, StackLock stackLock) {
        public Endpoints {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(gitlabUrl, "gitlabUrl");
            Objects.requireNonNull(gitlabToken, "gitlabToken");
            Objects.requireNonNull(stackLock, "stackLock");
        }

        /** With the default stack lock (a Lease in {@code default}). */
        public Endpoints(String region, Optional<URI> awsEndpoint, Optional<Path> kubeconfig, Optional<String> context,
                         String gitlabUrl, SecretString gitlabToken) {
            this(region, awsEndpoint, kubeconfig, context, gitlabUrl, gitlabToken, StackLock.defaults());
        }
    }
}

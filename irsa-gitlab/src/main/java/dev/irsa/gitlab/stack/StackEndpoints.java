package dev.irsa.gitlab.stack;

import dev.irsa.EndpointSetupException;
import dev.irsa.IrsaEndpoints;
import dev.irsa.StackLock;
import dev.irsa.SecretString;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.helm.HelmExecutor;
import dev.irsa.gitlab.helm.HelmJavaExecutor;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.validation.Validators;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Real endpoints for runner stacks: {@link IrsaEndpoints} (AWS and Kubernetes) plus GitLab, from its URL and a
 * token in the environment variable {@value #DEFAULT_TOKEN_VARIABLE} (or given), and Helm on the same
 * kubeconfig and context as the Kubernetes executor. Hands out the {@link RunnerStacks} facade; closing it closes every
 * client it opened.
 *
 * <pre>{@code
 * try (StackEndpoints endpoints = StackEndpoints.builder()
 *         .endpoints(e -> e.region("eu-west-1").context("eks-dev"))
 *         .gitlabUrl("https://gitlab.example.com")      // token: $IRSA_GITLAB_TOKEN
 *         .open()) {
 *     RunnerStacks stacks = endpoints.stacks();
 *     System.out.println(stacks.plan(stack).render());
 * }
 * }</pre>
 *
 * <p>{@link Builder#open()} fails with an {@link dev.irsa.EndpointSetupException} before any remote call when the
 * token variable is unset (naming it), or when a kubeconfig, AWS credentials or a region is missing (see
 * {@link IrsaEndpoints}); a bad GitLab URL is a {@link dev.irsa.ValidationException}.
 */
public final class StackEndpoints implements AutoCloseable {
    /** Where the GitLab token is read from unless told otherwise. */
    public static final String DEFAULT_TOKEN_VARIABLE = "IRSA_GITLAB_TOKEN";

    private final IrsaEndpoints core;
    private final GitLabExecutor gitlab;
    private final HelmExecutor helm;
    private final RunnerStacks stacks;

    private StackEndpoints(IrsaEndpoints core, GitLabExecutor gitlab, HelmExecutor helm, RunnerStacks stacks) {
        this.core = core;
        this.gitlab = gitlab;
        this.helm = helm;
        this.stacks = stacks;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The runner facade over these endpoints ({@code stacks().irsa()} for role bindings on their own). */
    public RunnerStacks stacks() {
        return stacks;
    }

    /** AWS and Kubernetes (and the backends for role bindings without a runner). */
    public IrsaEndpoints core() {
        return core;
    }

    /** The only client that carries the GitLab token. */
    public GitLabExecutor gitlab() {
        return gitlab;
    }

    public HelmExecutor helm() {
        return helm;
    }

    @Override
    public void close() {
        try {
            gitlab.close();
        } finally {
            core.close();
        }
    }

    public static final class Builder {
        private Consumer<IrsaEndpoints.Builder> endpoints = e -> {
        };
        private String gitlabUrl;
        private SecretString gitlabToken;
        private String tokenVariable = DEFAULT_TOKEN_VARIABLE;
        private UnaryOperator<String> environment = System::getenv;
        private boolean allowInsecureHttp;
        private StackLock stackLock = StackLock.defaults();
        private ExecutionBudget budget;

        private Builder() {
        }

        /** AWS and Kubernetes settings (region, profile, kubeconfig, context, ...); all optional. */
        public Builder endpoints(Consumer<IrsaEndpoints.Builder> endpoints) {
            this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
            return this;
        }

        /** The GitLab instance, e.g. {@code https://gitlab.com}. Required. */
        public Builder gitlabUrl(String url) {
            this.gitlabUrl = url;
            return this;
        }

        /** The GitLab token itself, instead of reading it from the environment. */
        public Builder gitlabToken(SecretString token) {
            this.gitlabToken = Objects.requireNonNull(token, "gitlabToken");
            return this;
        }

        /** The environment variable holding the GitLab token (default {@value #DEFAULT_TOKEN_VARIABLE}). */
        public Builder gitlabTokenVariable(String name) {
            this.tokenVariable = Validators.notBlank("gitlab.tokenVariable", name);
            return this;
        }

        /** Where environment variables are read from (default: the process environment). */
        public Builder environment(UnaryOperator<String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** Accept a plain {@code http://} GitLab URL on a host that is not loopback (the token then crosses the network unencrypted). */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

        public Builder stackLock(StackLock stackLock) {
            this.stackLock = Objects.requireNonNull(stackLock, "stackLock");
            return this;
        }

        /** The facade's budget, also metering every AWS request (see {@link dev.irsa.aws.AwsClients.Builder#budget}). */
        public Builder budget(ExecutionBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * Checks the token and the GitLab URL, opens {@link IrsaEndpoints}, then GitLab and Helm.
         *
         * @throws EndpointSetupException when the token variable is unset or blank, or a core piece is missing
         */
        public StackEndpoints open() {
            // validated first (token present, URL https or loopback), before any client exists
            GitLabConnection connection = connection();
            IrsaEndpoints core = coreSettings().open();
            try {
                HelmExecutor helm = helm(core);
                GitLabExecutor gitlab = new GitLabExecutor(connection);
                RunnerStacks stacks = RunnerStacks.builder().irsa(core.irsa()).gitlab(gitlab).helm(helm).build();
                return new StackEndpoints(core, gitlab, helm, stacks);
            } catch (RuntimeException e) {
                core.close();
                throw e;
            }
        }

        /** The GitLab connection (token from the environment); throws EndpointSetupException when there is no token. */
        GitLabConnection connection() {
            return GitLabConnection.builder().url(gitlabUrl).accessToken(token()).allowInsecureHttp(allowInsecureHttp).build();
        }

        /** The AWS and Kubernetes settings, as {@link #open()} applies them. */
        Consumer<IrsaEndpoints.Builder> coreSettingsConsumer() {
            return e -> {
                endpoints.accept(e);
                e.stackLock(stackLock);
                if (budget != null) {
                    e.budget(budget);
                }
            };
        }

        StackLock stackLock() {
            return stackLock;
        }

        private IrsaEndpoints.Builder coreSettings() {
            IrsaEndpoints.Builder coreSettings = IrsaEndpoints.builder();
            coreSettingsConsumer().accept(coreSettings);
            return coreSettings;
        }

        private SecretString token() {
            if (gitlabToken != null) {
                return gitlabToken;
            }
            String value = environment.apply(tokenVariable);
            if (value == null || value.isBlank()) {
                throw new EndpointSetupException("gitlab.token", "no GitLab token",
                        List.of("environment variable " + tokenVariable + " (" + (value == null ? "unset" : "blank") + ")"),
                        "Set " + tokenVariable + " to a token with the create_runner scope; it is never taken from a flag");
            }
            return SecretString.of(value.strip());
        }

        /** Helm on the kubeconfig and context the Kubernetes executor uses. */
        static HelmExecutor helm(IrsaEndpoints core) {
            Optional<SecretString> kubeconfig = core.kubeconfigContents();
            if (kubeconfig.isPresent()) {
                return new HelmJavaExecutor(kubeconfig.get());
            }
            if (core.context().isPresent()) {
                throw new EndpointSetupException("helm.kubeconfig", "Helm takes one kubeconfig, so the context "
                        + core.context().get() + " cannot be chosen for it", List.of("$KUBECONFIG lists several files"),
                        "Pass the one kubeconfig file that holds the context (kubeconfig(Path), --kubeconfig)");
            }
            return new HelmJavaExecutor();   // Helm's own lookup: $KUBECONFIG or in-cluster, as fabric8's
        }
    }
}

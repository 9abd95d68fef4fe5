package dev.irsa;

import dev.irsa.aws.AwsClients;
import dev.irsa.aws.AwsExecutor;
import dev.irsa.binding.BindingBackends;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.plan.ExecutionBudget;
import dev.irsa.validation.Validators;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

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
import java.util.function.Consumer;

/**
 * Real AWS and Kubernetes, opened the way irsa builds its clients: AWS through {@link AwsClients}
 * (url-connection-client, standard retries, optional budget metering) from the SDK's default credentials
 * chain and region (or a given profile, region, provider), Kubernetes through {@link KubernetesExecutor}
 * from a kubeconfig file and context or fabric8's default lookup ({@code $KUBECONFIG}, {@code ~/.kube/config},
 * in-cluster service account). Closing it closes every client it opened.
 *
 * <pre>{@code
 * try (IrsaEndpoints endpoints = IrsaEndpoints.builder().region("eu-west-1").context("eks-dev").open()) {
 *     Irsa irsa = endpoints.irsa();
 *     System.out.println(irsa.plan(binding).render());
 * }
 * }</pre>
 *
 * <p>{@link Builder#open()} fails with an {@link EndpointSetupException} before any remote call when a piece is
 * missing: no kubeconfig (saying where it looked), no AWS credentials (naming the chain's sources; it asks the
 * chain once, and never shows what it found), no region (saying how to set one). An API server that does not
 * answer is reported on first use, with its URL.
 */
public final class IrsaEndpoints implements AutoCloseable {
    private final String region;
    private final AwsClients awsClients;
    private final AwsExecutor aws;
    private final StsClient sts;
    private final KubernetesExecutor kubernetes;
    private final Optional<Path> kubeconfigFile;
    private final Optional<String> context;
    private final Duration propagationTimeout;
    private final List<AutoCloseable> opened;
    private final Irsa irsa;

    private IrsaEndpoints(Builder b, String region, AwsClients awsClients, KubernetesExecutor kubernetes,
                          Optional<Path> kubeconfigFile, List<AutoCloseable> opened) {
        this.region = region;
        this.awsClients = awsClients;
        IamClient iam = awsClients.iam();
        this.sts = awsClients.sts();
        EksClient eks = awsClients.eks();
        opened.addAll(List.of(iam, sts, eks));
        this.aws = AwsExecutor.builder().iam(iam).sts(sts).eks(eks).build();
        this.kubernetes = kubernetes;
        this.kubeconfigFile = kubeconfigFile;
        this.context = Optional.ofNullable(b.context);
        this.propagationTimeout = b.propagationTimeout;
        this.opened = opened;
        Irsa.Builder facade = Irsa.builder().aws(aws).kubernetes(kubernetes).sts(sts).propagationTimeout(propagationTimeout)
                .stackLock(b.stackLock);
        if (b.budget != null) {
            facade.budget(b.budget);
        }
        this.irsa = facade.build();
    }

    /** The facade over these endpoints (AWS, Kubernetes, STS for verify; this budget and stack lock). */
    public Irsa irsa() {
        return irsa;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The AWS region of STS and EKS calls, as given or as the SDK's region chain found it. */
    public String region() {
        return region;
    }

    /** How the AWS clients are built (to build more of them the same way). */
    public AwsClients awsClients() {
        return awsClients;
    }

    public AwsExecutor aws() {
        return aws;
    }

    public StsClient sts() {
        return sts;
    }

    /**
     * The Kubernetes executor.
     *
     * @throws IllegalStateException when opened {@link Builder#withoutKubernetes() without Kubernetes}
     */
    public KubernetesExecutor kubernetes() {
        if (kubernetes == null) {
            throw new IllegalStateException("these endpoints were opened without Kubernetes (IrsaEndpoints.Builder.withoutKubernetes())");
        }
        return kubernetes;
    }

    /** The backends for role bindings over these endpoints: AWS, Kubernetes, STS (for verify). */
    public BindingBackends bindingBackends() {
        return BindingBackends.builder().aws(aws).kubernetes(kubernetes).sts(sts).propagationTimeout(propagationTimeout).build();
    }

    /**
     * The kubeconfig file the Kubernetes executor reads: the one given, or the only file the default lookup
     * found. Empty in-cluster, with a server from {@code KUBERNETES_MASTER}, or when {@code $KUBECONFIG} lists
     * several files (fabric8 merges them).
     */
    public Optional<Path> kubeconfigFile() {
        return kubeconfigFile;
    }

    /**
     * The kubeconfig as one document, for tools that take its contents (Helm): {@link #kubeconfigFile()}, with
     * its {@code current-context} set to {@link #context()} when one was chosen, so the tool talks to the same
     * cluster as the Kubernetes executor. Empty when there is no single file. It carries credentials.
     */
    public Optional<SecretString> kubeconfigContents() {
        return kubeconfigFile.map(file -> {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ValidationException("kubernetes.kubeconfig", file, "a readable kubeconfig file");
            }
            if (context.isEmpty()) {
                return SecretString.of(text);
            }
            KubernetesSerialization yaml = new KubernetesSerialization();
            io.fabric8.kubernetes.api.model.Config config;
            try {
                config = yaml.unmarshal(text, io.fabric8.kubernetes.api.model.Config.class);
            } catch (RuntimeException e) {
                // no cause and no detail: the parser's message may quote the file, which holds credentials
                throw new ValidationException("kubernetes.kubeconfig", file, "a kubeconfig YAML document");
            }
            config.setCurrentContext(context.get());
            return SecretString.of(yaml.asYaml(config));
        });
    }

    /** The kubeconfig context chosen instead of the file's current one, if any. */
    public Optional<String> context() {
        return context;
    }

    /** Closes every client it opened; all are closed even when one fails, whose error is then rethrown. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IrsaException("closing " + c.getClass().getSimpleName() + " failed", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing: the first error is the one to report
        }
    }

    /** What to open; every setting is optional. */
    public static final class Builder {
        private String region;
        private String profile;
        private AwsCredentialsProvider credentialsProvider;
        private URI awsEndpoint;
        private ExecutionBudget budget;
        private Path kubeconfig;
        private String context;
        private Consumer<KubernetesExecutor.Builder> kubernetesSettings = k -> {
        };
        private Duration propagationTimeout = Duration.ofMinutes(2);
        private StackLock stackLock = StackLock.defaults();
        // seams for tests: where the default chains and the kubeconfig lookup read from
        private AwsCredentialsProvider defaultCredentials;
        private AwsRegionProvider defaultRegion;
        private KubeconfigLookup kubeconfigLookup = KubeconfigLookup.system();
        private boolean withKubernetes = true;

        private Builder() {
        }

        /** The AWS region, e.g. {@code eu-west-1}; default: the SDK's chain ({@code AWS_REGION}, the profile's {@code region}, instance metadata). */
        public Builder region(String region) {
            this.region = Validators.region("aws.region", region);
            return this;
        }

        /** The AWS profile for credentials and region (default: {@code AWS_PROFILE}, else {@code default}). */
        public Builder profile(String profile) {
            this.profile = Validators.notBlank("aws.profile", profile);
            return this;
        }

        /**
         * AWS only: no kubeconfig is looked for and there is no Kubernetes executor (so no stack lock), for bindings
         * that need no cluster, e.g. GitLab OIDC roles for jobs on shared runners.
         */
        public Builder withoutKubernetes() {
            this.withKubernetes = false;
            return this;
        }

        /** How {@link #irsa()} serialises runs of one binding (default {@link StackLock#defaults()}). */
        public Builder stackLock(StackLock stackLock) {
            this.stackLock = Objects.requireNonNull(stackLock, "stackLock");
            return this;
        }

        /** Credentials other than the SDK's default chain. */
        public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
            this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
            return this;
        }

        /** Send every AWS call to this endpoint (e.g. an emulator on loopback). */
        public Builder awsEndpoint(URI endpoint) {
            this.awsEndpoint = Objects.requireNonNull(endpoint, "awsEndpoint");
            return this;
        }

        /** Meter every AWS request against this budget's rate limits (see {@link AwsClients.Builder#budget}). */
        public Builder budget(ExecutionBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** Read this kubeconfig file instead of the default lookup. */
        public Builder kubeconfig(Path kubeconfig) {
            this.kubeconfig = Objects.requireNonNull(kubeconfig, "kubeconfig");
            return this;
        }

        /** Use this kubeconfig context instead of the current one. */
        public Builder context(String context) {
            this.context = Validators.notBlank("kubernetes.context", context);
            return this;
        }

        /** Further Kubernetes executor settings (namespace, retries, sleeper); kubeconfig and context are set here. */
        public Builder kubernetes(Consumer<KubernetesExecutor.Builder> settings) {
            this.kubernetesSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** How long verify keeps retrying while IAM propagates a new role or trust (default 2 minutes). */
        public Builder propagationTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new ValidationException("propagationTimeout", timeout, "zero or positive");
            }
            this.propagationTimeout = timeout;
            return this;
        }

        Builder defaultCredentials(AwsCredentialsProvider chain) {
            this.defaultCredentials = chain;
            return this;
        }

        Builder defaultRegion(AwsRegionProvider chain) {
            this.defaultRegion = chain;
            return this;
        }

        Builder kubeconfigLookup(KubeconfigLookup lookup) {
            this.kubeconfigLookup = lookup;
            return this;
        }

        /**
         * Checks that every piece is there, then builds the clients (no remote change; the credentials chain
         * may call its sources, e.g. instance metadata).
         *
         * @throws EndpointSetupException when the kubeconfig, the AWS credentials or the region is missing
         */
        public IrsaEndpoints open() {
            KubernetesSide k8s = withKubernetes ? kubernetesSide() : new KubernetesSide(null, Optional.empty());
            List<AutoCloseable> opened = new ArrayList<>();
            if (k8s.executor() != null) {
                opened.add(k8s.executor());
            }
            try {
                AwsSide aws = awsSide();
                opened.addAll(aws.opened());
                return new IrsaEndpoints(this, aws.region(), aws.clients(), k8s.executor(), k8s.kubeconfigFile(), opened);
            } catch (RuntimeException e) {
                opened.forEach(IrsaEndpoints::closeQuietly);
                throw e;
            }
        }

        /** The Kubernetes executor and the kubeconfig file it read (empty in-cluster or when several are merged). */
        record KubernetesSide(KubernetesExecutor executor, Optional<Path> kubeconfigFile) {
        }

        /** The region, the AWS clients' builder and what must be closed with them (a default credentials chain). */
        record AwsSide(String region, AwsClients clients, List<AutoCloseable> opened) {
        }

        /** The Kubernetes half of {@link #open()}: reads the kubeconfig (or finds none), connects to nothing. */
        KubernetesSide kubernetesSide() {
            Optional<Path> kubeconfigFile = Optional.ofNullable(kubeconfig);
            if (kubeconfig != null && !KubeconfigLookup.isUsable(kubeconfig)) {
                throw new EndpointSetupException("kubernetes.kubeconfig", "no kubeconfig at " + kubeconfig,
                        List.of(kubeconfig + " is not a readable, non-empty file"), "Pass the path of a kubeconfig file");
            }
            if (kubeconfig == null) {
                List<Path> found = kubeconfigLookup.find().files();
                kubeconfigFile = found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
            }
            KubernetesExecutor.Builder k8s = KubernetesExecutor.builder();
            kubernetesSettings.accept(k8s);
            if (kubeconfig != null) {
                k8s.kubeconfig(kubeconfig);
            }
            if (context != null) {
                k8s.context(context);
            }
            return new KubernetesSide(k8s.build(), kubeconfigFile);   // reads the kubeconfig; connects to nothing yet
        }

        /** The AWS half of {@link #open()}: the region and the credentials, asked once (no AWS call). */
        AwsSide awsSide() {
            List<AutoCloseable> opened = new ArrayList<>();
            String resolvedRegion = region != null ? region : defaultRegion();
            AwsCredentialsProvider credentials = credentials();
            if (credentialsProvider == null && credentials instanceof AutoCloseable c) {
                opened.add(c);
            }
            AwsClients.Builder clients = AwsClients.builder().region(resolvedRegion).credentialsProvider(credentials);
            if (awsEndpoint != null) {
                clients.endpointOverride(awsEndpoint);
            }
            if (budget != null) {
                clients.budget(budget);
            }
            return new AwsSide(resolvedRegion, clients.build(), opened);
        }

        private String defaultRegion() {
            AwsRegionProvider chain = defaultRegion;
            if (chain == null) {
                DefaultAwsRegionProviderChain.Builder sdkChain = DefaultAwsRegionProviderChain.builder();
                chain = (profile == null ? sdkChain : sdkChain.profileName(profile)).build();
            }
            try {
                return Validators.region("aws.region", chain.getRegion().id());
            } catch (SdkException e) {
                throw new EndpointSetupException("aws.region", "no AWS region", List.of(
                        "system property aws.region", "$AWS_REGION",
                        "the region of profile " + profileName() + " in ~/.aws/config ($AWS_CONFIG_FILE)",
                        "EC2 instance metadata"),
                        "Pass a region (region(\"eu-west-1\"), --region), set AWS_REGION, or set region in the profile", e);
            }
        }

        /** The chain (or the given provider), asked once now so that missing credentials fail before any call. */
        private AwsCredentialsProvider credentials() {
            AwsCredentialsProvider provider = credentialsProvider != null ? credentialsProvider
                    : defaultCredentials != null ? defaultCredentials
                    : profile == null ? DefaultCredentialsProvider.builder().build()
                    : DefaultCredentialsProvider.builder().profileName(profile).build();
            try {
                provider.resolveCredentials();   // what it returns is dropped: it is never shown
            } catch (SdkException e) {
                List<String> sources = credentialsProvider != null ? List.of("the given credentials provider " + credentialsProvider.getClass().getSimpleName())
                        : List.of("system properties aws.accessKeyId / aws.secretAccessKey",
                        "$AWS_ACCESS_KEY_ID / $AWS_SECRET_ACCESS_KEY",
                        "web identity ($AWS_WEB_IDENTITY_TOKEN_FILE with $AWS_ROLE_ARN)",
                        "profile " + profileName() + " in ~/.aws/credentials and ~/.aws/config ($AWS_SHARED_CREDENTIALS_FILE, $AWS_CONFIG_FILE)",
                        "container credentials ($AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI)",
                        "EC2 instance metadata");
                throw new EndpointSetupException("aws.credentials", "no AWS credentials", sources,
                        "Set AWS_PROFILE (and run aws sso login if it is an SSO profile) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                                + "or run where a role is attached", e);
            }
            return provider;
        }

        private String profileName() {
            return profile != null ? profile : "$AWS_PROFILE (else default)";
        }
    }
}

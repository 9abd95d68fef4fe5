package dev.irsa.kubernetes;

import dev.irsa.Sleeper;
import dev.irsa.kubernetes.internal.AccessReviews;
import dev.irsa.kubernetes.internal.ConflictRetry;
import dev.irsa.kubernetes.internal.CredentialInjectionCheck;
import dev.irsa.kubernetes.internal.KubernetesValidation;
import dev.irsa.kubernetes.internal.NamespaceOperations;
import dev.irsa.kubernetes.internal.RunnerSecretOperations;
import dev.irsa.kubernetes.internal.ServiceAccountOperations;
import dev.irsa.kubernetes.internal.ServiceAccountTokens;
import dev.irsa.kubernetes.internal.StackLeases;
import dev.irsa.validation.Validators;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Kubernetes side of IRSA, over fabric8: namespace, service-account binding, runner-token Secret,
 * credential-injection check and service-account tokens. Every operation validates its input first, then
 * observes (read-only) or ensures (create when missing, JSON-merge-patch only what differs, retry on 409)
 * and returns a {@link Change} saying what it did; a second run with the same input changes nothing.
 *
 * <pre>{@code
 * try (KubernetesExecutor k8s = KubernetesExecutor.builder().kubeconfig(Path.of("kubeconfig")).context("eks-dev").build()) {
 *     k8s.ensureNamespace("gitlab-runner", "demo");
 *     Change c = k8s.ensureServiceAccount(ServiceAccountBinding.of(b -> b
 *             .namespace("gitlab-runner").name("ci-jobs").stack("demo")
 *             .roleArn("arn:aws:iam::123456789012:role/gitlab-jobs")));
 *     CredentialInjectionReport r = k8s.checkCredentialInjection("gitlab-runner", "ci-jobs");
 *     r.workloadsToRestart().forEach(k8s::restartWorkload);
 * }
 * }</pre>
 *
 * <p>Client selection as fabric8 users expect: {@link Builder#client(KubernetesClient)} (not closed by this
 * executor), an explicit kubeconfig file with optional context, or fabric8's default lookup
 * ({@code KUBECONFIG}, {@code ~/.kube/config}, in-cluster service account); {@link Builder#namespace}
 * overrides the default namespace of the chosen context. A client this executor builds comes from
 * {@link KubernetesClients} (without fabric8's wire logger, which prints tokens and Secret data at TRACE).
 */
public final class KubernetesExecutor implements AutoCloseable {
    private final KubernetesClient client;
    private final boolean ownsClient;
    private final NamespaceOperations namespaces;
    private final ServiceAccountOperations serviceAccounts;
    private final RunnerSecretOperations secrets;
    private final CredentialInjectionCheck injection;
    private final ServiceAccountTokens tokens;
    private final StackLeases leases;

    private KubernetesExecutor(Builder b, KubernetesClient client, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
        ConflictRetry retry = new ConflictRetry(b.sleeper, b.maxAttempts, b.retryDelay);
        this.namespaces = new NamespaceOperations(client, retry);
        this.serviceAccounts = new ServiceAccountOperations(client, retry);
        this.secrets = new RunnerSecretOperations(client, retry);
        this.injection = new CredentialInjectionCheck(client, b.clock);
        this.tokens = new ServiceAccountTokens(client);
        this.leases = new StackLeases(client, b.clock, b.sleeper);
    }

    /** An executor over a client you manage (it is not closed by {@link #close()}). */
    public static KubernetesExecutor of(KubernetesClient client) {
        return builder().client(client).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The API server this executor talks to, e.g. {@code https://ABCD.gr7.eu-west-1.eks.amazonaws.com/}. */
    public String serverUrl() {
        return client.getMasterUrl().toString();
    }

    /** The kubeconfig context the client was built from, when it came from a kubeconfig. */
    public Optional<String> contextName() {
        io.fabric8.kubernetes.api.model.NamedContext current = client.getConfiguration().getCurrentContext();
        return Optional.ofNullable(current).map(io.fabric8.kubernetes.api.model.NamedContext::getName);
    }

    /**
     * Whether the API server answers this client at all: one discovery read ({@code GET /apis}), which every
     * authenticated user may make. Empty when it does; otherwise what went wrong ({@code HTTP 401 Unauthorized},
     * {@code no answer from the API server https://…/ (ConnectException)}).
     */
    public Optional<String> reachability() {
        try {
            client.getApiGroups();
            return Optional.empty();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            return Optional.of(ConflictRetry.describe(client, e));
        }
    }

    /**
     * For each verb of each request, whether this client's identity may do it, by a
     * {@code SelfSubjectAccessReview} (nothing is tried). Throws {@link dev.irsa.IrsaException} when the API
     * server does not answer a review.
     */
    public List<AccessRequest.Decision> reviewAccess(List<AccessRequest> requests) {
        return new AccessReviews(client).review(requests);
    }

    /** The namespace of the selected context (or the {@link Builder#namespace} override). */
    public String defaultNamespace() {
        return client.getNamespace();
    }

    // ---- namespace

    /**
     * The namespace, whose it is and what it holds (one GET, then API discovery and one list per namespaced
     * type the API server serves). To know only whose it is, {@link #namespaceOwnership} makes the GET alone.
     */
    public NamespaceObservation observeNamespace(String namespace, String stack) {
        validateNamespace(namespace, stack);
        return namespaces.observe(namespace, stack);
    }

    /**
     * Why irsa must keep namespace {@code namespace}, which it created for {@code stack}, when destroying the
     * stack, e.g. {@code holds Service/web (not irsa's)}; empty when it may be deleted. Looks inside only
     * (API discovery, one list per namespaced type), not at the namespace object. {@code releasesRemovedFirst}
     * are the stack's Helm releases the destroy uninstalls before the namespace: their objects do not count.
     */
    public Optional<String> namespaceKeepReason(String namespace, String stack, Set<String> releasesRemovedFirst) {
        return namespaceKeepReason(namespace, stack, releasesRemovedFirst, Set.of());
    }

    /**
     * {@link #namespaceKeepReason(String, String, Set)} when one destroy removes several stacks' objects from
     * the namespace (many bindings in one plan): objects of {@code stacksRemovedFirst} do not keep it either.
     */
    public Optional<String> namespaceKeepReason(String namespace, String stack, Set<String> releasesRemovedFirst,
                                                Set<String> stacksRemovedFirst) {
        validateNamespace(namespace, stack);
        stacksRemovedFirst.forEach(other -> validateNamespace(namespace, other));
        return namespaces.keepReason(namespace, stack, Set.copyOf(releasesRemovedFirst), Set.copyOf(stacksRemovedFirst));
    }

    /**
     * Whose the namespace is (from its labels; {@link Ownership#ABSENT} when missing), with one GET and no
     * look inside: what planning needs. {@link #deleteNamespace} checks the contents itself.
     */
    public Ownership namespaceOwnership(String namespace, String stack) {
        validateNamespace(namespace, stack);
        return namespaces.ownership(namespace, stack);
    }

    /** Creates the namespace with irsa's labels when missing; leaves an existing one as it is. */
    public Change ensureNamespace(String namespace, String stack) {
        validateNamespace(namespace, stack);
        return namespaces.ensure(namespace, stack);
    }

    /**
     * Deletes the namespace only if irsa created it for {@code stack} and everything in it, across every
     * namespaced type the API server serves, is irsa's (deleted first), put there by Kubernetes or already
     * being deleted. Otherwise, and when that cannot be established (discovery or a list failed),
     * {@link Change.Action#KEPT} with the reason.
     */
    public Change deleteNamespace(String namespace, String stack) {
        validateNamespace(namespace, stack);
        return namespaces.delete(namespace, stack);
    }

    // ---- stack lock

    /**
     * Takes the stack's lock: a {@code coordination.k8s.io/v1} Lease {@code irsa-lock-<stack>} in {@code namespace}
     * held by {@code holder}. While another run's lease is live (renewed within its TTL) this waits, polling
     * with backoff, up to {@code wait}; a lease not renewed for its TTL (its holder died) is taken over.
     *
     * @throws StackLockedException when another run still holds it after {@code wait}
     */
    public StackLease lockStack(String namespace, String stack, String holder, Duration ttl, Duration wait) {
        validateNamespace(namespace, stack);
        Validators.notBlank("lock.holder", holder);
        if (ttl == null || ttl.toSeconds() < 1) {
            throw new dev.irsa.ValidationException("lock.ttl", String.valueOf(ttl), "at least 1 second");
        }
        if (wait == null || wait.isNegative()) {
            throw new dev.irsa.ValidationException("lock.wait", String.valueOf(wait), "zero or positive");
        }
        Instant renewedAt = leases.acquire(namespace, stack, holder, ttl, wait);
        return StackLease.held(leases, namespace, StackLeases.leaseName(stack), holder, ttl, renewedAt);
    }

    // ---- service account binding

    public ServiceAccountObservation observeServiceAccount(ServiceAccountBinding binding) {
        return serviceAccounts.observe(Objects.requireNonNull(binding, "binding"));
    }

    /**
     * Creates the service account with the binding, or patches what differs.
     *
     * @throws KubernetesOwnershipException when it exists without this stack's labels and {@code adopt} is off
     */
    public Change ensureServiceAccount(ServiceAccountBinding binding) {
        return serviceAccounts.ensure(Objects.requireNonNull(binding, "binding"));
    }

    /** Deletes the account if irsa created it; strips irsa's keys if irsa adopted it; otherwise KEPT. */
    public Change removeServiceAccountBinding(String namespace, String name, String stack) {
        validateNamespace(namespace, stack);
        Validators.serviceAccountName("serviceAccount.name", name);
        return serviceAccounts.remove(namespace, name, stack);
    }

    // ---- runner token secret

    public SecretObservation observeRunnerSecret(RunnerTokenSecret secret) {
        return secrets.observe(Objects.requireNonNull(secret, "secret"));
    }

    /**
     * Creates or updates the runner-token Secret.
     *
     * @throws KubernetesOwnershipException when it exists without this stack's labels and {@code adopt} is off
     */
    public Change ensureRunnerSecret(RunnerTokenSecret secret) {
        return secrets.ensure(Objects.requireNonNull(secret, "secret"));
    }

    /**
     * Records on the stack's runner-token Secret what irsa is about to write elsewhere (annotations
     * {@link IrsaMetadata#RUNNER_REGISTRATION_ANNOTATION}, {@link IrsaMetadata#PIPELINE_SHA256_ANNOTATION}; a
     * null value removes one), creating the Secret without a token when it is absent.
     *
     * @throws KubernetesOwnershipException when the Secret exists without this stack's labels
     */
    public Change recordOnRunnerSecret(String namespace, String name, String stack, java.util.Map<String, String> records) {
        validateNamespace(namespace, stack);
        Validators.dns1123Subdomain("runnerSecret.name", name);
        return secrets.record(namespace, name, stack, Objects.requireNonNull(records, "records"));
    }

    public Change deleteRunnerSecret(String namespace, String name, String stack) {
        validateNamespace(namespace, stack);
        Validators.dns1123Subdomain("runnerSecret.name", name);
        return secrets.delete(namespace, name, stack);
    }

    // ---- credential injection

    /** Pods using the service account that lack {@code AWS_ROLE_ARN}/{@code AWS_WEB_IDENTITY_TOKEN_FILE}. */
    public CredentialInjectionReport checkCredentialInjection(String namespace, String serviceAccount) {
        Validators.namespace("serviceAccount.namespace", namespace);
        Validators.serviceAccountName("serviceAccount.name", serviceAccount);
        return injection.check(namespace, serviceAccount);
    }

    /** {@code kubectl rollout restart} for a Deployment/StatefulSet/DaemonSet; KEPT for other kinds. */
    public Change restartWorkload(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        Validators.namespace("workload.namespace", workload.namespace());
        Validators.dns1123Subdomain("workload.name", workload.name());
        return injection.restart(workload);
    }

    /** Restarts every restartable workload in the report. */
    public List<Change> restartWorkloads(CredentialInjectionReport report) {
        List<Change> out = new ArrayList<>();
        report.workloadsToRestart().forEach(w -> out.add(restartWorkload(w)));
        return out;
    }

    // ---- tokens

    /** A token for the service account with audience {@code sts.amazonaws.com}, valid for {@code lifetime}. */
    public ServiceAccountToken requestToken(String namespace, String serviceAccount, Duration lifetime) {
        return requestToken(namespace, serviceAccount, IrsaMetadata.STS_AUDIENCE, lifetime);
    }

    public ServiceAccountToken requestToken(String namespace, String serviceAccount, String audience, Duration lifetime) {
        Validators.namespace("serviceAccount.namespace", namespace);
        Validators.serviceAccountName("serviceAccount.name", serviceAccount);
        KubernetesValidation.audience("token.audience", audience);
        KubernetesValidation.tokenExpiration("token.lifetime", lifetime);
        return tokens.request(namespace, serviceAccount, audience, lifetime);
    }

    /** Closes the client if this executor created it. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    private static void validateNamespace(String namespace, String stack) {
        Validators.namespace("namespace", namespace);
        KubernetesValidation.labelValue("stack", stack);
    }

    /** Chooses the client and the retry behaviour. */
    public static final class Builder {
        private KubernetesClient client;
        private Path kubeconfig;
        private String context;
        private String namespace;
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Clock clock = Clock.systemUTC();
        private int maxAttempts = 5;
        private Duration retryDelay = Duration.ofMillis(200);
        private Integer requestRetries;

        private Builder() {
        }

        /** Use this client; the executor will not close it. Excludes {@link #kubeconfig}/{@link #context}/{@link #namespace}. */
        public Builder client(KubernetesClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Read this kubeconfig file instead of fabric8's default lookup. */
        public Builder kubeconfig(Path kubeconfig) {
            this.kubeconfig = Objects.requireNonNull(kubeconfig, "kubeconfig");
            return this;
        }

        /** Use this kubeconfig context instead of the current one. */
        public Builder context(String context) {
            this.context = Validators.notBlank("kubernetes.context", context);
            return this;
        }

        /** Override the context's default namespace. */
        public Builder namespace(String namespace) {
            this.namespace = Validators.namespace("kubernetes.namespace", namespace);
            return this;
        }

        /** How to wait between conflict retries; tests pass one that does not sleep. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Source of the {@code restartedAt} timestamp. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Attempts per write when the API server answers 409 (at least 1; default 5). */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 20) {
                throw new dev.irsa.ValidationException("kubernetes.maxAttempts", maxAttempts, "between 1 and 20");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** First backoff delay; doubles per retry (default 200 ms). */
        public Builder retryDelay(Duration retryDelay) {
            this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
            return this;
        }

        /**
         * How often fabric8 sends a request again when the API server did not answer or answered 5xx (fabric8's
         * default: 10, backing off from 100 ms, about 20 s in all); 0 reports an unreachable server at once.
         */
        public Builder requestRetries(int retries) {
            if (retries < 0 || retries > 20) {
                throw new dev.irsa.ValidationException("kubernetes.requestRetries", retries, "between 0 and 20");
            }
            this.requestRetries = retries;
            return this;
        }

        public KubernetesExecutor build() {
            if (client != null) {
                if (kubeconfig != null || context != null || namespace != null || requestRetries != null) {
                    throw new dev.irsa.ValidationException("kubernetes.client", "given",
                            "a given client already has its configuration; do not combine it with kubeconfig/context/namespace/requestRetries");
                }
                return new KubernetesExecutor(this, client, false);
            }
            return new KubernetesExecutor(this, KubernetesClients.newClient(config()), true);
        }

        /** The fabric8 {@link Config} this builder selects (no connection is made). */
        public Config config() {
            Config base;
            if (kubeconfig != null) {
                if (!java.nio.file.Files.isRegularFile(kubeconfig) || !java.nio.file.Files.isReadable(kubeconfig)) {
                    throw new dev.irsa.ValidationException("kubernetes.kubeconfig", kubeconfig, "must be a readable kubeconfig file");
                }
                base = Config.fromKubeconfig(context, kubeconfig.toFile());
            } else {
                base = Config.autoConfigure(context);
            }
            if (namespace == null && requestRetries == null) {
                return base;
            }
            ConfigBuilder config = new ConfigBuilder(base);
            if (namespace != null) {
                config.withNamespace(namespace);
            }
            if (requestRetries != null) {
                config.withRequestRetryBackoffLimit(requestRetries);
            }
            return config.build();
        }
    }
}

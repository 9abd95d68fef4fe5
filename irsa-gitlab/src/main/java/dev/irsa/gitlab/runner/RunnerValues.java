package dev.irsa.gitlab.runner;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import dev.irsa.gitlab.api.GitLabValidators;
import dev.irsa.aws.Ownership;
import dev.irsa.gitlab.internal.Yaml;
import dev.irsa.gitlab.runner.internal.RunnersConfigModel;
import dev.irsa.validation.KubernetesValidators;
import dev.irsa.validation.Validators;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Helm values for the gitlab-runner chart 0.86.0, using only keys that chart reads. Job pods are
 * configured through {@code runners.config} (TOML, generated from a model), where
 * {@code [runners.kubernetes] service_account} is the IRSA job account — the point of the exercise.
 *
 * <pre>{@code
 * RunnerValues values = RunnerValues.builder()
 *         .gitlabUrl("https://gitlab.com/")
 *         .runnerSecretName("app-dev-runner-token")
 *         .jobs(j -> j.namespace("dev").serviceAccount("app-deployer").image("ubuntu:18.04")
 *                 .buildRequests(ResourceRequests.of("100m", "128Mi"))
 *                 .nodeSelector(Map.of("nodepool", "dev")))
 *         .build();
 * String yaml = values.toYaml();      // feed to Helm
 * }</pre>
 *
 * <p>The runner token never appears in {@link #toYaml()}: with {@link Builder#runnerSecretName} (the
 * default) it lives in a Kubernetes Secret; with {@link Builder#runnerToken} it is returned only by
 * {@link #secretValues()}, for the Helm executor to pass on.
 */
public final class RunnerValues {
    /** Default Secret name holding {@code runner-token} and {@code runner-registration-token}. */
    public static final String DEFAULT_SECRET_NAME = "gitlab-runner-token";
    /** The chart's key for labels on the runner Deployment; irsa puts its ownership marks there. */
    public static final String DEPLOYMENT_LABELS = "deploymentLabels";

    private final String gitlabUrl;
    private final String runnerSecretName;
    private final SecretString runnerToken;
    private final Jobs jobs;
    private final int concurrent;
    private final int checkIntervalSeconds;
    private final int terminationGracePeriodSeconds;
    private final boolean unregisterRunners;
    private final String imagePullPolicy;
    private final boolean metricsEnabled;
    private final Boolean managerServiceAccountCreate;
    private final String managerServiceAccountName;
    private final boolean rbacCreate;
    private final List<RbacRule> rbacRules;
    private final String ownerStack;

    private RunnerValues(Builder b) {
        this.gitlabUrl = GitLabValidators.gitlabUrl("gitlabUrl", b.gitlabUrl) + "/";
        if (b.runnerToken != null && b.runnerSecretName != null) {
            throw new ValidationException("runnerToken", "****", "give either runnerSecretName or runnerToken, not both");
        }
        this.runnerToken = b.runnerToken == null ? null : GitLabValidators.runnerToken("runnerToken", b.runnerToken);
        this.runnerSecretName = runnerToken != null ? null
                : Validators.dns1123Subdomain("runners.secret", b.runnerSecretName == null ? DEFAULT_SECRET_NAME : b.runnerSecretName);
        this.jobs = b.jobs.build();
        if (jobs.toModel().toToml().contains("{{")) {
            throw new ValidationException("runners.config", jobs.image, "the chart evaluates runners.config with Helm's tpl, "
                    + "so '{{' in a job setting (image, node selector, ...) would be run as a template; remove it");
        }
        this.concurrent = positive("concurrent", b.concurrent);
        this.checkIntervalSeconds = positive("checkInterval", b.checkIntervalSeconds);
        if (b.terminationGracePeriodSeconds < 0) {
            throw new ValidationException("terminationGracePeriodSeconds", b.terminationGracePeriodSeconds, "must be 0 or more");
        }
        this.terminationGracePeriodSeconds = b.terminationGracePeriodSeconds;
        this.unregisterRunners = b.unregisterRunners;
        if (!List.of("Always", "IfNotPresent", "Never").contains(b.imagePullPolicy)) {
            throw new ValidationException("imagePullPolicy", b.imagePullPolicy, "one of Always, IfNotPresent, Never");
        }
        this.imagePullPolicy = b.imagePullPolicy;
        this.metricsEnabled = b.metricsEnabled;
        this.managerServiceAccountCreate = b.managerServiceAccountCreate;
        this.managerServiceAccountName = b.managerServiceAccountName == null ? null
                : Validators.serviceAccountName("serviceAccount.name", b.managerServiceAccountName);
        this.rbacCreate = b.rbacCreate;
        this.rbacRules = List.copyOf(b.rbacRules);
        this.ownerStack = b.ownerStack == null ? null : Ownership.of(b.ownerStack).stack();
        if (rbacCreate && rbacRules.isEmpty()) {
            throw new ValidationException("rbac.rules", "[]", "with rbac.create the chart grants every verb on every resource "
                    + "when rules are empty; give rules (default: RbacRule.LEAST_PRIVILEGE)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.gitlabUrl = gitlabUrl;
        b.runnerSecretName = runnerSecretName;
        b.runnerToken = runnerToken;
        b.jobs = jobs.toBuilder();
        b.concurrent = concurrent;
        b.checkIntervalSeconds = checkIntervalSeconds;
        b.terminationGracePeriodSeconds = terminationGracePeriodSeconds;
        b.unregisterRunners = unregisterRunners;
        b.imagePullPolicy = imagePullPolicy;
        b.metricsEnabled = metricsEnabled;
        b.managerServiceAccountCreate = managerServiceAccountCreate;
        b.managerServiceAccountName = managerServiceAccountName;
        b.rbacCreate = rbacCreate;
        b.rbacRules = rbacRules;
        b.ownerStack = ownerStack;
        return b;
    }

    public String gitlabUrl() {
        return gitlabUrl;
    }

    /** The Secret the chart reads the token from; empty when the token is given inline. */
    public Optional<String> runnerSecretName() {
        return Optional.ofNullable(runnerSecretName);
    }

    public Jobs jobs() {
        return jobs;
    }

    public List<RbacRule> rbacRules() {
        return rbacRules;
    }

    public boolean rbacCreate() {
        return rbacCreate;
    }

    /** The irsa stack whose ownership marks label the runner Deployment ({@code deploymentLabels}), if any. */
    public Optional<String> ownerStack() {
        return Optional.ofNullable(ownerStack);
    }

    /** {@code runners.config}: gitlab-runner TOML generated from a model. */
    public String runnersConfigToml() {
        return jobs.toModel().toToml();
    }

    /** The values as a tree, without secrets. */
    public ObjectNode toTree() {
        ObjectNode root = Yaml.MAPPER.createObjectNode();
        root.put("imagePullPolicy", imagePullPolicy);
        root.put("gitlabUrl", gitlabUrl);
        root.put("unregisterRunners", unregisterRunners);
        root.put("terminationGracePeriodSeconds", terminationGracePeriodSeconds);
        root.put("concurrent", concurrent);
        root.put("checkInterval", checkIntervalSeconds);
        ObjectNode rbac = root.putObject("rbac");
        rbac.put("create", rbacCreate);
        if (rbacCreate) {
            ArrayNode rules = rbac.putArray("rules");
            for (RbacRule rule : rbacRules) {
                ObjectNode r = rules.addObject();
                rule.apiGroups().forEach(r.putArray("apiGroups")::add);
                rule.resources().forEach(r.putArray("resources")::add);
                rule.verbs().forEach(r.putArray("verbs")::add);
            }
        }
        if (managerServiceAccountCreate != null || managerServiceAccountName != null) {
            ObjectNode sa = root.putObject("serviceAccount");
            if (managerServiceAccountCreate != null) {
                sa.put("create", managerServiceAccountCreate);
            }
            if (managerServiceAccountName != null) {
                sa.put("name", managerServiceAccountName);
            }
        }
        root.putObject("metrics").put("enabled", metricsEnabled);
        if (ownerStack != null) {
            // irsa's own keys, next to the chart's labels; Helm's app.kubernetes.io/managed-by stays Helm's
            ObjectNode labels = root.putObject(DEPLOYMENT_LABELS);
            Ownership.of(ownerStack).tags().forEach(labels::put);
        }
        ObjectNode runners = root.putObject("runners");
        // the chart places job pods (and their RBAC) by jobNamespace; the TOML names the same namespace
        runners.put("jobNamespace", jobs.namespace);
        runners.put("config", runnersConfigToml());
        if (runnerSecretName != null) {
            runners.put("secret", runnerSecretName);
        }
        return root;
    }

    /** The values as YAML, without secrets. */
    public String toYaml() {
        return Yaml.write(toTree());
    }

    /**
     * Values that must reach Helm but never a file or a log: {@code runnerToken} when the token is given
     * inline. Empty in the default mode (token in a Secret).
     */
    public Map<String, SecretString> secretValues() {
        return runnerToken == null ? Map.of() : Map.of("runnerToken", runnerToken);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunnerValues other && toTree().equals(other.toTree())
                && secretValues().equals(other.secretValues());
    }

    @Override
    public int hashCode() {
        return toTree().hashCode();
    }

    @Override
    public String toString() {
        return "RunnerValues{gitlabUrl=" + gitlabUrl + ", jobs=" + jobs.namespace + "/" + jobs.serviceAccount
                + (runnerToken != null ? ", runnerToken=****" : ", runners.secret=" + runnerSecretName) + "}";
    }

    private static int positive(String field, int v) {
        if (v < 1) {
            throw new ValidationException(field, v, "must be 1 or more");
        }
        return v;
    }

    /**
     * Builds {@link RunnerValues}; defaults follow the chart except {@code rbac} (created, least privilege)
     * and {@code serviceAccount.create: true} (the chart asks for it to be set together with {@code rbac.create}).
     */
    public static final class Builder {
        private String gitlabUrl;
        private String runnerSecretName;
        private SecretString runnerToken;
        private Jobs.Builder jobs = Jobs.builder();
        private int concurrent = 10;
        private int checkIntervalSeconds = 3;
        private int terminationGracePeriodSeconds = 3600;
        private boolean unregisterRunners = true;
        private String imagePullPolicy = "IfNotPresent";
        private boolean metricsEnabled;
        private Boolean managerServiceAccountCreate = Boolean.TRUE;
        private String managerServiceAccountName;
        private boolean rbacCreate = true;
        private List<RbacRule> rbacRules = RbacRule.LEAST_PRIVILEGE;
        private String ownerStack;

        private Builder() {
        }

        /**
         * Marks the release as this irsa stack's: {@code deploymentLabels} gets {@code irsa.dev/managed-by: irsa}
         * and {@code irsa.dev/stack: <stack>}, which irsa reads back with {@code helm get values}. Null: no marks.
         */
        public Builder ownerStack(String stack) {
            this.ownerStack = stack;
            return this;
        }

        public Builder gitlabUrl(String gitlabUrl) {
            this.gitlabUrl = gitlabUrl;
            return this;
        }

        /** Name of the Secret holding {@code runner-token} (glrt-) and an empty {@code runner-registration-token}. */
        public Builder runnerSecretName(String name) {
            this.runnerSecretName = name;
            return this;
        }

        /** Inline token ({@code runnerToken}); it then lands in Helm's release Secret. Prefer {@link #runnerSecretName}. */
        public Builder runnerToken(SecretString token) {
            this.runnerToken = token;
            return this;
        }

        public Builder jobs(Jobs jobs) {
            this.jobs = jobs.toBuilder();
            return this;
        }

        public Builder jobs(Consumer<Jobs.Builder> jobs) {
            jobs.accept(this.jobs);
            return this;
        }

        Builder jobsBuilder(Jobs.Builder jobs) {
            this.jobs = jobs;
            return this;
        }

        public Builder concurrent(int concurrent) {
            this.concurrent = concurrent;
            return this;
        }

        public Builder checkIntervalSeconds(int seconds) {
            this.checkIntervalSeconds = seconds;
            return this;
        }

        public Builder terminationGracePeriodSeconds(int seconds) {
            this.terminationGracePeriodSeconds = seconds;
            return this;
        }

        public Builder unregisterRunners(boolean unregister) {
            this.unregisterRunners = unregister;
            return this;
        }

        public Builder imagePullPolicy(String policy) {
            this.imagePullPolicy = policy;
            return this;
        }

        public Builder metricsEnabled(boolean enabled) {
            this.metricsEnabled = enabled;
            return this;
        }

        /** The manager pod's own account ({@code serviceAccount.*}), not the job pods'. */
        public Builder managerServiceAccount(boolean create, String name) {
            this.managerServiceAccountCreate = create;
            this.managerServiceAccountName = name;
            return this;
        }

        public Builder rbacCreate(boolean create) {
            this.rbacCreate = create;
            return this;
        }

        public Builder rbacRules(List<RbacRule> rules) {
            this.rbacRules = List.copyOf(rules);
            return this;
        }

        public RunnerValues build() {
            return new RunnerValues(this);
        }
    }

    /** The {@code [runners.kubernetes]} section: where and as whom job pods run. */
    public static final class Jobs {
        private final String namespace;
        private final String serviceAccount;
        private final String image;
        private final boolean privileged;
        private final int pollTimeoutSeconds;
        private final ResourceRequests build;
        private final ResourceRequests service;
        private final ResourceRequests helper;
        private final Map<String, String> nodeSelector;

        private Jobs(Builder b) {
            this.namespace = Validators.namespace("jobs.namespace", b.namespace);
            this.serviceAccount = Validators.serviceAccountName("jobs.serviceAccount", b.serviceAccount);
            this.image = KubernetesValidators.imageReference("jobs.image", b.image);
            this.privileged = b.privileged;
            if (b.pollTimeoutSeconds < 1) {
                throw new ValidationException("jobs.pollTimeout", b.pollTimeoutSeconds, "must be 1 or more seconds");
            }
            this.pollTimeoutSeconds = b.pollTimeoutSeconds;
            this.build = b.build;
            this.service = b.service;
            this.helper = b.helper;
            this.nodeSelector = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(
                    KubernetesValidators.labels("jobs.nodeSelector", b.nodeSelector)));
        }

        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            Builder b = new Builder();
            b.namespace = namespace;
            b.serviceAccount = serviceAccount;
            b.image = image;
            b.privileged = privileged;
            b.pollTimeoutSeconds = pollTimeoutSeconds;
            b.build = build;
            b.service = service;
            b.helper = helper;
            b.nodeSelector = new LinkedHashMap<>(nodeSelector);
            return b;
        }

        public String namespace() {
            return namespace;
        }

        /** The IRSA job account: the service account annotated with the role ARN. */
        public String serviceAccount() {
            return serviceAccount;
        }

        public String image() {
            return image;
        }

        public boolean privileged() {
            return privileged;
        }

        public int pollTimeoutSeconds() {
            return pollTimeoutSeconds;
        }

        public Map<String, String> nodeSelector() {
            return nodeSelector;
        }

        RunnersConfigModel toModel() {
            return new RunnersConfigModel(List.of(new RunnersConfigModel.Runner(new RunnersConfigModel.Kubernetes(
                    namespace, image, privileged, pollTimeoutSeconds, serviceAccount,
                    build == null ? null : build.cpu(), build == null ? null : build.memory(),
                    service == null ? null : service.cpu(), service == null ? null : service.memory(),
                    helper == null ? null : helper.cpu(), helper == null ? null : helper.memory(),
                    nodeSelector.isEmpty() ? null : nodeSelector))));
        }

        public static final class Builder {
            private String namespace;
            private String serviceAccount;
            private String image = "alpine";
            private boolean privileged;
            private int pollTimeoutSeconds = 180;
            private ResourceRequests build;
            private ResourceRequests service;
            private ResourceRequests helper;
            private Map<String, String> nodeSelector = new LinkedHashMap<>();

            private Builder() {
            }

            public Builder namespace(String namespace) {
                this.namespace = namespace;
                return this;
            }

            /** The IRSA job account; take it from the same binding spec that trusts it. */
            public Builder serviceAccount(String serviceAccount) {
                this.serviceAccount = serviceAccount;
                return this;
            }

            public Builder image(String image) {
                this.image = image;
                return this;
            }

            public Builder privileged(boolean privileged) {
                this.privileged = privileged;
                return this;
            }

            public Builder pollTimeoutSeconds(int seconds) {
                this.pollTimeoutSeconds = seconds;
                return this;
            }

            public Builder buildRequests(ResourceRequests requests) {
                this.build = requests;
                return this;
            }

            public Builder serviceRequests(ResourceRequests requests) {
                this.service = requests;
                return this;
            }

            public Builder helperRequests(ResourceRequests requests) {
                this.helper = requests;
                return this;
            }

            /** Requests for build, service and helper containers alike. */
            public Builder allRequests(ResourceRequests requests) {
                return buildRequests(requests).serviceRequests(requests).helperRequests(requests);
            }

            public Builder nodeSelector(Map<String, String> nodeSelector) {
                this.nodeSelector = new LinkedHashMap<>(nodeSelector);
                return this;
            }

            public Jobs build() {
                return new Jobs(this);
            }
        }
    }
}

package dev.irsa.gitlab.stack.internal;


import dev.irsa.SecretString;
import dev.irsa.binding.PlanLookups;
import dev.irsa.binding.NamespaceResources;
import dev.irsa.gitlab.api.GitLabException;
import dev.irsa.gitlab.api.RunnerInfo;
import dev.irsa.gitlab.api.RunnerSpec;
import dev.irsa.gitlab.stack.PipelineSettings;
import dev.irsa.gitlab.stack.RunnerSettings;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.gitlab.stack.StackBackends;
import dev.irsa.kubernetes.Drift;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.RunnerTokenSecret;
import dev.irsa.kubernetes.SecretObservation;
import dev.irsa.plan.Action;
import dev.irsa.plan.ApplyContext;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Inputs;
import dev.irsa.plan.Observed;
import dev.irsa.plan.OutputKey;
import dev.irsa.plan.Outputs;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.Services;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/** The runner part of a stack as plan resources. */
public final class StackResources {
    public static final OutputKey<String> RUNNER_ID = OutputKey.of("runnerId", String.class);
    public static final OutputKey<SecretString> RUNNER_TOKEN = OutputKey.of("runnerToken", SecretString.class);
    /** Observed on an existing runner whose token irsa no longer holds (Secret gone): it must be registered again. */
    static final OutputKey<Boolean> TOKEN_LOST = OutputKey.of("tokenLost", Boolean.class);
    static final String STORED = "stored in Secret ";
    /** Placeholder used only to observe the Secret (the executor compares it; its value is never written). */
    static final SecretString PROBE = SecretString.of("irsa-observe-only");

    private StackResources() {
    }

    public static List<Resource> create(RunnerStack stack, StackBackends backends) {
        return create(stack, backends, PlanLookups.create(backends.binding().aws()));
    }

    /** {@link #create(RunnerStack, StackBackends)} with the account lookups of a plan of many stacks. */
    public static List<Resource> create(RunnerStack stack, StackBackends backends, PlanLookups lookups) {
        KubernetesExecutor k8s = backends.binding().requireKubernetes("the runner of stack " + stack.name());
        ResourceId releaseNamespace = NamespaceResources.id(stack.releaseNamespace());
        List<Resource> resources = new ArrayList<>(stack.binding().resources(backends.binding(), lookups));
        // The release's namespace must know the release goes first on destroy (its objects are not foreign then);
        // when it is the binding's namespace too, the planner merges the two.
        resources.add(NamespaceResources.of(stack.name(), stack.releaseNamespace(), k8s, Set.of(stack.runner().releaseName())));
        Scope scope = new Scope(stack, backends);
        RunnerResource runner = new RunnerResource(stack, backends.gitlab(), k8s, releaseNamespace, scope);
        TokenSecretResource secret = new TokenSecretResource(stack, k8s, runner.id(), releaseNamespace, scope);
        resources.add(runner);
        resources.add(secret);
        resources.add(new HelmReleaseResource(stack, backends, runner.id(), secret.id(), releaseNamespace,
                stack.binding().workloadResourceId().orElseThrow()));
        stack.pipeline().ifPresent(p -> resources.add(new PipelineFileResource(stack, p, backends, scope, runner.id(), secret.id())));
        return List.copyOf(resources);
    }

    public static ResourceId runnerId(RunnerStack stack) {
        return ResourceId.of("gitlab.runner", stack.name() + "/" + stack.runner().name());
    }

    public static ResourceId secretId(RunnerStack stack) {
        return ResourceId.of("kubernetes.secret", stack.releaseNamespace() + "/" + stack.runner().secretName());
    }

    public static ResourceId pipelineFileId(RunnerStack stack, PipelineSettings pipeline) {
        String project = pipeline.projectPath().orElseGet(() -> stack.runner().projectPath().orElseThrow());
        return ResourceId.of("gitlab.file", project + "/" + pipeline.branch() + "/" + pipeline.path());
    }

    public static ResourceId releaseId(RunnerStack stack) {
        return ResourceId.of("helm.release", stack.releaseNamespace() + "/" + stack.runner().releaseName());
    }

    /**
     * What the stack's resources share within one plan (read-only): the project/group ids, each path looked
     * up once, and the runner-token Secret, read once for the two resources that observe it.
     */
    static final class Scope {
        private final RunnerStack stack;
        private final StackBackends backends;
        private final Map<String, Long> projectIds = new HashMap<>();
        private Long groupId;
        private final Object secretLock = new Object();
        private SecretObservation sharedSecret;
        private final Set<ResourceId> secretTakenBy = new HashSet<>();

        Scope(RunnerStack stack, StackBackends backends) {
            this.stack = stack;
            this.backends = backends;
        }

        synchronized RunnerSpec runnerSpec() {
            RunnerSettings r = stack.runner();
            RunnerSpec.Builder b = runnerSpecBuilder();
            if (r.projectPath().isPresent()) {
                b.projectId(projectId(r.projectPath().get()));
            } else {
                if (groupId == null) {
                    groupId = backends.gitlab().groupId(r.groupPath().orElseThrow());
                }
                b.groupId(groupId);
            }
            return b.build();
        }

        synchronized long pipelineProjectId(PipelineSettings p) {
            return projectId(pipelineProjectPath(p));
        }

        String pipelineProjectPath(PipelineSettings p) {
            return p.projectPath().orElseGet(() -> stack.runner().projectPath().orElseThrow());
        }

        /**
         * Every setting the stack gives its runner in GitLab ({@link RunnerSpec#settings()}). They do not depend
         * on where the runner registers, so no project or group id is looked up for them.
         */
        SortedMap<String, String> runnerSettings() {
            return runnerSpecBuilder().instance().build().settings();
        }

        private RunnerSpec.Builder runnerSpecBuilder() {
            RunnerSettings r = stack.runner();
            return RunnerSpec.builder().stack(stack.name()).name(r.name()).tags(r.tags())
                    .runUntagged(r.runUntagged()).locked(r.locked()).protectedOnly(r.protectedOnly());
        }

        /**
         * Whether a runner read by its id is the stack's, where the stack wants it: its marker and, for a
         * project runner, assigned to the project's path as GitLab reports it (so no id lookup is needed);
         * a group or instance runner is checked against the looked-up spec.
         */
        boolean holds(RunnerInfo runner) {
            RunnerSettings r = stack.runner();
            if (r.projectPath().isPresent()) {
                return RunnerSpec.markedIn(RunnerSpec.marker(stack.name(), r.name()), runner.description())
                        && runner.assignedToProject(r.projectPath().get());
            }
            return runner.belongsTo(runnerSpec());
        }

        /** The runner's project and the pipeline's are usually the same path: one lookup serves both. */
        private long projectId(String path) {
            return projectIds.computeIfAbsent(path, backends.gitlab()::projectId);
        }

        /**
         * The runner-token Secret as {@code reader} (one of {@link #secretReaders()}) needs it during a plan:
         * the first reader reads it, the other takes that same observation, and once both have it is
         * dropped, so the next plan reads again. A reader asking twice (a second plan over the same resource
         * list) reads afresh too.
         */
        SecretObservation runnerSecret(ResourceId reader) {
            synchronized (secretLock) {
                if (sharedSecret == null || secretTakenBy.contains(reader)) {
                    sharedSecret = backends.binding().requireKubernetes("the runner of stack " + stack.name())
                            .observeRunnerSecret(secretSpec(stack, PROBE));
                    secretTakenBy.clear();
                }
                SecretObservation observed = sharedSecret;
                secretTakenBy.add(reader);
                if (secretTakenBy.containsAll(secretReaders())) {
                    sharedSecret = null;
                    secretTakenBy.clear();
                }
                return observed;
            }
        }

        /**
         * The resources observing the Secret: the runner (whose token and id it holds), the Secret itself and
         * the pipeline file (whose content hash it records).
         */
        Set<ResourceId> secretReaders() {
            Set<ResourceId> readers = new HashSet<>(Set.of(runnerId(stack), secretId(stack)));
            stack.pipeline().ifPresent(p -> readers.add(pipelineFileId(stack, p)));
            return readers;
        }
    }

    static RunnerTokenSecret secretSpec(RunnerStack stack, SecretString token) {
        return secretSpec(stack, token, Optional.empty());
    }

    /** With the id of the runner the token belongs to, recorded next to it (annotation {@code irsa.dev/runner-id}). */
    static RunnerTokenSecret secretSpec(RunnerStack stack, SecretString token, Optional<Long> runnerId) {
        return RunnerTokenSecret.of(s -> s.namespace(stack.releaseNamespace()).name(stack.runner().secretName())
                .stack(stack.name()).token(token).runnerId(runnerId));
    }

    /**
     * True when the Secret exists, is the stack's and holds both keys the chart needs (the token's value is
     * not readable here). A Secret missing either key cannot be repaired without the token, so the runner is
     * registered again.
     */
    static boolean secretHoldsToken(SecretObservation s) {
        return s.exists() && s.ownership().ownedByStack() && s.drift().stream()
                .noneMatch(d -> d.field().startsWith("data[") && d.actual() == null);
    }

    /** The Secret the chart reads the runner token from ({@code runner-token} + empty {@code runner-registration-token}). */
    static final class TokenSecretResource implements Resource {
        private final RunnerStack stack;
        private final KubernetesExecutor k8s;
        private final ResourceId runner;
        private final ResourceId namespace;
        private final Scope scope;

        TokenSecretResource(RunnerStack stack, KubernetesExecutor k8s, ResourceId runner, ResourceId namespace, Scope scope) {
            this.stack = stack;
            this.k8s = k8s;
            this.runner = runner;
            this.namespace = namespace;
            this.scope = scope;
        }

        @Override
        public ResourceId id() {
            return secretId(stack);
        }

        @Override
        public String service() {
            return Services.KUBERNETES;
        }

        @Override
        public Set<ResourceId> dependsOn() {
            return Set.of(runner, namespace);
        }

        @Override
        public Observed observe() {
            SecretObservation live = scope.runnerSecret(id());
            if (!live.exists()) {
                return Observed.absent();
            }
            Set<String> missing = new HashSet<>();
            for (Drift d : live.drift()) {
                if (d.actual() == null && d.field().startsWith("data[")) {
                    missing.add(d.field().substring(5, d.field().length() - 1));
                }
            }
            Fields fields = Fields.of(f -> f.put("keys", keys(missing)));
            return live.ownership().ownedByStack() ? Observed.owned(fields) : Observed.foreign(fields);
        }

        private static String keys(Set<String> missing) {
            List<String> present = new ArrayList<>();
            for (String key : List.of(RunnerTokenSecret.REGISTRATION_TOKEN_KEY, RunnerTokenSecret.RUNNER_TOKEN_KEY)) {
                if (!missing.contains(key)) {
                    present.add(key);
                }
            }
            return String.join(",", present);
        }

        @Override
        public Fields desired(Inputs inputs) {
            Fields.Builder f = Fields.builder().put("keys", keys(Set.of()));
            Optional<SecretString> token = inputs.output(runner, RUNNER_TOKEN);
            if (token.isPresent()) {
                f.putSensitive("runner-token", token.get());
            } else if (inputs.action(runner) == Action.CREATE || inputs.output(runner, TOKEN_LOST).orElse(false)) {
                f.putUnknown("runner-token");
            }
            // else: the runner is unchanged and its token cannot be read back: the stored one stays.
            return f.build();
        }

        @Override
        public Outputs apply(ApplyContext context) {
            Optional<SecretString> token = context.output(runner, RUNNER_TOKEN);
            if (token.isEmpty()) {
                // Only the keys drifted (e.g. the empty registration key was removed) and the token is not
                // readable: registering again is the only way to get a token to write.
                throw new IllegalStateException("Secret " + id() + " lost its keys and the runner token cannot be read back; "
                        + "delete the runner (or the Secret) and apply again to register a new one");
            }
            // The runner's id goes with its token: the next plan reads that runner directly and can tell
            // whether the token still belongs to it.
            Optional<Long> runnerId = context.output(runner, RUNNER_ID).map(Long::parseLong);
            k8s.ensureRunnerSecret(secretSpec(stack, token.get(), runnerId));
            return Outputs.none();
        }

        /** Left to the runner's delete when the runner goes too: the Secret records which runners are irsa's. */
        @Override
        public void delete(ApplyContext context) {
            if (context.action(runner) != Action.DELETE) {
                k8s.deleteRunnerSecret(stack.releaseNamespace(), stack.runner().secretName(), stack.name());
            }
        }
    }
}

package dev.irsa.gitlab.stack.internal;

import dev.irsa.SecretString;
import dev.irsa.binding.internal.BindingResources;
import dev.irsa.gitlab.api.GitLabException;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.api.GitLabValidators;
import dev.irsa.gitlab.api.RunnerInfo;
import dev.irsa.gitlab.api.RunnerSpec;
import dev.irsa.gitlab.helm.HelmExecutor;
import dev.irsa.gitlab.helm.HelmReleaseWithValues;
import dev.irsa.gitlab.helm.HelmReleaseRequest;
import dev.irsa.gitlab.internal.Yaml;
import dev.irsa.gitlab.runner.RunnerValues;
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
import dev.irsa.plan.FieldDiff;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Inputs;
import dev.irsa.plan.Observed;
import dev.irsa.plan.OutputKey;
import dev.irsa.plan.Outputs;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.Services;
import dev.irsa.plan.StalePlanException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.RepositoryFile;

/** The runner part of a stack as plan resources. */
public final class StackResources {
    public static final OutputKey<String> RUNNER_ID = OutputKey.of("runnerId", String.class);
    public static final OutputKey<SecretString> RUNNER_TOKEN = OutputKey.of("runnerToken", SecretString.class);
    /** Observed on an existing runner whose token irsa no longer holds (Secret gone): it must be registered again. */
    static final OutputKey<Boolean> TOKEN_LOST = OutputKey.of("tokenLost", Boolean.class);
    private static final String STORED = "stored in Secret ";
    /** Placeholder used only to observe the Secret (the executor compares it; its value is never written). */
    private static final SecretString PROBE = SecretString.of("irsa-observe-only");

    private StackResources() {
    }

    public static List<Resource> create(RunnerStack stack, StackBackends backends) {
        KubernetesExecutor k8s = backends.binding().requireKubernetes("the runner of stack " + stack.name());
        ResourceId releaseNamespace = BindingResources.namespaceId(stack.releaseNamespace());
        // The release's namespace must know the release goes first on destroy (its objects are not foreign then).
        Resource namespace = BindingResources.namespace(stack.name(), stack.releaseNamespace(), k8s, Set.of(stack.runner().releaseName()));
        List<Resource> resources = new ArrayList<>();
        for (Resource r : stack.binding().resources(backends.binding())) {
            resources.add(r.id().equals(releaseNamespace) ? namespace : r);
        }
        if (!stack.releaseNamespace().equals(stack.jobServiceAccount().namespace())) {
            resources.add(namespace);
        }
        Scope scope = new Scope(stack, backends);
        RunnerResource runner = new RunnerResource(stack, backends.gitlab(), scope);
        TokenSecretResource secret = new TokenSecretResource(stack, k8s, runner.id(), releaseNamespace, scope);
        resources.add(runner);
        resources.add(secret);
        resources.add(new HelmReleaseResource(stack, backends, secret.id(), releaseNamespace,
                stack.binding().workloadResourceId().orElseThrow()));
        stack.pipeline().ifPresent(p -> resources.add(new PipelineFileResource(stack, p, backends, scope, runner.id())));
        return List.copyOf(resources);
    }

    public static ResourceId runnerId(RunnerStack stack) {
        return ResourceId.of("gitlab.runner", stack.name() + "/" + stack.runner().name());
    }

    public static ResourceId secretId(RunnerStack stack) {
        return ResourceId.of("kubernetes.secret", stack.releaseNamespace() + "/" + stack.runner().secretName());
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
            RunnerSpec.Builder b = RunnerSpec.builder().stack(stack.name()).name(r.name()).tags(r.tags())
                    .runUntagged(r.runUntagged()).locked(r.locked()).protectedOnly(r.protectedOnly());
            if (r.projectPath().isPresent()) {
                b.projectId(projectId(r.projectPath().get()));
            } else {
                if (groupId == null) {
                    GitLabApi api = backends.gitlabApi().orElseThrow(() -> new IllegalStateException(
                            "a group runner needs Irsa.builder().gitlabApi(..) to look up group " + r.groupPath().orElseThrow()));
                    try {
                        groupId = api.getGroupApi().getGroup(r.groupPath().orElseThrow()).getId();
                    } catch (GitLabApiException e) {
                        throw new GitLabException("look up group " + r.groupPath().orElseThrow(), e.getHttpStatus(), e.getMessage(), e);
                    }
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

        /** The runner's tags and GitLab access level as the stack wants them (no lookup needed). */
        List<String> runnerTags() {
            return GitLabValidators.runnerTags("runner.tags", stack.runner().tags());
        }

        String runnerAccessLevel() {
            return stack.runner().protectedOnly() ? "ref_protected" : "not_protected";
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

        /** The resources observing the Secret: the runner (whose token it holds) and the Secret itself. */
        Set<ResourceId> secretReaders() {
            return Set.of(runnerId(stack), secretId(stack));
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

    /** The runner registered in GitLab (marker {@code irsa:<stack>/<name>} in its description). */
    static final class RunnerResource implements Resource {
        private final RunnerStack stack;
        private final GitLabExecutor gitlab;
        private final Scope scope;

        RunnerResource(RunnerStack stack, GitLabExecutor gitlab, Scope scope) {
            this.stack = stack;
            this.gitlab = gitlab;
            this.scope = scope;
        }

        @Override
        public ResourceId id() {
            return runnerId(stack);
        }

        @Override
        public String service() {
            return Services.GITLAB;
        }

        /**
         * One read in the common case: the Secret records the id of the runner whose token it holds, so
         * that runner is read directly ({@code GET /runners/:id}) and must still carry the marker in the
         * stack's scope (for a project runner, checked by the project's path: no project lookup). Without a
         * recorded id (no Secret, or one written before irsa recorded it), or when that runner is gone,
         * foreign or elsewhere, the runner is found by listing. Its token is stored only when the Secret
         * holds it and, if the Secret names a runner, names this one.
         */
        @Override
        public Observed observe() {
            SecretObservation secret = scope.runnerSecret(id());
            Optional<Long> recorded = secret.ownership().ownedByStack() ? secret.runnerId() : Optional.empty();
            Optional<RunnerInfo> live = recorded.flatMap(this::readRecorded).filter(scope::holds);
            if (live.isEmpty()) {
                live = gitlab.findRunner(scope.runnerSpec());
            }
            if (live.isEmpty()) {
                return Observed.absent();
            }
            RunnerInfo r = live.get();
            Optional<String> lost = tokenLost(secret, recorded, r.id());
            Fields fields = Fields.of(f -> f.put("tags", String.join(",", new TreeSet<>(r.tags())))
                    .put("access_level", String.valueOf(r.accessLevel()))
                    .put("token", lost.map(why -> "lost (" + why + ")").orElse(STORED + stack.runner().secretName())));
            return Observed.owned(fields, Outputs.builder().put(RUNNER_ID, Long.toString(r.id()))
                    .put(TOKEN_LOST, lost.isPresent()).build());
        }

        /** The recorded runner, or empty when it is gone or no longer visible to the token (then irsa lists). */
        private Optional<RunnerInfo> readRecorded(long runnerId) {
            try {
                return gitlab.runner(runnerId);
            } catch (GitLabException.Forbidden e) {
                return Optional.empty();
            }
        }

        /**
         * Why the runner's token is lost, if it is: the token is readable nowhere but in the stack's Secret,
         * so it is lost without the Secret, or when the Secret holds another runner's token (one removed
         * since). A Secret without a recorded id (written before irsa recorded it) is taken at its word.
         */
        private static Optional<String> tokenLost(SecretObservation secret, Optional<Long> recorded, long runnerId) {
            if (!secretHoldsToken(secret)) {
                return Optional.of("Secret missing");
            }
            if (recorded.isPresent() && recorded.get() != runnerId) {
                return Optional.of("Secret holds the token of runner " + recorded.get());
            }
            return Optional.empty();
        }

        @Override
        public Fields desired(Inputs inputs) {
            return Fields.of(f -> f.put("tags", String.join(",", new TreeSet<>(scope.runnerTags())))
                    .put("access_level", scope.runnerAccessLevel())
                    .put("token", STORED + stack.runner().secretName()));
        }

        @Override
        public Outputs apply(ApplyContext context) {
            RunnerSpec spec = scope.runnerSpec();
            Observed observed = context.observed();
            Optional<String> existing = observed.outputs().get(RUNNER_ID);
            boolean tokenLost = observed.outputs().get(TOKEN_LOST).orElse(false);
            if (existing.isPresent() && !tokenLost) {
                RunnerInfo updated = gitlab.updateRunner(Long.parseLong(existing.get()), spec);
                return Outputs.of(RUNNER_ID, Long.toString(updated.id()));
            }
            // GitLab does not refuse a second runner with the same marker, so look again right before
            // registering: a marker runner this plan did not see was registered by another run since, and
            // creating one more would orphan one of the two (with a token nobody holds).
            List<Long> live = new ArrayList<>(gitlab.findRunnerIds(spec));
            existing.ifPresent(id -> live.remove(Long.valueOf(id)));
            if (!live.isEmpty()) {
                throw new StalePlanException(id(), "runner " + live.stream().map(i -> "#" + i).toList() + " with marker "
                        + spec.marker() + " was registered after this plan observed "
                        + existing.map(i -> "#" + i).orElse("none") + " (another apply of the stack?)");
            }
            // New, or registered again because its token is lost: the old one is useless to the chart.
            existing.ifPresent(id -> gitlab.removeRunner(Long.parseLong(id)));
            SecretString[] token = new SecretString[1];
            RunnerInfo created = gitlab.createRunner(spec, t -> token[0] = t);
            return Outputs.builder().put(RUNNER_ID, Long.toString(created.id())).put(RUNNER_TOKEN, token[0]).build();
        }

        @Override
        public void delete(ApplyContext context) {
            gitlab.findRunnerIds(scope.runnerSpec()).forEach(gitlab::removeRunner);
        }
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

        @Override
        public void delete(ApplyContext context) {
            k8s.deleteRunnerSecret(stack.releaseNamespace(), stack.runner().secretName(), stack.name());
        }
    }

    /**
     * The gitlab-runner Helm release. Ownership: the values irsa renders label the runner Deployment
     * ({@code deploymentLabels}) with {@code irsa.dev/managed-by=irsa} and {@code irsa.dev/stack=<stack>}; a
     * same-name release without them for this stack is foreign (apply refuses unless adopting, destroy keeps
     * it). Drift: the user-supplied values (read together with the status) are compared path by path with the
     * rendered ones, {@code runners.config} TOML included; secret values are neither read back nor compared.
     */
    static final class HelmReleaseResource implements Resource {
        private final RunnerStack stack;
        private final StackBackends backends;
        private final ResourceId secret;
        private final ResourceId namespace;
        private final ResourceId serviceAccount;

        HelmReleaseResource(RunnerStack stack, StackBackends backends, ResourceId secret, ResourceId namespace, ResourceId serviceAccount) {
            this.stack = stack;
            this.backends = backends;
            this.secret = secret;
            this.namespace = namespace;
            this.serviceAccount = serviceAccount;
        }

        @Override
        public ResourceId id() {
            return releaseId(stack);
        }

        @Override
        public String service() {
            return Services.HELM;
        }

        @Override
        public Set<ResourceId> dependsOn() {
            return Set.of(secret, namespace, serviceAccount);
        }

        @Override
        public Observed observe() {
            // status and user-supplied values in one read (HelmExecutor#statusWithValues)
            Optional<HelmReleaseWithValues> live = backends.helm().statusWithValues(stack.runner().releaseName(), stack.releaseNamespace());
            if (live.isEmpty()) {
                return Observed.absent();
            }
            Map<String, Object> userValues = HelmExecutor.withoutSecrets(live.get().values(), stack.runnerValues().secretValues().keySet());
            Fields fields = Fields.of(f -> {
                f.put("status", live.get().release().status());
                ReleaseValues.flatten(Yaml.MAPPER.valueToTree(userValues)).forEach(f::put);
            });
            return ReleaseValues.ownedBy(userValues, stack.name()) ? Observed.owned(fields) : Observed.foreign(fields);
        }

        @Override
        public Fields desired(Inputs inputs) {
            Fields.Builder f = Fields.builder().put("status", "deployed");
            ReleaseValues.flatten(stack.runnerValues().toTree()).forEach(f::put);
            // A new token means the runner manager must restart with it: upgrade the release.
            if (inputs.action(secret) == Action.CREATE || inputs.action(secret) == Action.UPDATE) {
                f.putUnknown("revision");
            }
            return f.build();
        }

        /** The default comparison, plus live values irsa does not render (an upgrade resets them). */
        @Override
        public List<FieldDiff> diff(Fields desired, Observed observed) {
            List<FieldDiff> diffs = new ArrayList<>(FieldDiff.between(observed.fields(), desired));
            observed.fields().asMap().forEach((name, value) -> {
                if (name.startsWith(ReleaseValues.PREFIX) && desired.get(name).isEmpty()) {
                    diffs.add(FieldDiff.remove(name, value));
                }
            });
            return List.copyOf(diffs);
        }

        @Override
        public Outputs apply(ApplyContext context) {
            RunnerValues values = stack.runnerValues();
            backends.helm().upgrade(HelmReleaseRequest.builder().releaseName(stack.runner().releaseName())
                    .namespace(stack.releaseNamespace()).chart(backends.chart())
                    .values(values.toYaml()).secretValues(values.secretValues())
                    .description("applied by irsa stack " + stack.name()).build());
            return Outputs.none();
        }

        @Override
        public void delete(ApplyContext context) {
            backends.helm().uninstall(stack.runner().releaseName(), stack.releaseNamespace());
        }
    }

    /** The pipeline file in the project's repository. */
    static final class PipelineFileResource implements Resource {
        private final RunnerStack stack;
        private final PipelineSettings pipeline;
        private final StackBackends backends;
        private final Scope scope;
        private final ResourceId runner;

        PipelineFileResource(RunnerStack stack, PipelineSettings pipeline, StackBackends backends, Scope scope, ResourceId runner) {
            this.stack = stack;
            this.pipeline = pipeline;
            this.backends = backends;
            this.scope = scope;
            this.runner = runner;
        }

        @Override
        public ResourceId id() {
            String project = pipeline.projectPath().orElseGet(() -> stack.runner().projectPath().orElseThrow());
            return ResourceId.of("gitlab.file", project + "/" + pipeline.branch() + "/" + pipeline.path());
        }

        @Override
        public String service() {
            return Services.GITLAB;
        }

        @Override
        public Set<ResourceId> dependsOn() {
            return Set.of(runner);
        }

        private GitLabApi api() {
            return backends.gitlabApi().orElseThrow(() -> new IllegalStateException(
                    "a stack with a pipeline file needs Irsa.builder().gitlabApi(..) to read it"));
        }

        private Optional<String> read() {
            try {
                // by the project's path: reading needs no id lookup (writing does, through GitLabExecutor)
                Optional<RepositoryFile> file = api().getRepositoryFileApi()
                        .getOptionalFile(scope.pipelineProjectPath(pipeline), pipeline.path(), pipeline.branch());
                return file.map(RepositoryFile::getDecodedContentAsString);
            } catch (RuntimeException e) {
                throw new GitLabException("read " + pipeline.path(), 0, e.getMessage(), e);
            }
        }

        @Override
        public Observed observe() {
            Optional<String> live = read();
            return live.map(content -> Observed.owned(Fields.of(f -> f.put("content_sha256", sha256(content)))))
                    .orElse(Observed.absent());
        }

        @Override
        public Fields desired(Inputs inputs) {
            return Fields.of(f -> f.put("content_sha256", sha256(pipeline.content())));
        }

        @Override
        public Outputs apply(ApplyContext context) {
            backends.gitlab().commitFile(scope.pipelineProjectId(pipeline), pipeline.path(), pipeline.branch(),
                    pipeline.content(), pipeline.commitMessage());
            return Outputs.none();
        }

        @Override
        public void delete(ApplyContext context) {
            // Only the file irsa wrote: an edited pipeline is the user's now and stays.
            Optional<String> live = read();
            if (live.isEmpty() || !live.get().equals(pipeline.content())) {
                return;
            }
            try {
                api().getRepositoryFileApi().deleteFile(scope.pipelineProjectId(pipeline), pipeline.path(), pipeline.branch(),
                        "irsa: remove the pipeline of stack " + stack.name());
            } catch (GitLabApiException e) {
                if (e.getHttpStatus() != 404) {
                    throw new GitLabException("delete " + pipeline.path(), e.getHttpStatus(), e.getMessage(), e);
                }
            }
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

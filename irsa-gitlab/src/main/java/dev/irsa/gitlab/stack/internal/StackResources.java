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
import dev.irsa.kubernetes.IrsaMetadata;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
        RunnerResource runner = new RunnerResource(stack, backends.gitlab(), k8s, releaseNamespace, scope);
        TokenSecretResource secret = new TokenSecretResource(stack, k8s, runner.id(), releaseNamespace, scope);
        resources.add(runner);
        resources.add(secret);
        resources.add(new HelmReleaseResource(stack, backends, secret.id(), releaseNamespace,
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
            RunnerSpec.Builder b = RunnerSpec.builder().stack(stack.name()).name(r.name()).tags(r.tags())
                    .runUntagged(r.runUntagged()).locked(r.locked()).protectedOnly(r.protectedOnly());
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

    /**
     * The runner registered in GitLab. It is irsa's only when irsa recorded it on the stack's Secret: its id
     * ({@code irsa.dev/runner-id}, written with its token), or, for a registration whose answer was lost, the
     * registration nonce recorded before registering and carried in its description. The marker
     * {@code irsa:<stack>/<name>} in a description only says where to look: anyone may write it, and a runner
     * carrying it that irsa never recorded is left alone (the plan names it).
     */
    static final class RunnerResource implements Resource {
        /** Every runner irsa recorded that planning found (comma-separated ids): replaced or destroyed together. */
        private static final OutputKey<String> RECORDED_RUNNERS = OutputKey.of("recordedRunners", String.class);
        private static final String NOT_IRSAS = "marker_runners_not_irsa's";
        private final RunnerStack stack;
        private final GitLabExecutor gitlab;
        private final KubernetesExecutor k8s;
        private final ResourceId namespace;
        private final Scope scope;
        /** Marker runners irsa never recorded, as the last observation found them (for the plan's note). */
        private volatile List<Long> notIrsas = List.of();

        RunnerResource(RunnerStack stack, GitLabExecutor gitlab, KubernetesExecutor k8s, ResourceId namespace, Scope scope) {
            this.stack = stack;
            this.gitlab = gitlab;
            this.k8s = k8s;
            this.namespace = namespace;
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

        /** The Secret's namespace: irsa records a registration on the Secret before registering. */
        @Override
        public Set<ResourceId> dependsOn() {
            return Set.of(namespace);
        }

        /**
         * One read in the common case: the Secret records the id of the runner whose token it holds, so
         * that runner is read directly ({@code GET /runners/:id}) and must still carry the marker in the
         * stack's scope (for a project runner, checked by the project's path: no project lookup). Without a
         * recorded id, or when that runner is gone, foreign or elsewhere, the marker runners are listed and
         * only those irsa recorded count. Its token is stored only when the Secret holds it and names this
         * runner.
         */
        @Override
        public Observed observe() {
            SecretObservation secret = scope.runnerSecret(id());
            Optional<Long> recorded = secret.ownership().ownedByStack() ? secret.runnerId() : Optional.empty();
            Optional<RunnerInfo> live = recorded.flatMap(this::readRecorded).filter(scope::holds);
            List<Long> irsas = live.map(r -> List.of(r.id())).orElse(List.of());
            notIrsas = List.of();
            if (live.isEmpty()) {
                Recorded marked = Recorded.split(gitlab.findRunners(scope.runnerSpec()), secret);
                irsas = marked.irsas();
                notIrsas = marked.others();
                live = irsas.stream().findFirst().flatMap(gitlab::runner);
            }
            if (live.isEmpty()) {
                return Observed.absent();
            }
            RunnerInfo r = live.get();
            Optional<String> lost = tokenLost(secret, recorded, r.id());
            List<Long> others = notIrsas;
            Fields fields = Fields.of(f -> {
                f.put("tags", String.join(",", new TreeSet<>(r.tags()))).put("access_level", String.valueOf(r.accessLevel()))
                        .put("token", lost.map(why -> "lost (" + why + ")").orElse(STORED + stack.runner().secretName()));
                noteNotIrsas(f, others);
            });
            return Observed.owned(fields, Outputs.builder().put(RUNNER_ID, Long.toString(r.id()))
                    .put(TOKEN_LOST, lost.isPresent()).put(RECORDED_RUNNERS, join(irsas)).build());
        }

        /** The plan's note on marker runners irsa leaves alone (the same in observed and desired: never a diff). */
        private static void noteNotIrsas(Fields.Builder f, List<Long> others) {
            if (!others.isEmpty()) {
                f.put(NOT_IRSAS, others.stream().map(i -> "#" + i).toList() + " carry the marker but irsa recorded neither "
                        + "their id nor their registration: not irsa's, left alone");
            }
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
         * so it is lost without the Secret (or a Secret holding no token yet), or when the Secret holds another
         * runner's token (one removed since).
         */
        private static Optional<String> tokenLost(SecretObservation secret, Optional<Long> recorded, long runnerId) {
            if (!secretHoldsToken(secret)) {
                return Optional.of("no token in the Secret");
            }
            if (recorded.isPresent() && recorded.get() != runnerId) {
                return Optional.of("Secret holds the token of runner " + recorded.get());
            }
            return Optional.empty();
        }

        @Override
        public Fields desired(Inputs inputs) {
            List<Long> others = notIrsas;
            return Fields.of(f -> {
                f.put("tags", String.join(",", new TreeSet<>(scope.runnerTags()))).put("access_level", scope.runnerAccessLevel())
                        .put("token", STORED + stack.runner().secretName());
                noteNotIrsas(f, others);
            });
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
            // registering: a runner irsa recorded that this plan did not see was registered by another run
            // since, and creating one more would orphan one of the two (with a token nobody holds).
            List<Long> planned = split(observed.outputs().get(RECORDED_RUNNERS).orElse(""));
            SecretObservation now = k8s.observeRunnerSecret(secretSpec(stack, PROBE));
            List<Long> registered = new ArrayList<>(Recorded.split(gitlab.findRunners(spec), now).irsas());
            registered.removeAll(planned);
            if (!registered.isEmpty()) {
                throw new StalePlanException(id(), "runner " + registered.stream().map(i -> "#" + i).toList() + " of "
                        + spec.marker() + " was registered after this plan observed "
                        + existing.map(i -> "#" + i).orElse("none") + " (another apply of the stack?)");
            }
            // New, or registered again because its token is lost: the old ones are useless to the chart. They
            // go before the new registration is recorded, which makes them unprovable.
            planned.forEach(gitlab::removeRunner);
            String registration = RunnerSpec.newRegistration();
            k8s.recordOnRunnerSecret(stack.releaseNamespace(), stack.runner().secretName(), stack.name(),
                    Map.of(IrsaMetadata.RUNNER_REGISTRATION_ANNOTATION, registration));
            SecretString[] token = new SecretString[1];
            RunnerInfo created = gitlab.createRunner(spec, registration, t -> token[0] = t);
            return Outputs.builder().put(RUNNER_ID, Long.toString(created.id())).put(RUNNER_TOKEN, token[0]).build();
        }

        /**
         * Removes the runners irsa recorded, then the Secret that recorded them: it goes last, so a destroy
         * that stops halfway still finds them next time (the Secret's own delete leaves it to this one).
         */
        @Override
        public void delete(ApplyContext context) {
            split(context.observed().outputs().get(RECORDED_RUNNERS).orElse("")).forEach(gitlab::removeRunner);
            k8s.deleteRunnerSecret(stack.releaseNamespace(), stack.runner().secretName(), stack.name());
        }

        private static String join(List<Long> ids) {
            return String.join(",", ids.stream().map(String::valueOf).toList());
        }

        private static List<Long> split(String ids) {
            return ids.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.stream(ids.split(",")).map(Long::valueOf).toList());
        }
    }

    /** Marker runners split by what the stack's Secret recorded: irsa's (its id or registration) and the others. */
    record Recorded(List<Long> irsas, List<Long> others) {
        static Recorded split(List<GitLabExecutor.MarkedRunner> marked, SecretObservation secret) {
            boolean ours = secret.ownership().ownedByStack();
            Optional<Long> id = ours ? secret.runnerId() : Optional.empty();
            Optional<String> registration = ours ? secret.pendingRegistration() : Optional.empty();
            List<Long> irsas = new ArrayList<>();
            List<Long> others = new ArrayList<>();
            for (GitLabExecutor.MarkedRunner r : marked) {
                boolean recorded = id.filter(i -> i == r.id()).isPresent()
                        || registration.filter(n -> RunnerSpec.registeredAs(r.description(), n)).isPresent();
                (recorded ? irsas : others).add(r.id());
            }
            return new Recorded(List.copyOf(irsas), List.copyOf(others));
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

        /** Left to the runner's delete when the runner goes too: the Secret records which runners are irsa's. */
        @Override
        public void delete(ApplyContext context) {
            if (context.action(runner) != Action.DELETE) {
                k8s.deleteRunnerSecret(stack.releaseNamespace(), stack.runner().secretName(), stack.name());
            }
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
}

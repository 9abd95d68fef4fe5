package dev.irsa.gitlab.stack.internal;

import static dev.irsa.gitlab.stack.internal.StackResources.PROBE;
import static dev.irsa.gitlab.stack.internal.StackResources.RUNNER_ID;
import static dev.irsa.gitlab.stack.internal.StackResources.RUNNER_TOKEN;
import static dev.irsa.gitlab.stack.internal.StackResources.STORED;
import static dev.irsa.gitlab.stack.internal.StackResources.TOKEN_LOST;
import static dev.irsa.gitlab.stack.internal.StackResources.runnerId;
import static dev.irsa.gitlab.stack.internal.StackResources.secretHoldsToken;
import static dev.irsa.gitlab.stack.internal.StackResources.secretSpec;

import dev.irsa.SecretString;
import dev.irsa.gitlab.api.GitLabException;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.api.RunnerInfo;
import dev.irsa.gitlab.api.RunnerSpec;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.kubernetes.IrsaMetadata;
import dev.irsa.kubernetes.KubernetesExecutor;
import dev.irsa.kubernetes.SecretObservation;
import dev.irsa.plan.ApplyContext;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The runner registered in GitLab. It is irsa's only when irsa recorded it on the stack's Secret: its id
 * ({@code irsa.dev/runner-id}, written with its token), or, for a registration whose answer was lost, the
 * registration nonce recorded before registering and carried in its description. The marker
 * {@code irsa:<stack>/<name>} in a description only says where to look: anyone may write it, and a runner
 * carrying it that irsa never recorded is left alone (the plan names it).
 */
final class RunnerResource implements Resource {
    /** Every runner irsa recorded that planning found (comma-separated ids): replaced or destroyed together. */
    private static final OutputKey<String> RECORDED_RUNNERS = OutputKey.of("recordedRunners", String.class);
    private static final String NOT_IRSAS = "marker_runners_not_irsa's";
    private final RunnerStack stack;
    private final GitLabExecutor gitlab;
    private final KubernetesExecutor k8s;
    private final ResourceId namespace;
    private final StackResources.Scope scope;
    /** Marker runners irsa never recorded, as the last observation found them (for the plan's note). */
    private volatile List<Long> notIrsas = List.of();

    RunnerResource(RunnerStack stack, GitLabExecutor gitlab, KubernetesExecutor k8s, ResourceId namespace, StackResources.Scope scope) {
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
            r.settings().forEach(f::put);
            f.put("token", lost.map(why -> "lost (" + why + ")").orElse(STORED + stack.runner().secretName()));
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
            scope.runnerSettings().forEach(f::put);
            f.put("token", STORED + stack.runner().secretName());
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
}

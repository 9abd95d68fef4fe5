package dev.irsa.gitlab.stack.internal;

import static dev.irsa.gitlab.stack.internal.StackResources.RUNNER_ID;
import static dev.irsa.gitlab.stack.internal.StackResources.releaseId;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.irsa.gitlab.helm.HelmExecutor;
import dev.irsa.gitlab.helm.HelmReleaseRequest;
import dev.irsa.gitlab.helm.HelmReleaseWithValues;
import dev.irsa.gitlab.internal.Yaml;
import dev.irsa.gitlab.runner.RunnerValues;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.gitlab.stack.StackBackends;
import dev.irsa.plan.Action;
import dev.irsa.plan.ApplyContext;
import dev.irsa.plan.FieldDiff;
import dev.irsa.plan.Fields;
import dev.irsa.plan.Inputs;
import dev.irsa.plan.Observed;
import dev.irsa.plan.Outputs;
import dev.irsa.plan.Resource;
import dev.irsa.plan.ResourceId;
import dev.irsa.plan.Services;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gitlab-runner Helm release. Ownership: the values irsa renders label the runner Deployment
 * ({@code deploymentLabels}) with {@code irsa.dev/managed-by=irsa} and {@code irsa.dev/stack=<stack>}; a
 * same-name release without them for this stack is foreign (apply refuses unless adopting, destroy keeps
 * it). Drift: the user-supplied values (read together with the status) are compared path by path with the
 * rendered ones, {@code runners.config} TOML included; secret values are neither read back nor compared.
 */
final class HelmReleaseResource implements Resource {
    private final RunnerStack stack;
    private final StackBackends backends;
    private final ResourceId runner;
    private final ResourceId secret;
    private final ResourceId namespace;
    private final ResourceId serviceAccount;
    /** The token stamp on the release as the last observation found it ({@link TokenRollout}). */
    private volatile Optional<TokenRollout.Stamp> liveStamp = Optional.empty();

    HelmReleaseResource(RunnerStack stack, StackBackends backends, ResourceId runner, ResourceId secret,
                        ResourceId namespace, ResourceId serviceAccount) {
        this.stack = stack;
        this.backends = backends;
        this.runner = runner;
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
        return Set.of(runner, secret, namespace, serviceAccount);
    }

    @Override
    public Observed observe() {
        // status and user-supplied values in one read (HelmExecutor#statusWithValues)
        Optional<HelmReleaseWithValues> live = backends.helm().statusWithValues(stack.runner().releaseName(), stack.releaseNamespace());
        if (live.isEmpty()) {
            liveStamp = Optional.empty();
            return Observed.absent();
        }
        Map<String, Object> userValues = HelmExecutor.withoutSecrets(live.get().values(), stack.runnerValues().secretValues().keySet());
        liveStamp = TokenRollout.read(userValues);
        Fields fields = Fields.of(f -> {
            f.put("status", live.get().release().status());
            ReleaseValues.flatten(Yaml.MAPPER.valueToTree(userValues)).forEach(f::put);
        });
        return ReleaseValues.ownedBy(userValues, stack.name()) ? Observed.owned(fields) : Observed.foreign(fields);
    }

    @Override
    public Fields desired(Inputs inputs) {
        Fields.Builder f = Fields.builder().put("status", "deployed");
        Optional<Long> runnerId = inputs.output(runner, RUNNER_ID).map(Long::parseLong);
        if (newToken(inputs) || runnerId.isEmpty()) {
            // A new token means the runner manager must restart with it: upgrade the release with a new stamp.
            ReleaseValues.flatten(stack.runnerValues().toTree()).forEach(f::put);
            f.putUnknown(TokenRollout.FIELD).putUnknown("revision");
        } else {
            ReleaseValues.flatten(stampedValues(runnerId.get(), false)).forEach(f::put);
        }
        return f.build();
    }

    private boolean newToken(Inputs inputs) {
        return inputs.action(secret) == Action.CREATE || inputs.action(secret) == Action.UPDATE;
    }

    private ObjectNode stampedValues(long runnerId, boolean newToken) {
        return TokenRollout.stamped(stack.runnerValues().toTree(), TokenRollout.Stamp.next(liveStamp, runnerId, newToken));
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
        ObjectNode stamped = stampedValues(Long.parseLong(context.require(runner, RUNNER_ID)), newToken(context));
        backends.helm().upgrade(HelmReleaseRequest.builder().releaseName(stack.runner().releaseName())
                .namespace(stack.releaseNamespace()).chart(backends.chart())
                .values(Yaml.write(stamped)).secretValues(values.secretValues())
                .description("applied by irsa stack " + stack.name()).build());
        return Outputs.none();
    }

    @Override
    public void delete(ApplyContext context) {
        backends.helm().uninstall(stack.runner().releaseName(), stack.releaseNamespace());
    }
}

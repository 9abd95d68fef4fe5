package dev.irsa.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.irsa.SecretString;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hard case of outputs: a runner's token is returned once, at registration, and cannot be read back.
 * The Secret that stores it must not change on every plan, yet must change when the runner is registered
 * again. {@link Inputs#action} makes the difference.
 */
class OneTimeTokenTest {
    static final OutputKey<SecretString> TOKEN = OutputKey.of("token", SecretString.class);
    static final OutputKey<String> RUNNER_ID = OutputKey.of("runnerId", String.class);

    private final Map<String, String> runners = new ConcurrentHashMap<>();   // id -> description
    private final Map<String, String> secrets = new ConcurrentHashMap<>();   // name -> token
    private final AtomicInteger registrations = new AtomicInteger();
    private final AtomicInteger changingCalls = new AtomicInteger();
    private final Planner planner = Planner.create();
    private final Applier applier = Applier.create();

    private final Resource runner = new Resource() {
        @Override
        public ResourceId id() {
            return ResourceId.of("gitlab.runner", "ci");
        }

        @Override
        public String service() {
            return "gitlab";
        }

        @Override
        public Observed observe() {
            return runners.entrySet().stream().filter(e -> e.getValue().equals("ci")).findFirst()
                    .map(e -> Observed.owned(Fields.of(Map.of("description", "ci")), Outputs.of(RUNNER_ID, e.getKey())))
                    .orElse(Observed.absent());
        }

        @Override
        public Fields desired(Inputs inputs) {
            return Fields.of(Map.of("description", "ci"));
        }

        @Override
        public Outputs apply(ApplyContext context) {
            changingCalls.incrementAndGet();
            String id = String.valueOf(registrations.incrementAndGet());
            runners.put(id, "ci");
            return Outputs.builder().put(RUNNER_ID, id).put(TOKEN, SecretString.of("glrt-token-" + id)).build();
        }

        @Override
        public void delete(ApplyContext context) {
            changingCalls.incrementAndGet();
            runners.remove(context.observed().outputs().get(RUNNER_ID).orElseThrow());
        }
    };

    private final Resource secret = new Resource() {
        @Override
        public ResourceId id() {
            return ResourceId.of("kubernetes.secret", "ci/runner-token");
        }

        @Override
        public String service() {
            return "kubernetes";
        }

        @Override
        public Set<ResourceId> dependsOn() {
            return Set.of(runner.id());
        }

        @Override
        public Observed observe() {
            String token = secrets.get("runner-token");
            return token == null ? Observed.absent()
                    : Observed.owned(Fields.of(f -> f.putSensitive("runner-token", SecretString.of(token))));
        }

        @Override
        public Fields desired(Inputs inputs) {
            Optional<SecretString> token = inputs.output(runner.id(), TOKEN);
            Fields.Builder fields = Fields.builder();
            if (token.isPresent()) {
                fields.putSensitive("runner-token", token.get());
            } else if (inputs.action(runner.id()) == Action.CREATE) {
                fields.putUnknown("runner-token");
            }
            // else: the runner is unchanged and its token cannot be read back: keep the stored one.
            return fields.build();
        }

        @Override
        public Outputs apply(ApplyContext context) {
            changingCalls.incrementAndGet();
            secrets.put("runner-token", context.require(runner.id(), TOKEN).reveal());
            return Outputs.none();
        }

        @Override
        public void delete(ApplyContext context) {
            changingCalls.incrementAndGet();
            secrets.remove("runner-token");
        }
    };

    @Test
    void tokenIsKnownAfterApplyThenStableThenRotatedWhenTheRunnerIsRegisteredAgain() {
        Plan first = planner.plan("ci", List.of(runner, secret));
        assertThat(first.render()).contains("+ runner-token = (known after apply)");
        applier.apply(first).orThrow();
        assertThat(secrets).containsEntry("runner-token", "glrt-token-1");

        changingCalls.set(0);
        Plan second = planner.plan("ci", List.of(runner, secret));
        assertThat(second.hasChanges()).isFalse();
        applier.apply(second).orThrow();
        assertThat(changingCalls).hasValue(0);

        runners.clear();   // someone deleted the runner in GitLab
        Plan third = planner.plan("ci", List.of(runner, secret));
        assertThat(third.change(runner.id()).orElseThrow().action()).isEqualTo(Action.CREATE);
        Change rotate = third.change(secret.id()).orElseThrow();
        assertThat(rotate.action()).isEqualTo(Action.UPDATE);
        assertThat(rotate.diffs()).singleElement().hasToString("runner-token: (sensitive value) -> (known after apply)");
        assertThat(applier.apply(third).summary()).isEqualTo("1 created, 1 updated, 0 deleted, 0 unchanged");
        assertThat(secrets).containsEntry("runner-token", "glrt-token-2");
        assertThat(planner.plan("ci", List.of(runner, secret)).hasChanges()).isFalse();

        applier.apply(planner.destroyPlan("ci", List.of(runner, secret))).orThrow();
        assertThat(runners).isEmpty();
        assertThat(secrets).isEmpty();
    }
}

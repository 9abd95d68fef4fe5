package dev.irsa.plan;

import dev.irsa.SecretString;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A resource of {@link ToyCloud}: plain fields, sensitive fields, and fields whose value is the ARN of a
 * dependency (an output, known after that dependency is applied). Publishes its own ARN.
 */
final class ToyResource implements Resource {
    static final OutputKey<String> ARN = OutputKey.of("arn", String.class);

    private final ToyCloud cloud;
    private final String stack;
    private final ResourceId id;
    private final String service;
    private final Map<String, String> plain = new LinkedHashMap<>();
    private final Map<String, String> secret = new LinkedHashMap<>();
    private final Map<String, ResourceId> arnOf = new LinkedHashMap<>();
    private final Set<ResourceId> dependsOn = new LinkedHashSet<>();
    private Consumer<ToyResource> duringCall = r -> { };

    ToyResource(ToyCloud cloud, String stack, String type, String name, String service) {
        this.cloud = cloud;
        this.stack = stack;
        this.id = ResourceId.of(type, name);
        this.service = service;
    }

    static ToyResource of(ToyCloud cloud, String name) {
        return new ToyResource(cloud, "ci", "toy.thing", name, "toy");
    }

    ToyResource field(String name, String value) {
        plain.put(name, value);
        return this;
    }

    ToyResource secretField(String name, String value) {
        secret.put(name, value);
        return this;
    }

    /** Field {@code name} holds the ARN of {@code dependency}; declares the dependency. */
    ToyResource arnOf(String name, ToyResource dependency) {
        arnOf.put(name, dependency.id());
        dependsOn.add(dependency.id());
        return this;
    }

    ToyResource dependsOn(ResourceId dependency) {
        dependsOn.add(dependency);
        return this;
    }

    /** Runs inside every changing call (apply, delete), between entering and leaving the cloud. */
    ToyResource duringCall(Consumer<ToyResource> hook) {
        this.duringCall = hook;
        return this;
    }

    String key() {
        return id.toString();
    }

    @Override
    public ResourceId id() {
        return id;
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public Set<ResourceId> dependsOn() {
        return Set.copyOf(dependsOn);
    }

    @Override
    public Observed observe() {
        ToyCloud.ToyObject live = cloud.read(key());
        if (live == null) {
            return Observed.absent();
        }
        Fields.Builder fields = Fields.builder();
        live.fields().forEach((name, value) -> {
            if (secret.containsKey(name)) {
                fields.putSensitive(name, SecretString.of(value));
            } else {
                fields.put(name, value);
            }
        });
        return stack.equals(live.ownerStack())
                ? Observed.owned(fields.build(), Outputs.of(ARN, live.arn()))
                : Observed.foreign(fields.build(), Outputs.of(ARN, live.arn()));
    }

    @Override
    public Fields desired(Inputs inputs) {
        Fields.Builder fields = Fields.builder();
        plain.forEach(fields::put);
        secret.forEach((name, value) -> fields.putSensitive(name, SecretString.of(value)));
        arnOf.forEach((name, dependency) -> fields.put(name, inputs.output(dependency, ARN)));
        return fields.build();
    }

    @Override
    public Outputs apply(ApplyContext context) {
        Map<String, String> values = new HashMap<>(plain);
        values.putAll(secret);
        arnOf.forEach((name, dependency) -> values.put(name, context.require(dependency, ARN)));
        cloud.enter();
        try {
            duringCall.accept(this);
            // Ownership mark: the stack being applied (adoption sets it too).
            String arn = context.change().action() == Action.CREATE
                    ? cloud.create(key(), values, context.stack())
                    : cloud.update(key(), values, context.stack());
            return Outputs.of(ARN, arn);
        } finally {
            cloud.leave();
        }
    }

    @Override
    public void delete(ApplyContext context) {
        if (!context.observed().exists()) {
            throw new IllegalStateException("the engine deletes only what it observed");
        }
        cloud.enter();
        try {
            duringCall.accept(this);
            if (cloud.contains(key())) {
                cloud.delete(key());
            }
        } finally {
            cloud.leave();
        }
    }
}

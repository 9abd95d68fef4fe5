package dev.irsa.gitlab.stack;

import dev.irsa.gitlab.api.GitLabValidators;
import dev.irsa.validation.Validators;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One environment of a spec (e.g. dev, prod): what differs from the base. Everything not given is the
 * base's. {@code pipelineBranch}: the environment commits the base pipeline to that branch (otherwise the
 * environment has no pipeline file, so two environments never fight over one file).
 */
public record Environment(String name, Optional<String> namespace, Optional<List<String>> tags, Optional<String> nodePool,
                          Optional<String> roleName, Optional<String> releaseName, Optional<String> pipelineBranch) {
    /** The node label a {@code nodePool} selects. */
    public static final String NODE_POOL_LABEL = "nodepool";

    public Environment {
        Validators.dns1123Label("environments.name", name);
        namespace.ifPresent(ns -> Validators.namespace("environments." + name + ".namespace", ns));
        tags = tags.map(t -> GitLabValidators.runnerTags("environments." + name + ".tags", t));
        nodePool.ifPresent(p -> Validators.dns1123Label("environments." + name + ".nodePool", p));
        roleName.ifPresent(r -> Validators.roleName("environments." + name + ".roleName", r));
        releaseName.ifPresent(r -> Validators.helmReleaseName("environments." + name + ".releaseName", r));
        pipelineBranch.ifPresent(b -> Validators.gitRef("environments." + name + ".pipelineBranch", b, false));
    }

    public static Environment of(String name, Consumer<Builder> environment) {
        Builder b = new Builder(name);
        environment.accept(b);
        return b.build();
    }

    public static final class Builder {
        private final String name;
        private String namespace;
        private List<String> tags;
        private String nodePool;
        private String roleName;
        private String releaseName;
        private String pipelineBranch;

        private Builder(String name) {
            this.name = name;
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder tags(String... tags) {
            return tags(java.util.Arrays.asList(tags));
        }

        /** Null items are reported by {@link #build()} as a {@code ValidationException} naming the item. */
        public Builder tags(List<String> tags) {
            this.tags = tags == null ? null : new java.util.ArrayList<>(tags);
            return this;
        }

        public Builder nodePool(String nodePool) {
            this.nodePool = nodePool;
            return this;
        }

        public Builder roleName(String roleName) {
            this.roleName = roleName;
            return this;
        }

        public Builder releaseName(String releaseName) {
            this.releaseName = releaseName;
            return this;
        }

        public Builder pipelineBranch(String branch) {
            this.pipelineBranch = branch;
            return this;
        }

        public Environment build() {
            return new Environment(name, Optional.ofNullable(namespace), Optional.ofNullable(tags), Optional.ofNullable(nodePool),
                    Optional.ofNullable(roleName), Optional.ofNullable(releaseName), Optional.ofNullable(pipelineBranch));
        }
    }
}

package dev.irsa.gitlab.stack;

import dev.irsa.ValidationException;
import dev.irsa.gitlab.api.GitLabValidators;
import dev.irsa.gitlab.runner.RunnerValues;
import dev.irsa.validation.KubernetesValidators;
import dev.irsa.validation.Validators;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The GitLab runner of a stack: where it registers (project or group), how (tags, protection, untagged
 * jobs, locking), and how it is installed (Helm release, namespace, job image, node selector). The job
 * namespace and service account are not here: they are the binding's, by construction.
 */
public record RunnerSettings(String gitlabUrl, Optional<String> projectPath, Optional<String> groupPath, String name,
                             List<String> tags, boolean protectedOnly, boolean runUntagged, boolean locked,
                             String releaseName, Optional<String> releaseNamespace, String secretName,
                             Optional<String> image, boolean privileged, Map<String, String> nodeSelector,
                             Optional<Integer> concurrent, boolean adoptRelease) {
    public static final String DEFAULT_NAME = "runner";

    public RunnerSettings {
        gitlabUrl(gitlabUrl);
        Objects.requireNonNull(projectPath, "projectPath");
        Objects.requireNonNull(groupPath, "groupPath");
        if (projectPath.isPresent() == groupPath.isPresent()) {
            throw new ValidationException("runner.project", projectPath.orElse(groupPath.orElse(null)),
                    "give exactly one of a project path or a group path");
        }
        projectPath.ifPresent(p -> Validators.gitlabPath("runner.project", p));
        groupPath.ifPresent(p -> Validators.gitlabPath("runner.group", p));
        Validators.dns1123Label("runner.name", name);
        // GitLab's own rules, checked here rather than when the runner is created after the remote reads.
        tags = GitLabValidators.runnerTags("runner.tags", tags);
        if (tags.isEmpty() && !runUntagged) {
            throw new ValidationException("runner.tags", "[]", "a runner without tags must run untagged jobs (runUntagged: true), or it never runs a job");
        }
        Validators.helmReleaseName("runner.release", releaseName);
        releaseNamespace.ifPresent(ns -> Validators.namespace("runner.releaseNamespace", ns));
        Validators.dns1123Subdomain("runner.secretName", secretName);
        Objects.requireNonNull(image, "image");
        image.ifPresent(i -> KubernetesValidators.imageReference("runner.image", i));
        nodeSelector = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(KubernetesValidators.labels("runner.nodeSelector", nodeSelector)));
        Objects.requireNonNull(concurrent, "concurrent");
        concurrent.ifPresent(c -> {
            if (c < 1) {
                throw new ValidationException("runner.concurrent", c, "at least 1");
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void gitlabUrl(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new ValidationException("runner.gitlabUrl", url, "an http(s) URL like https://gitlab.com");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new ValidationException("runner.gitlabUrl", url, "an http(s) URL like https://gitlab.com, without query or fragment");
        }
    }

    public static RunnerSettings of(Consumer<Builder> runner) {
        Builder b = builder();
        runner.accept(b);
        return b.build();
    }

    public Builder toBuilder() {
        Builder b = new Builder().gitlabUrl(gitlabUrl).name(name).tags(tags).protectedOnly(protectedOnly)
                .runUntagged(runUntagged).locked(locked).releaseName(releaseName).secretName(secretName)
                .privileged(privileged).nodeSelector(nodeSelector).adoptRelease(adoptRelease);
        projectPath.ifPresent(b::project);
        groupPath.ifPresent(b::group);
        releaseNamespace.ifPresent(b::releaseNamespace);
        image.ifPresent(b::image);
        concurrent.ifPresent(b::concurrent);
        return b;
    }

    public static final class Builder {
        private String gitlabUrl;
        private String projectPath;
        private String groupPath;
        private String name = DEFAULT_NAME;
        private final List<String> tags = new ArrayList<>();
        private boolean protectedOnly;
        private boolean runUntagged;
        private boolean locked = true;
        private String releaseName;
        private String releaseNamespace;
        private String secretName = RunnerValues.DEFAULT_SECRET_NAME;
        private String image;
        private boolean privileged;
        private final Map<String, String> nodeSelector = new LinkedHashMap<>();
        private Integer concurrent;
        private boolean adoptRelease;

        private Builder() {
        }

        public Builder gitlabUrl(String gitlabUrl) {
            this.gitlabUrl = gitlabUrl;
            return this;
        }

        /** Registers a project runner for {@code group/project}. */
        public Builder project(String projectPath) {
            this.projectPath = projectPath;
            this.groupPath = null;
            return this;
        }

        /** Registers a group runner for {@code group}. */
        public Builder group(String groupPath) {
            this.groupPath = groupPath;
            this.projectPath = null;
            return this;
        }

        /** The runner's name within the stack (GitLab description marker {@code irsa:<stack>/<name>}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder tags(String... tags) {
            return tags(java.util.Arrays.asList(tags));
        }

        public Builder tags(List<String> tags) {
            this.tags.clear();
            this.tags.addAll(tags);
            return this;
        }

        /** Access level {@code ref_protected}: only jobs of protected branches/tags. */
        public Builder protectedOnly(boolean protectedOnly) {
            this.protectedOnly = protectedOnly;
            return this;
        }

        public Builder runUntagged(boolean runUntagged) {
            this.runUntagged = runUntagged;
            return this;
        }

        public Builder locked(boolean locked) {
            this.locked = locked;
            return this;
        }

        public Builder releaseName(String releaseName) {
            this.releaseName = releaseName;
            return this;
        }

        /** Namespace of the Helm release and its token Secret; default: the binding's service-account namespace. */
        public Builder releaseNamespace(String releaseNamespace) {
            this.releaseNamespace = releaseNamespace;
            return this;
        }

        public Builder secretName(String secretName) {
            this.secretName = secretName;
            return this;
        }

        /** Default image of job pods. */
        public Builder image(String image) {
            this.image = image;
            return this;
        }

        public Builder privileged(boolean privileged) {
            this.privileged = privileged;
            return this;
        }

        public Builder nodeSelector(Map<String, String> nodeSelector) {
            this.nodeSelector.clear();
            this.nodeSelector.putAll(nodeSelector);
            return this;
        }

        public Builder nodeSelector(String key, String value) {
            this.nodeSelector.put(key, value);
            return this;
        }

        public Builder concurrent(int concurrent) {
            this.concurrent = concurrent;
            return this;
        }

        /**
         * Take over an existing Helm release of the same name that irsa does not own (no ownership marks
         * for this stack in its values): apply upgrades it with irsa's values and marks instead of refusing.
         */
        public Builder adoptRelease(boolean adoptRelease) {
            this.adoptRelease = adoptRelease;
            return this;
        }

        public RunnerSettings build() {
            if (gitlabUrl == null) {
                throw new ValidationException("runner.gitlabUrl", null, "the GitLab URL is required");
            }
            if (releaseName == null) {
                throw new ValidationException("runner.release", null, "the Helm release name is required");
            }
            return new RunnerSettings(gitlabUrl, Optional.ofNullable(projectPath), Optional.ofNullable(groupPath), name, tags,
                    protectedOnly, runUntagged, locked, releaseName, Optional.ofNullable(releaseNamespace), secretName,
                    Optional.ofNullable(image), privileged, nodeSelector, Optional.ofNullable(concurrent), adoptRelease);
        }
    }
}

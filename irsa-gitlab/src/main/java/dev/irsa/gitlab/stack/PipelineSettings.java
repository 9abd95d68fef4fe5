package dev.irsa.gitlab.stack;

import dev.irsa.ValidationException;
import dev.irsa.gitlab.ci.GitLabCiFile;
import dev.irsa.validation.Validators;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The pipeline file a stack commits: its content (e.g. from {@link GitLabCiFile#toYaml()}), the project
 * (default: the runner's), branch and path.
 *
 * <p>{@code adopt}: take over a file that exists and that irsa did not write (or that was edited since irsa
 * wrote it). Off by default: irsa records the hash of every content it commits and refuses to overwrite, or
 * delete, a file whose content it did not record.
 */
public record PipelineSettings(Optional<String> projectPath, String branch, String path, String content, String commitMessage,
                               boolean adopt) {
    public static final String DEFAULT_PATH = ".gitlab-ci.yml";

    public PipelineSettings {
        projectPath.ifPresent(p -> Validators.gitlabPath("pipeline.project", p));
        Validators.gitRef("pipeline.branch", branch, false);
        Validators.notBlank("pipeline.path", path);
        if (path.startsWith("/") || path.contains("..")) {
            throw new ValidationException("pipeline.path", path, "a path inside the repository, without .. or a leading /");
        }
        if (content == null || content.isBlank()) {
            throw new ValidationException("pipeline.content", content == null ? null : "(blank)", "the pipeline file must not be empty");
        }
        Validators.notBlank("pipeline.commitMessage", commitMessage);
    }

    public static PipelineSettings of(Consumer<Builder> pipeline) {
        Builder b = new Builder();
        pipeline.accept(b);
        return b.build();
    }

    public static final class Builder {
        private String projectPath;
        private String branch = "main";
        private String path = DEFAULT_PATH;
        private String content;
        private String commitMessage = "irsa: update the pipeline";
        private boolean adopt;

        public Builder project(String projectPath) {
            this.projectPath = projectPath;
            return this;
        }

        public Builder branch(String branch) {
            this.branch = branch;
            return this;
        }

        public Builder path(String path) {
            this.path = path;
            return this;
        }

        public Builder content(String content) {
            this.content = content;
            return this;
        }

        public Builder file(GitLabCiFile file) {
            return content(file.toYaml());
        }

        public Builder commitMessage(String commitMessage) {
            this.commitMessage = commitMessage;
            return this;
        }

        /** Take over an existing file irsa did not write (see {@link PipelineSettings}). Off by default. */
        public Builder adopt(boolean adopt) {
            this.adopt = adopt;
            return this;
        }

        public PipelineSettings build() {
            return new PipelineSettings(Optional.ofNullable(projectPath), branch, path, content, commitMessage, adopt);
        }
    }
}

package dev.irsa.binding;

import dev.irsa.policy.GitLabSubject;
import dev.irsa.validation.Validators;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * GitLab CI jobs assuming the role with their {@code id_tokens}: GitLab's issuer (gitlab.com or a
 * self-managed host), the project/ref whose jobs may assume it, and the audience (default: the issuer URL).
 */
public record GitLabOidcSpec(String issuerUrl, GitLabSubject subject, Optional<String> audience) {
    public static final String GITLAB_COM = "https://gitlab.com";

    public GitLabOidcSpec {
        Validators.issuerUrl("gitlabOidc.issuerUrl", issuerUrl);
        Objects.requireNonNull(subject, "gitlabOidc.subject");
        Objects.requireNonNull(audience, "audience");
    }

    public static GitLabOidcSpec of(Consumer<Builder> spec) {
        Builder b = new Builder();
        spec.accept(b);
        return b.build();
    }

    /** The audience jobs request in {@code id_tokens} and the trust pins. */
    public String effectiveAudience() {
        return audience.orElse(issuerUrl);
    }

    public static final class Builder {
        private String issuerUrl = GITLAB_COM;
        private GitLabSubject subject;
        private String audience;

        public Builder issuerUrl(String issuerUrl) {
            this.issuerUrl = issuerUrl;
            return this;
        }

        public Builder branch(String projectPath, String branch) {
            this.subject = GitLabSubject.branch(projectPath, branch);
            return this;
        }

        public Builder tag(String projectPath, String tag) {
            this.subject = GitLabSubject.tag(projectPath, tag);
            return this;
        }

        public Builder subject(GitLabSubject subject) {
            this.subject = subject;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public GitLabOidcSpec build() {
            if (subject == null) {
                throw new dev.irsa.ValidationException("gitlabOidc.subject", null, "give the project and branch or tag whose jobs may assume the role");
            }
            return new GitLabOidcSpec(issuerUrl, subject, Optional.ofNullable(audience));
        }
    }
}

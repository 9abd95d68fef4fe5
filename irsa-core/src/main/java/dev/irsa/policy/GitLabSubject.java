package dev.irsa.policy;

import dev.irsa.validation.Validators;

import java.util.Locale;
import java.util.Objects;

/**
 * The {@code sub} claim of a GitLab CI {@code id_token}:
 * {@code project_path:<group>/<project>:ref_type:<branch|tag>:ref:<ref>}, built from typed parts.
 * Exact subjects render under {@code StringEquals}; patterns exist only through the {@code *Pattern}
 * factories and render under {@code StringLike}.
 *
 * <pre>{@code
 * GitLabSubject.branch("platform/deployer", "main").sub();
 *         // "project_path:platform/deployer:ref_type:branch:ref:main"
 * GitLabSubject.tagPattern("platform/deployer", "v*").sub();
 *         // "project_path:platform/deployer:ref_type:tag:ref:v*"   (a StringLike pattern)
 * GitLabSubject.branch("platform/deployer", "feature/*");   // throws ValidationException: use branchPattern
 * }</pre>
 */
public final class GitLabSubject {
    /** The {@code ref_type} claim. */
    public enum RefType {
        /** A branch pipeline. */
        BRANCH,
        /** A tag pipeline. */
        TAG;

        /** {@code branch} or {@code tag}, as in the claim. */
        public String claimValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String projectPath;
    private final RefType refType;
    private final String ref;
    private final boolean pattern;

    private GitLabSubject(String projectPath, RefType refType, String ref, boolean pattern) {
        this.projectPath = Validators.gitlabPath("gitlab.projectPath", projectPath);
        this.refType = Objects.requireNonNull(refType, "refType");
        this.ref = Validators.gitRef("gitlab.ref", ref, pattern);
        this.pattern = pattern;
    }

    /** Jobs of {@code projectPath} running for branch {@code branch} (exact). */
    public static GitLabSubject branch(String projectPath, String branch) {
        return new GitLabSubject(projectPath, RefType.BRANCH, branch, false);
    }

    /** Jobs of {@code projectPath} running for tag {@code tag} (exact). */
    public static GitLabSubject tag(String projectPath, String tag) {
        return new GitLabSubject(projectPath, RefType.TAG, tag, false);
    }

    /** Branches matching an IAM StringLike pattern ({@code *}, {@code ?}), e.g. {@code release/*}. */
    public static GitLabSubject branchPattern(String projectPath, String branchPattern) {
        return new GitLabSubject(projectPath, RefType.BRANCH, branchPattern, true);
    }

    /** Tags matching an IAM StringLike pattern, e.g. {@code v*}. */
    public static GitLabSubject tagPattern(String projectPath, String tagPattern) {
        return new GitLabSubject(projectPath, RefType.TAG, tagPattern, true);
    }

    /** The project path, e.g. {@code group/sub/project}. */
    public String projectPath() {
        return projectPath;
    }

    /** Branch or tag. */
    public RefType refType() {
        return refType;
    }

    /** The ref name, or the ref pattern for pattern subjects. */
    public String ref() {
        return ref;
    }

    /** Whether {@link #sub()} is a StringLike pattern rather than an exact value. */
    public boolean isPattern() {
        return pattern;
    }

    /** {@code project_path:<path>:ref_type:<branch|tag>:ref:<ref>}. */
    public String sub() {
        return "project_path:" + projectPath + ":ref_type:" + refType.claimValue() + ":ref:" + ref;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GitLabSubject other && sub().equals(other.sub()) && pattern == other.pattern;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sub(), pattern);
    }

    @Override
    public String toString() {
        return (pattern ? "pattern " : "") + sub();
    }
}

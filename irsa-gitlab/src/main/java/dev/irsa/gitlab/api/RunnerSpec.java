package dev.irsa.gitlab.api;

import dev.irsa.ValidationException;
import dev.irsa.validation.Validators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The runner irsa creates in GitLab ({@code POST /user/runners}). Tags, locking and protection live here,
 * not in Helm values: with {@code glrt-} tokens the chart's {@code runners.tags/locked/protected} do nothing.
 * The description starts with the marker {@code irsa:<stack>/<name>}, which is how irsa finds its runner
 * again (the token is shown only once).
 *
 * <pre>{@code
 * RunnerSpec spec = RunnerSpec.builder().stack("dev").name("app-dev-runner").projectId(42)
 *         .tags("k8s-dev-runner").locked(true).protectedOnly(true).build();
 * }</pre>
 */
public final class RunnerSpec {
    /** Runner scope, as GitLab's {@code runner_type}. */
    public enum Scope { PROJECT, GROUP, INSTANCE }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final Pattern REGISTRATION_SUFFIX = Pattern.compile(" \\[irsa-registration [0-9a-f]{32}]$");

    private final String stack;
    private final String name;
    private final Scope scope;
    private final Long projectId;
    private final Long groupId;
    private final String description;
    private final List<String> tags;
    private final boolean runUntagged;
    private final boolean locked;
    private final boolean protectedOnly;
    private final Integer maximumTimeoutSeconds;
    private final boolean paused;

    private RunnerSpec(Builder b) {
        this.stack = name("runner.stack", b.stack);
        this.name = name("runner.name", b.name);
        if (b.scope == null) {
            throw new ValidationException("runner.scope", null, "set projectId, groupId or instance()");
        }
        this.scope = b.scope;
        this.projectId = b.projectId;
        this.groupId = b.groupId;
        this.description = b.description == null ? "" : b.description;
        if (marker().length() + 1 + description.length() + registrationSuffix(newRegistration()).length() > 1024) {
            throw new ValidationException("runner.description", description, "description plus irsa marker must fit 1024 characters");
        }
        this.tags = GitLabValidators.runnerTags("runner.tags", b.tags);
        this.runUntagged = b.runUntagged;
        if (tags.isEmpty() && !runUntagged) {
            throw new ValidationException("runner.tags", "[]", "a runner without tags must be allowed to run untagged jobs (runUntagged(true))");
        }
        this.locked = b.locked;
        this.protectedOnly = b.protectedOnly;
        this.maximumTimeoutSeconds = b.maximumTimeoutSeconds == null ? null
                : GitLabValidators.maximumTimeout("runner.maximumTimeout", b.maximumTimeoutSeconds);
        this.paused = b.paused;
    }

    private static String name(String field, String v) {
        Validators.notBlank(field, v);
        if (!NAME.matcher(v).matches()) {
            throw new ValidationException(field, v, "1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return v;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code irsa:<stack>/<name>}: how irsa recognises its runner. */
    public String marker() {
        return marker(stack, name);
    }

    /** The marker of runner {@code name} of stack {@code stack}: {@code irsa:<stack>/<name>}. */
    public static String marker(String stack, String name) {
        return "irsa:" + stack + "/" + name;
    }

    /** True when a runner's GitLab description starts with this spec's marker (alone or followed by a space). */
    public boolean markedIn(String gitlabDescription) {
        return markedIn(marker(), gitlabDescription);
    }

    /** True when a runner's GitLab description starts with {@code marker} (alone or followed by a space). */
    public static boolean markedIn(String marker, String gitlabDescription) {
        return gitlabDescription != null && (gitlabDescription.equals(marker) || gitlabDescription.startsWith(marker + " "));
    }

    /**
     * A new registration nonce (128 random bits, hex): recorded by irsa before it registers a runner and put
     * into that runner's description, so that a runner whose registration answer was lost can be proven
     * irsa's (the marker alone proves nothing: anyone may write it into a description).
     */
    public static String newRegistration() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return java.util.HexFormat.of().formatHex(nonce);
    }

    /** The description sent when registering with {@code registration}: {@link #gitlabDescription()} and the nonce. */
    public String gitlabDescription(String registration) {
        return gitlabDescription() + registrationSuffix(registration);
    }

    /** True when a runner's GitLab description carries the registration nonce {@code registration}. */
    public static boolean registeredAs(String gitlabDescription, String registration) {
        return gitlabDescription != null && registration != null && !registration.isBlank()
                && gitlabDescription.endsWith(registrationSuffix(registration));
    }

    private static String registrationSuffix(String registration) {
        return " [irsa-registration " + registration + "]";
    }

    /** A runner's GitLab description without the registration nonce irsa added when registering it. */
    static String withoutRegistration(String gitlabDescription) {
        if (gitlabDescription == null) {
            return "";
        }
        return REGISTRATION_SUFFIX.matcher(gitlabDescription).replaceFirst("");
    }

    /**
     * Every setting irsa gives the runner, as GitLab's field names to their text ({@code description} without
     * the registration nonce, {@code tag_list} sorted): what {@link RunnerInfo#drift} compares. The scope is not
     * among them: a runner in the wrong project is not drift but another runner. {@code maximum_timeout} is
     * here only when the spec sets it (otherwise GitLab's value, whatever it is, is left alone).
     */
    public java.util.SortedMap<String, String> settings() {
        return RunnerInfo.settings(gitlabDescription(), tags, accessLevel(), locked, runUntagged, paused,
                java.util.Optional.ofNullable(maximumTimeoutSeconds), maximumTimeoutSeconds != null);
    }

    /** The description sent to GitLab: the marker, then the human description. */
    public String gitlabDescription() {
        return description.isEmpty() ? marker() : marker() + " " + description;
    }

    public String stack() {
        return stack;
    }

    public String name() {
        return name;
    }

    public Scope scope() {
        return scope;
    }

    public Long projectId() {
        return projectId;
    }

    public Long groupId() {
        return groupId;
    }

    public List<String> tags() {
        return tags;
    }

    public boolean runUntagged() {
        return runUntagged;
    }

    public boolean locked() {
        return locked;
    }

    public boolean protectedOnly() {
        return protectedOnly;
    }

    /** GitLab's {@code access_level}. */
    public String accessLevel() {
        return protectedOnly ? "ref_protected" : "not_protected";
    }

    public Integer maximumTimeoutSeconds() {
        return maximumTimeoutSeconds;
    }

    public boolean paused() {
        return paused;
    }

    @Override
    public String toString() {
        return "RunnerSpec{" + marker() + ", scope=" + scope + ", tags=" + tags + "}";
    }

    public static final class Builder {
        private String stack;
        private String name;
        private Scope scope;
        private Long projectId;
        private Long groupId;
        private String description;
        private List<String> tags = new ArrayList<>();
        private boolean runUntagged;
        private boolean locked = true;
        private boolean protectedOnly;
        private Integer maximumTimeoutSeconds;
        private boolean paused;

        private Builder() {
        }

        public Builder stack(String stack) {
            this.stack = stack;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder projectId(long projectId) {
            this.scope = Scope.PROJECT;
            this.projectId = projectId;
            this.groupId = null;
            return this;
        }

        public Builder groupId(long groupId) {
            this.scope = Scope.GROUP;
            this.groupId = groupId;
            this.projectId = null;
            return this;
        }

        /** An instance runner (needs an administrator's token). */
        public Builder instance() {
            this.scope = Scope.INSTANCE;
            this.projectId = null;
            this.groupId = null;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder tags(String... tags) {
            this.tags = new ArrayList<>(Arrays.asList(tags));
            return this;
        }

        public Builder tags(List<String> tags) {
            this.tags = new ArrayList<>(Objects.requireNonNull(tags));
            return this;
        }

        /** Default false: the runner takes only jobs tagged for it. */
        public Builder runUntagged(boolean runUntagged) {
            this.runUntagged = runUntagged;
            return this;
        }

        /** Default true: a project runner stays with its project. */
        public Builder locked(boolean locked) {
            this.locked = locked;
            return this;
        }

        /** Only jobs on protected branches/tags ({@code access_level=ref_protected}). */
        public Builder protectedOnly(boolean protectedOnly) {
            this.protectedOnly = protectedOnly;
            return this;
        }

        public Builder maximumTimeoutSeconds(Integer seconds) {
            this.maximumTimeoutSeconds = seconds;
            return this;
        }

        public Builder paused(boolean paused) {
            this.paused = paused;
            return this;
        }

        public RunnerSpec build() {
            return new RunnerSpec(this);
        }
    }
}

package dev.irsa.gitlab.ci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.irsa.ValidationException;
import dev.irsa.gitlab.api.GitLabValidators;
import dev.irsa.gitlab.internal.Yaml;
import dev.irsa.validation.Validators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A {@code .gitlab-ci.yml}: stages, a global {@code before_script} and jobs tagged for the irsa runner.
 * Pure: rendering does no I/O.
 *
 * <pre>{@code
 * String yaml = GitLabCiFile.builder()
 *         .stages("dev")
 *         .job("infra", j -> j.stage("dev").image(CiImage.named("amazon/aws-cli"))
 *                 .script("aws sts get-caller-identity").tags("k8s-dev-runner"))
 *         .build()
 *         .toYaml();
 * }</pre>
 *
 * <p>GitLab OIDC mode (no cluster): {@link Job.Builder#awsWebIdentity(String, String, OidcExchange)} adds
 * {@code id_tokens} with the audience and the script that turns the token into AWS credentials.
 */
public final class GitLabCiFile {
    private static final Set<String> RESERVED = Set.of("image", "services", "stages", "types", "before_script",
            "after_script", "variables", "cache", "include", "default", "workflow", "pages:deploy");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<String> stages;
    private final List<String> beforeScript;
    private final Map<String, Job> jobs;

    private GitLabCiFile(Builder b) {
        this.stages = List.copyOf(b.stages);
        this.beforeScript = List.copyOf(b.beforeScript);
        if (b.jobs.isEmpty()) {
            throw new ValidationException("jobs", "{}", "a pipeline needs at least one job");
        }
        Map<String, Job> built = new LinkedHashMap<>();
        b.jobs.forEach((name, jb) -> {
            Validators.notBlank("jobs", name);
            if (RESERVED.contains(name)) {
                throw new ValidationException("jobs." + name, name, "a reserved .gitlab-ci.yml keyword, not a job name");
            }
            Job job = jb.build(name);
            if (!stages.isEmpty() && job.stage != null && !stages.contains(job.stage)) {
                throw new ValidationException("jobs." + name + ".stage", job.stage, "must be one of the stages " + stages);
            }
            built.put(name, job);
        });
        this.jobs = java.util.Collections.unmodifiableMap(built);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> stages() {
        return stages;
    }

    public Map<String, Job> jobs() {
        return jobs;
    }

    public ObjectNode toTree() {
        ObjectNode root = Yaml.MAPPER.createObjectNode();
        if (!stages.isEmpty()) {
            stages.forEach(root.putArray("stages")::add);
        }
        if (!beforeScript.isEmpty()) {
            beforeScript.forEach(root.putArray("before_script")::add);
        }
        jobs.forEach((name, job) -> root.set(name, job.toTree()));
        return root;
    }

    public String toYaml() {
        return Yaml.write(toTree());
    }

    @Override
    public String toString() {
        return toYaml();
    }

    /** How a GitLab OIDC {@code id_token} becomes AWS credentials inside the job. */
    public enum OidcExchange {
        /** Write the token to a file; the AWS SDKs/CLI read {@code AWS_ROLE_ARN} + {@code AWS_WEB_IDENTITY_TOKEN_FILE}. */
        TOKEN_FILE,
        /** Call {@code aws sts assume-role-with-web-identity} and export the session credentials. */
        ASSUME_ROLE_CLI
    }

    public static final class Builder {
        private final List<String> stages = new ArrayList<>();
        private final List<String> beforeScript = new ArrayList<>();
        private final Map<String, Job.Builder> jobs = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder stages(String... stages) {
            this.stages.addAll(Arrays.asList(stages));
            return this;
        }

        public Builder beforeScript(String... lines) {
            this.beforeScript.addAll(Arrays.asList(lines));
            return this;
        }

        public Builder job(String name, Consumer<Job.Builder> job) {
            job.accept(jobs.computeIfAbsent(name, n -> new Job.Builder()));
            return this;
        }

        public GitLabCiFile build() {
            return new GitLabCiFile(this);
        }
    }

    /** A job's image: a plain name, or {@code {name, entrypoint}}. */
    public record CiImage(String name, List<String> entrypoint, boolean asMap) {
        public CiImage {
            Validators.notBlank("image.name", name);
            entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        }

        /** {@code image: <name>} */
        public static CiImage of(String name) {
            return new CiImage(name, List.of(), false);
        }

        /** {@code image: {name: <name>}} */
        public static CiImage named(String name) {
            return new CiImage(name, List.of(), true);
        }

        /** {@code image: {name: <name>, entrypoint: [...]}}; {@code entrypoint("")} clears the image's entrypoint. */
        public CiImage withEntrypoint(String... entrypoint) {
            return new CiImage(name, Arrays.asList(entrypoint), true);
        }
    }

    /** One job. */
    public static final class Job {
        private final String stage;
        private final CiImage image;
        private final Map<String, String> idTokens;
        private final Map<String, String> variables;
        private final List<String> script;
        private final List<String> tags;
        private final List<String> rulesIf;

        private Job(Builder b, String name) {
            this.stage = b.stage;
            this.image = b.image;
            this.idTokens = Map.copyOf(b.idTokens);
            this.variables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.variables));
            List<String> s = new ArrayList<>(b.exchangeScript);
            s.addAll(b.script);
            if (s.isEmpty()) {
                throw new ValidationException("jobs." + name + ".script", "[]", "a job needs at least one script line");
            }
            this.script = List.copyOf(s);
            this.tags = GitLabValidators.runnerTags("jobs." + name + ".tags", b.tags);
            for (String rule : b.rulesIf) {
                Validators.notBlank("jobs." + name + ".rules.if", rule);
                if (rule.contains("\n") || rule.contains("\r")) {
                    throw new ValidationException("jobs." + name + ".rules.if", rule, "one line: a CI/CD variable expression");
                }
            }
            this.rulesIf = List.copyOf(b.rulesIf);
            idTokens.forEach((var, aud) -> {
                if (!VARIABLE.matcher(var).matches()) {
                    throw new ValidationException("jobs." + name + ".id_tokens", var, "a CI variable name: letters, digits, '_'");
                }
                Validators.notBlank("jobs." + name + ".id_tokens." + var + ".aud", aud);
            });
        }

        public String stage() {
            return stage;
        }

        public List<String> script() {
            return script;
        }

        public List<String> tags() {
            return tags;
        }

        /** {@code id_tokens}: variable name to audience. */
        public Map<String, String> idTokens() {
            return idTokens;
        }

        public Map<String, String> variables() {
            return variables;
        }

        ObjectNode toTree() {
            ObjectNode node = Yaml.MAPPER.createObjectNode();
            if (stage != null) {
                node.put("stage", stage);
            }
            if (image != null) {
                if (image.asMap()) {
                    ObjectNode img = node.putObject("image");
                    img.put("name", image.name());
                    if (!image.entrypoint().isEmpty()) {
                        image.entrypoint().forEach(img.putArray("entrypoint")::add);
                    }
                } else {
                    node.put("image", image.name());
                }
            }
            if (!idTokens.isEmpty()) {
                ObjectNode tokens = node.putObject("id_tokens");
                idTokens.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> tokens.putObject(e.getKey()).put("aud", e.getValue()));
            }
            if (!variables.isEmpty()) {
                ObjectNode vars = node.putObject("variables");
                variables.forEach(vars::put);
            }
            script.forEach(node.putArray("script")::add);
            if (!rulesIf.isEmpty()) {
                var rules = node.putArray("rules");
                rulesIf.forEach(r -> rules.addObject().put("if", r));
            }
            if (!tags.isEmpty()) {
                tags.forEach(node.putArray("tags")::add);
            }
            return node;
        }

        public static final class Builder {
            /** The variable GitLab fills with the OIDC id token in OIDC mode. */
            public static final String OIDC_TOKEN_VARIABLE = "GITLAB_OIDC_TOKEN";
            /** Where the token is written in {@link OidcExchange#TOKEN_FILE} mode. */
            public static final String TOKEN_FILE = "${CI_BUILDS_DIR}/.irsa-web-identity-token";

            private String stage;
            private CiImage image;
            private final Map<String, String> idTokens = new LinkedHashMap<>();
            private final Map<String, String> variables = new LinkedHashMap<>();
            private final List<String> exchangeScript = new ArrayList<>();
            private final List<String> script = new ArrayList<>();
            private final List<String> tags = new ArrayList<>();
            private final List<String> rulesIf = new ArrayList<>();

            private Builder() {
            }

            public Builder stage(String stage) {
                this.stage = stage;
                return this;
            }

            public Builder image(String image) {
                this.image = CiImage.of(image);
                return this;
            }

            public Builder image(CiImage image) {
                this.image = image;
                return this;
            }

            public Builder script(String... lines) {
                script.addAll(Arrays.asList(lines));
                return this;
            }

            /** Runner tags; must match the irsa runner's tags so the job lands on it. */
            public Builder tags(String... tags) {
                this.tags.addAll(Arrays.asList(tags));
                return this;
            }

            public Builder variable(String name, String value) {
                if (!VARIABLE.matcher(name == null ? "" : name).matches()) {
                    throw new ValidationException("variables", name, "a CI variable name: letters, digits, '_'");
                }
                variables.put(name, value);
                return this;
            }

            /**
             * A {@code rules: - if:} entry (GitLab docs, ci/yaml {@code rules:if}): the job runs only when one of the
             * expressions holds, e.g. {@code $CI_COMMIT_BRANCH == "main"}.
             */
            public Builder ruleIf(String expression) {
                rulesIf.add(expression);
                return this;
            }

            public Builder idToken(String variable, String audience) {
                idTokens.put(variable, audience);
                return this;
            }

            /**
             * GitLab OIDC mode: an {@code id_token} for {@code audience} and the script lines that exchange it
             * for credentials of {@code roleArn}, placed before the job's own script.
             */
            public Builder awsWebIdentity(String roleArn, String audience, OidcExchange exchange) {
                if (roleArn == null || !ROLE_ARN.matcher(roleArn).matches()) {
                    throw new ValidationException("awsWebIdentity.roleArn", roleArn, "an IAM role ARN like arn:aws:iam::111122223333:role/name");
                }
                Validators.notBlank("awsWebIdentity.audience", audience);
                idToken(OIDC_TOKEN_VARIABLE, audience);
                variable("AWS_ROLE_ARN", roleArn);
                exchangeScript.clear();
                if (exchange == OidcExchange.TOKEN_FILE) {
                    variable("AWS_WEB_IDENTITY_TOKEN_FILE", TOKEN_FILE);
                    variable("AWS_ROLE_SESSION_NAME", "gitlab-${CI_PROJECT_ID}-${CI_JOB_ID}");
                    exchangeScript.add("printf '%s' \"$" + OIDC_TOKEN_VARIABLE + "\" > \"$AWS_WEB_IDENTITY_TOKEN_FILE\"");
                } else {
                    exchangeScript.add("export $(printf \"AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_SESSION_TOKEN=%s\" "
                            + "$(aws sts assume-role-with-web-identity --role-arn \"$AWS_ROLE_ARN\" "
                            + "--role-session-name \"gitlab-${CI_PROJECT_ID}-${CI_JOB_ID}\" "
                            + "--web-identity-token \"$" + OIDC_TOKEN_VARIABLE + "\" --duration-seconds 3600 "
                            + "--query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text))");
                }
                return this;
            }

            Job build(String name) {
                return new Job(this, name);
            }
        }
    }
}

package dev.irsa.gitlab.stack;

import dev.irsa.ValidationException;
import dev.irsa.binding.IdentityMode;
import dev.irsa.binding.RoleBinding;
import dev.irsa.gitlab.ci.GitLabCiFile;
import dev.irsa.gitlab.stack.internal.StackYaml;
import dev.irsa.policy.GitLabSubject;
import dev.irsa.validation.Validators;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a spec file holds: a {@link RunnerStack} (a role binding and a GitLab runner), or role bindings without a
 * runner, e.g. IRSA roles for any workload, or GitLab OIDC roles for jobs on shared runners. The CLI reads both.
 *
 * <pre>{@code
 * StackSpec spec = StackSpec.fromYaml(Path.of("examples/stacks/gitlab-oidc.yaml"));
 * if (spec.runnerStack().isEmpty()) {
 *     irsa.applyAll(spec.bindings()).orThrow();               // one plan, the shared OIDC provider once
 *     System.out.println(spec.gitlabOidcPipeline("111122223333").toYaml());   // the jobs that assume the roles
 * }
 *
 * // the same spec in Java:
 * StackSpec same = StackSpec.of("ci-roles", List.of(deploy, readOnly));
 * }</pre>
 *
 * A spec without a runner lists its bindings under {@code bindings:} (each with a name, a role, and a
 * {@code serviceAccount} or {@code gitlabOidc}; {@code mode}, {@code cluster} and {@code accountId} at the top level
 * are defaults for every entry), or gives one binding at the top level as a runner stack does. Every binding of a
 * spec marks the OIDC provider it shares with the spec's name ({@link RoleBinding#providerOwner()}).
 */
public final class StackSpec {
    private final String name;
    private final Optional<RunnerStack> runnerStack;
    private final List<RoleBinding> bindings;

    private StackSpec(String name, Optional<RunnerStack> runnerStack, List<RoleBinding> bindings) {
        this.name = name;
        this.runnerStack = runnerStack;
        this.bindings = bindings;
    }

    /** A spec of one runner stack. */
    public static StackSpec of(RunnerStack stack) {
        Objects.requireNonNull(stack, "stack");
        return new StackSpec(stack.name(), Optional.of(stack), List.of(stack.binding()));
    }

    /**
     * A spec of role bindings without a runner, planned as one plan.
     *
     * @throws ValidationException when the name is not a DNS label, the list is empty, or two bindings share a name
     */
    public static StackSpec of(String name, List<RoleBinding> bindings) {
        Validators.dns1123Label("name", name);
        if (bindings == null || bindings.isEmpty()) {
            throw new ValidationException("bindings", bindings == null ? null : "[]", "at least one binding");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < bindings.size(); i++) {
            RoleBinding b = Objects.requireNonNull(bindings.get(i), "bindings[" + i + "]");
            if (!names.add(b.name())) {
                throw new ValidationException("bindings[" + i + "].name", b.name(), "names one binding of the spec only");
            }
        }
        return new StackSpec(name, Optional.empty(), List.copyOf(bindings));
    }

    /** Reads a spec from YAML text (see {@link RunnerStack#fromYaml(String)} for the rules); errors name the field. */
    public static StackSpec fromYaml(String yaml) {
        return StackYaml.readSpec(yaml);
    }

    /** Reads a spec file; one over 3 MiB is refused by its size, before it is read. */
    public static StackSpec fromYaml(Path file) {
        return fromYaml(StackYaml.text(file));
    }

    /** Reads a spec from a stream, at most 3 MiB of it. */
    public static StackSpec fromYaml(InputStream in) {
        return fromYaml(StackYaml.text(in));
    }

    public String name() {
        return name;
    }

    /** The runner stack, when the spec has a runner. */
    public Optional<RunnerStack> runnerStack() {
        return runnerStack;
    }

    /** The role bindings: the spec's, or the runner stack's one binding. */
    public List<RoleBinding> bindings() {
        return bindings;
    }

    /**
     * The {@code .gitlab-ci.yml} jobs that use the spec's GitLab OIDC roles: one job per {@link IdentityMode#GITLAB_OIDC}
     * binding, named after it, with an {@code id_tokens} token for the binding's audience written to a web-identity
     * token file the AWS CLI and SDKs read ({@code AWS_ROLE_ARN}, {@code AWS_WEB_IDENTITY_TOKEN_FILE}); no access keys.
     * The role admits only jobs of the project and ref the binding trusts, so the job runs only on that ref
     * ({@code rules: - if: $CI_COMMIT_BRANCH == "main"}, or {@code $CI_COMMIT_TAG} for a tag). Pure.
     *
     * @param accountId the account of the roles when a binding does not name it ({@code accountId} in the spec)
     * @throws ValidationException when the spec has no GitLab OIDC binding, or an account is needed and not valid
     */
    public GitLabCiFile gitlabOidcPipeline(String accountId) {
        List<RoleBinding> oidc = bindings.stream().filter(b -> b.mode() == IdentityMode.GITLAB_OIDC).toList();
        if (oidc.isEmpty()) {
            throw new ValidationException("bindings", name, "no binding of mode gitlab-oidc: nothing for a GitLab job to assume");
        }
        GitLabCiFile.Builder file = GitLabCiFile.builder();
        for (RoleBinding b : oidc) {
            String account = b.accountId().orElseGet(() -> Validators.accountId("accountId", accountId));
            String roleArn = b.roleArn(account, b.partition());
            GitLabSubject subject = b.gitlabOidc().orElseThrow().subject();
            file.job(b.name(), j -> {
                j.image(GitLabCiFile.CiImage.of("amazon/aws-cli")).variable("AWS_DEFAULT_REGION", "us-east-1")
                        .awsWebIdentity(roleArn, b.gitlabOidc().orElseThrow().effectiveAudience(), GitLabCiFile.OidcExchange.TOKEN_FILE)
                        .script("aws sts get-caller-identity");
                if (!subject.isPattern()) {
                    // only where the trust admits the job: elsewhere STS would refuse the token
                    j.ruleIf((subject.refType() == GitLabSubject.RefType.BRANCH ? "$CI_COMMIT_BRANCH" : "$CI_COMMIT_TAG")
                            + " == \"" + subject.ref() + "\"");
                }
            });
        }
        return file.build();
    }

    @Override
    public String toString() {
        return "StackSpec{" + name + runnerStack.map(s -> ", runner stack").orElse(", " + bindings.size() + " binding(s)") + "}";
    }
}

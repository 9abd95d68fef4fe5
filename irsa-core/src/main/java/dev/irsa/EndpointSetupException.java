package dev.irsa;

import java.util.List;
import java.util.Objects;

/**
 * A real endpoint cannot be set up from what the environment holds: no kubeconfig, no AWS credentials, no
 * region, no GitLab token. Raised when {@link IrsaEndpoints} opens, before any remote change. Says what is
 * missing ({@link #field()}, {@link #problem()}) and where irsa looked ({@link #lookedAt()}); it never
 * carries a credential, only names and paths.
 *
 * <pre>{@code
 * try (IrsaEndpoints endpoints = IrsaEndpoints.builder().open()) { ... }
 * catch (EndpointSetupException e) {
 *     e.field();      // "kubernetes.kubeconfig"
 *     e.lookedAt();   // ["$KUBECONFIG = missing.yaml: missing.yaml is not a readable, non-empty file", ...]
 * }
 * }</pre>
 *
 * It is a {@link ValidationException} (field, value {@code null}, rule = what is missing, where irsa looked and
 * what to do), so code that handles bad input handles a missing setting the same way. The message is
 * {@code field: problem; looked at: ...; .... fix}.
 */
public class EndpointSetupException extends ValidationException {
    private static final long serialVersionUID = 1L;

    private final String problem;
    private final List<String> lookedAt;
    private final String fix;

    public EndpointSetupException(String field, String problem, List<String> lookedAt, String fix) {
        this(field, problem, lookedAt, fix, null);
    }

    public EndpointSetupException(String field, String problem, List<String> lookedAt, String fix, Throwable cause) {
        super(field, null, rule(problem, lookedAt, fix),
                SafeText.escape(field + ": " + rule(problem, lookedAt, fix)));
        this.problem = Objects.requireNonNull(problem, "problem");
        this.lookedAt = List.copyOf(lookedAt);
        this.fix = Objects.requireNonNull(fix, "fix");
        if (cause != null) {
            initCause(cause);
        }
    }

    /** What is missing, e.g. {@code no kubeconfig found}. */
    public String problem() {
        return problem;
    }

    /** Where irsa (or the SDK on its behalf) looked, in the order it looked. */
    public List<String> lookedAt() {
        return lookedAt;
    }

    /** What to do about it, e.g. {@code Set IRSA_GITLAB_TOKEN to a token with the create_runner scope}. */
    public String fix() {
        return fix;
    }

    private static String rule(String problem, List<String> lookedAt, String fix) {
        return problem + (lookedAt.isEmpty() ? "" : "; looked at: " + String.join("; ", lookedAt)) + ". " + fix;
    }
}

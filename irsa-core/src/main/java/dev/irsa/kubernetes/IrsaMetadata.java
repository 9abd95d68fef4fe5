package dev.irsa.kubernetes;

import java.util.Map;

/**
 * Label and annotation keys irsa reads and writes on Kubernetes objects.
 *
 * <p>Ownership: every object irsa creates carries {@link #MANAGED_BY_LABEL}={@link #MANAGED_BY_VALUE} and
 * {@link #STACK_LABEL}=&lt;stack&gt;. A service account additionally carries {@link #ORIGIN_ANNOTATION}:
 * {@link #ORIGIN_CREATED} when irsa created it (removing the binding deletes it) or {@link #ORIGIN_ADOPTED}
 * when irsa took over an existing one (removing the binding only strips irsa's keys).
 */
public final class IrsaMetadata {
    private IrsaMetadata() {
    }

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "irsa";
    public static final String STACK_LABEL = "irsa.dev/stack";
    public static final String ORIGIN_ANNOTATION = "irsa.dev/origin";
    public static final String ORIGIN_CREATED = "created";
    public static final String ORIGIN_ADOPTED = "adopted";
    /**
     * On the runner-token Secret: the GitLab id of the runner whose token it holds (not secret). Lets irsa
     * read that runner directly and tell a token of a removed runner from a stored one.
     */
    public static final String RUNNER_ID_ANNOTATION = "irsa.dev/runner-id";
    /**
     * On the runner-token Secret: the nonce of a runner registration irsa started and has not recorded the id
     * of yet. Written before {@code POST /user/runners} and put into the runner's description, so a runner
     * whose answer was lost is still provably irsa's (a marker in a description alone proves nothing: anyone
     * can write it). Removed when the id is recorded.
     */
    public static final String RUNNER_REGISTRATION_ANNOTATION = "irsa.dev/runner-registration";
    /**
     * On the runner-token Secret: the sha256 of the pipeline file content irsa committed (comma-separated,
     * newest first; two while a commit is under way). A file whose content hash is not recorded here was not
     * written by irsa, or was edited since: irsa neither overwrites nor deletes it unless told to adopt it.
     */
    public static final String PIPELINE_SHA256_ANNOTATION = "irsa.dev/pipeline-sha256";

    /** The EKS pod identity webhook's service-account annotations. */
    public static final String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";
    public static final String AUDIENCE_ANNOTATION = "eks.amazonaws.com/audience";
    public static final String STS_REGIONAL_ENDPOINTS_ANNOTATION = "eks.amazonaws.com/sts-regional-endpoints";
    public static final String TOKEN_EXPIRATION_ANNOTATION = "eks.amazonaws.com/token-expiration";

    /** What {@code kubectl rollout restart} sets on a pod template. */
    public static final String RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt";

    /** Env vars the webhook injects; a pod without them has no web-identity credentials. */
    public static final String ENV_ROLE_ARN = "AWS_ROLE_ARN";
    public static final String ENV_WEB_IDENTITY_TOKEN_FILE = "AWS_WEB_IDENTITY_TOKEN_FILE";

    public static final String STS_AUDIENCE = "sts.amazonaws.com";

    /** The two ownership labels for a stack. */
    public static Map<String, String> ownershipLabels(String stack) {
        return Map.of(MANAGED_BY_LABEL, MANAGED_BY_VALUE, STACK_LABEL, stack);
    }

    /** True when the labels mark the object as irsa's for this stack. */
    public static boolean isOwnedBy(Map<String, String> labels, String stack) {
        return labels != null && MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY_LABEL)) && stack.equals(labels.get(STACK_LABEL));
    }

    /** True when the labels carry irsa's managed-by mark, whatever the stack. */
    public static boolean isIrsaManaged(Map<String, String> labels) {
        return labels != null && MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY_LABEL));
    }
}

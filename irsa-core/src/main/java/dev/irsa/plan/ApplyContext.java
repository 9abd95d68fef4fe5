package dev.irsa.plan;

/**
 * What {@link Resource#apply} and {@link Resource#delete} get: the change to make, what observing the
 * resource found while planning (e.g. a runner's id, a Kubernetes object's resourceVersion), the stack
 * name (for ownership marks), and the outputs of the dependencies, all applied by now.
 *
 * <pre>{@code
 * public Outputs apply(ApplyContext context) {
 *     String roleArn = context.require(roleId, IamRole.ARN);        // known: the role was applied first
 *     Map<String, String> labels = Map.of(
 *             "app.kubernetes.io/managed-by", "irsa",
 *             "irsa.dev/stack", context.stack());
 *     ...
 * }
 * }</pre>
 */
public interface ApplyContext extends Inputs {

    /** The name of the stack being applied. */
    String stack();

    /** The change being made; for {@link Resource#delete} a {@link Action#DELETE}. */
    Change change();

    /** What observing this resource found when the plan was made. */
    Observed observed();
}

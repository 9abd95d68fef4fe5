package dev.irsa.plan;

import java.util.Optional;

/**
 * What a resource may read from the resources it {@linkplain Resource#dependsOn() depends on}: their
 * outputs and what the plan does to them. While planning, the outputs of a dependency that is about to be
 * created are not known yet ({@link #output} is empty, so the field prints {@code (known after apply)});
 * while applying, dependencies have been applied first, so their outputs are known. A dependency that
 * will only be updated keeps the outputs observed while planning (an ARN does not change on update).
 *
 * <pre>{@code
 * public Fields desired(Inputs inputs) {
 *     return Fields.builder()
 *             .put("annotation.eks.amazonaws.com/role-arn", inputs.output(roleId, ROLE_ARN))  // Optional<String>
 *             .build();
 * }
 * }</pre>
 *
 * Reading from a resource that is not a declared dependency throws {@link UnknownDependencyException}:
 * the engine orders work by declared dependencies only.
 */
public interface Inputs {

    /** The dependency's output, or empty when it is not known (yet). */
    <T> Optional<T> output(ResourceId dependency, OutputKey<T> key);

    /**
     * The dependency's output; throws {@link MissingOutputException} when it is not known. Use it in
     * {@link Resource#apply}, where a dependency's outputs must be there.
     */
    default <T> T require(ResourceId dependency, OutputKey<T> key) {
        return output(dependency, key).orElseThrow(() -> new MissingOutputException(dependency, key));
    }

    /** What the plan does to the dependency (e.g. to tell "the runner is being recreated" from "unchanged"). */
    Action action(ResourceId dependency);
}

package dev.irsa.plan;

/**
 * A change found the world different from what its plan observed, in a way it cannot absorb without
 * risking a duplicate: typically another run created the object between this run's plan and its apply.
 * Nothing was changed by the failing change. Plan again (the facade's {@code apply} does so by itself).
 *
 * <pre>{@code
 * ApplyResult result = applier.apply(plan);
 * boolean replan = result.failures().stream()
 *         .anyMatch(o -> o.error().orElseThrow() instanceof StalePlanException);
 * }</pre>
 */
public class StalePlanException extends PlanException {
    private static final long serialVersionUID = 1L;

    private final ResourceId resource;

    public StalePlanException(ResourceId resource, String whatChanged) {
        super(resource + " changed since the plan was made: " + whatChanged + "; plan again");
        this.resource = resource;
    }

    public ResourceId resource() {
        return resource;
    }

    /** Whether any change of {@code result} failed because its plan was stale. */
    public static boolean causedFailureIn(ApplyResult result) {
        return result.failures().stream().anyMatch(o -> o.error().filter(StalePlanException.class::isInstance).isPresent());
    }
}

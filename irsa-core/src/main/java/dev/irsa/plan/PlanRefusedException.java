package dev.irsa.plan;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Apply was asked to run a plan that contains {@link Action#REFUSE} changes (objects that exist but are
 * not irsa's). Nothing was changed: the check runs before the first call.
 */
public class PlanRefusedException extends PlanException {
    private static final long serialVersionUID = 1L;

    private final List<ResourceId> refused;

    public PlanRefusedException(List<ResourceId> refused) {
        super("refusing to apply: " + refused.stream().map(ResourceId::toString).collect(Collectors.joining(", "))
                + (refused.size() == 1 ? " exists" : " exist") + " but " + (refused.size() == 1 ? "is" : "are")
                + " not managed by irsa (plan again with adoption to take over)");
        this.refused = List.copyOf(refused);
    }

    public List<ResourceId> refused() {
        return refused;
    }
}

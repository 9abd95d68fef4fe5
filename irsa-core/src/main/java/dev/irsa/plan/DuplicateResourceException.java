package dev.irsa.plan;

/** Two resources of one plan have the same id. */
public class DuplicateResourceException extends PlanException {
    private static final long serialVersionUID = 1L;

    private final ResourceId id;

    public DuplicateResourceException(ResourceId id) {
        super("resource declared twice: " + id);
        this.id = id;
    }

    public ResourceId id() {
        return id;
    }
}

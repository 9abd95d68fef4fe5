package dev.irsa.plan;

/** A resource depends on (or reads outputs of) a resource that is not part of the plan. */
public class UnknownDependencyException extends PlanException {
    private static final long serialVersionUID = 1L;

    private final ResourceId resource;
    private final ResourceId dependency;

    public UnknownDependencyException(ResourceId resource, ResourceId dependency) {
        super(resource + " depends on " + dependency + ", which is not part of the plan");
        this.resource = resource;
        this.dependency = dependency;
    }

    public ResourceId resource() {
        return resource;
    }

    public ResourceId dependency() {
        return dependency;
    }
}

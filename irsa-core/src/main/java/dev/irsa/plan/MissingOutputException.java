package dev.irsa.plan;

/** A resource needed an output its dependency did not publish. */
public class MissingOutputException extends PlanException {
    private static final long serialVersionUID = 1L;

    private final ResourceId dependency;
    private final String output;

    public MissingOutputException(ResourceId dependency, OutputKey<?> key) {
        super(dependency + " did not publish output '" + key.name() + "'");
        this.dependency = dependency;
        this.output = key.name();
    }

    public ResourceId dependency() {
        return dependency;
    }

    public String output() {
        return output;
    }
}

package dev.irsa.plan;

/** Observing a resource failed, so no plan can be made. The cause is the backend's error. */
public class ObservationException extends PlanException {
    private static final long serialVersionUID = 1L;

    private final ResourceId resource;

    public ObservationException(ResourceId resource, Throwable cause) {
        super("could not observe " + resource + ": " + cause.getMessage(), cause);
        this.resource = resource;
    }

    public ResourceId resource() {
        return resource;
    }
}

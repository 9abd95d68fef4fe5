package dev.irsa.plan;

import dev.irsa.IrsaException;

/** Applying one change failed with an error that is not an {@link IrsaException}; the cause is that error. */
public class ChangeFailedException extends IrsaException {
    private static final long serialVersionUID = 1L;

    private final ResourceId resource;
    private final Action action;

    public ChangeFailedException(ResourceId resource, Action action, Throwable cause) {
        super("could not " + verb(action) + " " + resource + ": " + cause, cause);
        this.resource = resource;
        this.action = action;
    }

    public ResourceId resource() {
        return resource;
    }

    public Action action() {
        return action;
    }

    private static String verb(Action action) {
        return switch (action) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case DELETE -> "delete";
            default -> "apply";
        };
    }
}

package dev.irsa.aws;

import dev.irsa.IrsaException;

/**
 * irsa refused to change or delete an AWS resource it does not own (no {@code irsa.dev/managed-by=irsa}
 * and matching {@code irsa.dev/stack} tags). Pass {@code adopt=true} to take over an existing resource.
 */
public class NotOwnedException extends IrsaException {
    private static final long serialVersionUID = 1L;

    private final String resource;
    private final String operation;

    public NotOwnedException(String resource, String operation, Ownership ownership, String detail) {
        super(operation + " refused on " + resource + ": it is not owned by irsa stack '" + ownership.stack() + "' (" + detail
                + "); irsa only changes resources tagged " + Ownership.MANAGED_BY_KEY + "=" + Ownership.MANAGED_BY_VALUE + " and "
                + Ownership.STACK_KEY + "=" + ownership.stack() + ", unless told to adopt them");
        this.resource = resource;
        this.operation = operation;
    }

    public String resource() {
        return resource;
    }

    public String operation() {
        return operation;
    }
}

package dev.irsa.kubernetes;

import dev.irsa.IrsaException;

/**
 * A destroy planned to delete a namespace irsa created, but right before the delete it held objects irsa
 * does not own (or its contents could not be listed), so irsa kept it: on a real cluster deleting a
 * namespace deletes everything in it. Everything else of the stack was destroyed as planned.
 */
public class NamespaceKeptException extends IrsaException {
    private static final long serialVersionUID = 1L;

    private final String namespace;
    private final String reason;

    public NamespaceKeptException(String namespace, String reason) {
        super("namespace " + namespace + " kept: " + reason);
        this.namespace = namespace;
        this.reason = reason;
    }

    public String namespace() {
        return namespace;
    }

    /** e.g. {@code holds Service/web (not irsa's)} or {@code could not list services: HTTP 403 Forbidden}. */
    public String reason() {
        return reason;
    }
}

package dev.irsa.kubernetes;

/** Who a live object belongs to, as its labels and irsa's origin annotation say. */
public enum Ownership {
    /** The object does not exist. */
    ABSENT,
    /** irsa created it for this stack; removing it deletes it. */
    CREATED_BY_STACK,
    /** irsa took it over for this stack ({@code adopt}); removing only strips irsa's keys. */
    ADOPTED_BY_STACK,
    /** Labelled for another irsa stack. */
    OTHER_STACK,
    /** Exists without irsa's labels: somebody else's. */
    FOREIGN;

    public boolean ownedByStack() {
        return this == CREATED_BY_STACK || this == ADOPTED_BY_STACK;
    }
}

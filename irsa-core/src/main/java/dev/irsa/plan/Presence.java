package dev.irsa.plan;

/** What observing a resource found. */
public enum Presence {
    /** Nothing there. */
    ABSENT,
    /** There, and carrying irsa's ownership marks for this stack (tags on IAM, labels on Kubernetes). */
    OWNED,
    /** There, but not marked as irsa's: apply refuses to change it unless adopting, destroy never deletes it. */
    FOREIGN,
    /**
     * There, not irsa's, and only used by the resource (e.g. an existing namespace the service account goes
     * into): apply and destroy both leave it as it is, without asking for adoption.
     */
    EXTERNAL
}

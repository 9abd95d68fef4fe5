package dev.irsa.plan;

/** What a plan will do to one resource. */
public enum Action {
    /** The object is absent: create it. Printed {@code +}. */
    CREATE("+"),
    /** The object exists and some fields differ (or it is being adopted): change them in place. Printed {@code ~}. */
    UPDATE("~"),
    /** Destroy an owned object. Printed {@code -}. */
    DELETE("-"),
    /** Nothing to do: up to date, already gone, or not irsa's to delete. Not printed except as a note. */
    NO_OP(" "),
    /** The object exists but is not irsa's, and adoption was not requested: apply will not run. Printed {@code !}. */
    REFUSE("!");

    private final String symbol;

    Action(String symbol) {
        this.symbol = symbol;
    }

    /** The one-character marker {@link Plan#render()} puts in front of the resource. */
    public String symbol() {
        return symbol;
    }

    /** Whether applying this action calls the backend to change something. */
    public boolean changes() {
        return this == CREATE || this == UPDATE || this == DELETE;
    }
}

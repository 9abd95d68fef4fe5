package dev.irsa.lint;

/** How serious a {@link Finding} is. {@link #ERROR} blocks apply unless the caller accepts that finding id. */
public enum Severity {
    ERROR,
    WARNING,
    INFO
}

package dev.irsa.binding;

import java.util.Objects;
import java.util.Optional;

/**
 * One verification step: what was checked, whether it passed, and when it did not, the likely cause and
 * the fix. Never carries a credential or a token.
 */
public record VerifyCheck(String name, Status status, String detail, Optional<String> cause, Optional<String> fix) {
    /** Outcome of a check. SKIPPED: not applicable or a backend needed for it was not given. */
    public enum Status { PASS, FAIL, SKIPPED }

    public VerifyCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(fix, "fix");
    }

    public static VerifyCheck pass(String name, String detail) {
        return new VerifyCheck(name, Status.PASS, detail, Optional.empty(), Optional.empty());
    }

    public static VerifyCheck fail(String name, String detail, String cause, String fix) {
        return new VerifyCheck(name, Status.FAIL, detail, Optional.of(cause), Optional.of(fix));
    }

    public static VerifyCheck skipped(String name, String why) {
        return new VerifyCheck(name, Status.SKIPPED, why, Optional.empty(), Optional.empty());
    }

    public boolean passed() {
        return status != Status.FAIL;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(status).append("  ").append(name).append(": ").append(detail);
        cause.ifPresent(c -> b.append("\n      cause: ").append(c));
        fix.ifPresent(f -> b.append("\n      fix:   ").append(f));
        return b.toString();
    }
}

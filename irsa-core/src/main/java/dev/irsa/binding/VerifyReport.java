package dev.irsa.binding;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The result of {@code verify} ("doctor"): checks in the order they ran. */
public record VerifyReport(String stack, List<VerifyCheck> checks) {
    public VerifyReport {
        Objects.requireNonNull(stack, "stack");
        checks = List.copyOf(checks);
    }

    /** True when no check failed. */
    public boolean passed() {
        return checks.stream().allMatch(VerifyCheck::passed);
    }

    public List<VerifyCheck> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    public Optional<VerifyCheck> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** This report followed by {@code more}'s checks. */
    public VerifyReport plus(List<VerifyCheck> more) {
        List<VerifyCheck> all = new ArrayList<>(checks);
        all.addAll(more);
        return new VerifyReport(stack, all);
    }

    /** Readable, one check per line (causes and fixes indented), then a verdict line. */
    public String render() {
        StringBuilder b = new StringBuilder();
        checks.forEach(c -> b.append(c).append('\n'));
        long failed = failures().size();
        b.append(failed == 0 ? "Verify: all " + checks.size() + " checks passed." : "Verify: " + failed + " of "
                + checks.size() + " checks failed.");
        return b.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}

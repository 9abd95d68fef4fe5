package dev.irsa;

import dev.irsa.binding.VerifyCheck;
import dev.irsa.binding.VerifyReport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Preflight} found, check by check in the order they ran: passed, failed (with the cause and the fix)
 * or skipped (with why, e.g. the list of IAM actions to grant when the caller may not simulate them). Names are
 * stable ids: {@code aws.credentials}, {@code aws.cluster}, {@code aws.permissions}, {@code kubernetes.kubeconfig},
 * {@code kubernetes.server}, {@code kubernetes.access.<resource>}, and, for runner stacks, {@code gitlab.*} and
 * {@code helm.release}. Never carries a credential.
 */
public record PreflightReport(String target, List<VerifyCheck> checks) {
    public PreflightReport {
        Objects.requireNonNull(target, "target");
        checks = List.copyOf(checks);
    }

    /** The same checks as a {@link VerifyReport}, whose queries a preflight shares. */
    private VerifyReport asVerifyReport() {
        return new VerifyReport(target, checks);
    }

    /** True when no check failed (skipped ones do not count against it). */
    public boolean passed() {
        return asVerifyReport().passed();
    }

    public List<VerifyCheck> failures() {
        return asVerifyReport().failures();
    }

    public Optional<VerifyCheck> check(String name) {
        return asVerifyReport().check(name);
    }

    /** This report followed by {@code more}'s checks. */
    public PreflightReport plus(List<VerifyCheck> more) {
        return new PreflightReport(target, asVerifyReport().plus(more).checks());
    }

    /** One check per line (causes and fixes indented), then a verdict line. */
    public String render() {
        StringBuilder b = new StringBuilder("Preflight for ").append(target).append(":\n");
        checks.forEach(c -> b.append(c).append('\n'));
        long failed = failures().size();
        b.append(failed == 0 ? "Preflight: all " + checks.size() + " checks passed (or were skipped): apply has what it needs."
                : "Preflight: " + failed + " of " + checks.size() + " checks failed; fix them before apply.");
        return b.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}

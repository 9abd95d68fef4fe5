package dev.irsa.lint;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The findings for one document plus the finding ids the caller accepted. Immutable: {@link #accept}
 * returns a new report. ERROR findings whose id was not accepted make {@link #throwIfErrors()} throw.
 *
 * <pre>{@code
 * LintReport report = PolicyLinter.lintPermissions(adminPolicy);
 * report.hasErrors();                                  // true: IRSA-P002 iam:* is privilege escalation
 * report.accept("IRSA-P002").throwIfErrors();          // deliberate: passes
 * }</pre>
 */
public final class LintReport {
    private final List<Finding> findings;
    private final Set<String> accepted;

    /** A report with nothing accepted yet. */
    public LintReport(List<Finding> findings) {
        this(findings, Set.of());
    }

    private LintReport(List<Finding> findings, Set<String> accepted) {
        this.findings = List.copyOf(findings);
        this.accepted = Set.copyOf(accepted);
    }

    /** All findings, accepted or not, in document order. */
    public List<Finding> findings() {
        return findings;
    }

    /** Finding ids accepted so far. */
    public Set<String> accepted() {
        return accepted;
    }

    /** ERROR findings whose id is not accepted. */
    public List<Finding> errors() {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR && !accepted.contains(f.id())).toList();
    }

    /** Whether an ERROR finding is left that was not accepted. */
    public boolean hasErrors() {
        return !errors().isEmpty();
    }

    /** Findings with the given id. */
    public List<Finding> findings(String id) {
        return findings.stream().filter(f -> f.id().equals(id)).toList();
    }

    /** A report that accepts these finding ids (deliberately: their ERRORs no longer block). */
    public LintReport accept(String... findingIds) {
        Set<String> ids = new LinkedHashSet<>(accepted);
        for (String id : findingIds) {
            ids.add(Objects.requireNonNull(id, "findingId"));
        }
        return new LintReport(findings, ids);
    }

    /** @throws LintException listing every unaccepted ERROR finding */
    public void throwIfErrors() {
        List<Finding> errors = errors();
        if (!errors.isEmpty()) {
            throw new LintException(errors);
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Finding f : findings) {
            b.append(f).append(accepted.contains(f.id()) ? " [accepted]" : "").append('\n');
        }
        return b.length() == 0 ? "no findings" : b.toString().stripTrailing();
    }
}

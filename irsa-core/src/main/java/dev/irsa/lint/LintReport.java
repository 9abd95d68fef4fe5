package dev.irsa.lint;

import dev.irsa.ValidationException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The findings for one document (or one role's policies) plus the findings the caller accepted. Immutable:
 * {@link #accept} returns a new report. ERROR findings that were not accepted make {@link #throwIfErrors()}
 * throw.
 *
 * <p>An acceptance names a finding id and, optionally, the policy it applies to: {@code IRSA-P002@eks-admin}
 * accepts IRSA-P002 in the inline policy {@code eks-admin} only, {@code IRSA-T004@trust} in the trust policy
 * (see {@link Finding#scope()}). A bare id ({@code IRSA-P002}) is accepted only while a single policy reports
 * it; when the id is reported in two policies, {@link #accept} refuses with a ValidationException that
 * lists the scoped forms, so an acceptance meant for one policy never silences another one.
 *
 * <pre>{@code
 * LintReport report = PolicyLinter.lintPermissions(adminPolicy);
 * report.hasErrors();                                  // true: IRSA-P002 iam:* is privilege escalation
 * report.accept("IRSA-P002").throwIfErrors();          // deliberate: passes
 * binding.lint().accept("IRSA-P002@eks-admin");        // in a role: only the eks-admin inline policy
 * }</pre>
 */
public final class LintReport {
    private static final Pattern ACCEPTANCE = Pattern.compile("([A-Z]+-[A-Z][0-9]{3})(?:@([\\w+=,.@-]{1,128}))?");

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

    /**
     * Checks the syntax of an acceptance: a finding id, optionally {@code @<policy>}.
     *
     * @throws ValidationException naming {@code field} when it is null or malformed
     */
    public static String validAcceptance(String field, String acceptance) {
        if (acceptance == null || !ACCEPTANCE.matcher(acceptance).matches()) {
            throw new ValidationException(field, acceptance, "an accepted finding is its id, optionally scoped to the policy it is in: "
                    + "IRSA-P002@<inline policy name>, IRSA-T004@trust, or a bare IRSA-P002 when a single policy reports it");
        }
        return acceptance;
    }

    /** All findings, accepted or not, in document order. */
    public List<Finding> findings() {
        return findings;
    }

    /** The acceptances given so far, as written ({@code IRSA-P002}, {@code IRSA-P002@eks-admin}). */
    public Set<String> accepted() {
        return accepted;
    }

    /** Whether an acceptance covers this finding: its id bare, or its id scoped to the finding's policy. */
    public boolean isAccepted(Finding finding) {
        return accepted.contains(finding.id()) || accepted.contains(finding.id() + "@" + finding.scope());
    }

    /** The ERROR findings that are accepted: what the caller lets through deliberately (plans list them). */
    public List<Finding> acceptedErrors() {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR && isAccepted(f)).toList();
    }

    /** ERROR findings that are not accepted. */
    public List<Finding> errors() {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR && !isAccepted(f)).toList();
    }

    /** Whether an ERROR finding is left that was not accepted. */
    public boolean hasErrors() {
        return !errors().isEmpty();
    }

    /** Findings with the given id. */
    public List<Finding> findings(String id) {
        return findings.stream().filter(f -> f.id().equals(id)).toList();
    }

    /**
     * A report that accepts these findings (deliberately: their ERRORs no longer block). Each entry is a
     * finding id, optionally {@code @<policy>}.
     *
     * @throws ValidationException for a null or malformed entry, or a bare id reported in more than one policy
     */
    public LintReport accept(String... acceptances) {
        Set<String> all = new LinkedHashSet<>(accepted);
        for (String acceptance : acceptances) {
            Matcher m = ACCEPTANCE.matcher(validAcceptance("acceptLint", acceptance));
            m.matches();
            if (m.group(2) == null) {
                Set<String> scopes = new LinkedHashSet<>();
                findings(acceptance).forEach(f -> scopes.add(f.scope()));
                if (scopes.size() > 1) {
                    throw new ValidationException("acceptLint", acceptance, acceptance + " is reported in " + scopes.size()
                            + " policies " + scopes + "; accept it only where you mean it: "
                            + String.join(" or ", scopes.stream().map(s -> acceptance + "@" + s).toList()));
                }
            }
            all.add(acceptance);
        }
        return new LintReport(findings, all);
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
            b.append(f).append(isAccepted(f) ? " [accepted]" : "").append('\n');
        }
        return b.length() == 0 ? "no findings" : b.toString().stripTrailing();
    }
}

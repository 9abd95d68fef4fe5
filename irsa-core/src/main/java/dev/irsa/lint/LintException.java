package dev.irsa.lint;

import dev.irsa.IrsaException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a document has ERROR findings the caller did not accept. Lists each finding, and how to
 * accept one deliberately.
 */
public class LintException extends IrsaException {
    private static final long serialVersionUID = 1L;

    private final transient List<Finding> findings;

    /** @param unacceptedErrors the ERROR findings that were not accepted */
    public LintException(List<Finding> unacceptedErrors) {
        super(message(unacceptedErrors));
        this.findings = List.copyOf(unacceptedErrors);
    }

    /** The unaccepted ERROR findings. */
    public List<Finding> findings() {
        return findings;
    }

    private static String message(List<Finding> errors) {
        return errors.size() + " unaccepted lint error" + (errors.size() == 1 ? "" : "s") + ":\n  "
                + errors.stream().map(Finding::toString).collect(Collectors.joining("\n  "))
                + "\nFix the document, or accept a finding deliberately with report.accept(\""
                + (errors.isEmpty() ? "IRSA-..." : acceptance(errors.get(0))) + "\")"
                + (errors.isEmpty() || errors.get(0).scope().isEmpty() ? "." : " (acceptLint in a spec, scoped to the policy).");
    }

    /** How to accept this finding where it is: scoped to its policy when it has one. */
    private static String acceptance(Finding f) {
        return f.scope().isEmpty() ? f.id() : f.id() + "@" + f.scope();
    }
}

package dev.irsa.gitlab.runner;

import dev.irsa.lint.Finding;
import dev.irsa.lint.Severity;

import java.util.ArrayList;
import java.util.List;

/**
 * Findings about runner values (ids documented in irsa-gitlab/LINT-RULES.md). Pure: no I/O.
 *
 * <pre>{@code
 * List<Finding> findings = RunnerValuesLint.lint(values, "dev", "app-deployer");
 * }</pre>
 */
public final class RunnerValuesLint {
    private RunnerValuesLint() {
    }

    /**
     * @param bindingNamespace      namespace of the service account the IAM role trusts
     * @param bindingServiceAccount name of that service account
     */
    public static List<Finding> lint(RunnerValues values, String bindingNamespace, String bindingServiceAccount) {
        List<Finding> findings = new ArrayList<>();
        RunnerValues.Jobs jobs = values.jobs();
        if (bindingServiceAccount != null && !bindingServiceAccount.equals(jobs.serviceAccount())) {
            findings.add(new Finding("IRSA-G001", Severity.ERROR,
                    "job pods run as service account '" + jobs.serviceAccount() + "' but the IAM role trusts '"
                            + bindingServiceAccount + "'; jobs would get no AWS credentials",
                    "build runners.config [runners.kubernetes] service_account from the binding's service account",
                    "runners.config[runners.kubernetes].service_account"));
        }
        if (bindingNamespace != null && !bindingNamespace.equals(jobs.namespace())) {
            findings.add(new Finding("IRSA-G002", Severity.ERROR,
                    "job pods run in namespace '" + jobs.namespace() + "' but the IAM role trusts a service account in '"
                            + bindingNamespace + "'",
                    "build runners.config [runners.kubernetes] namespace from the binding's namespace",
                    "runners.config[runners.kubernetes].namespace"));
        }
        if (values.rbacCreate()) {
            for (int i = 0; i < values.rbacRules().size(); i++) {
                if (values.rbacRules().get(i).hasWildcard()) {
                    findings.add(new Finding("IRSA-G003", Severity.WARNING,
                            "rbac rule grants '*'; the Kubernetes executor needs only the rules in RbacRule.LEAST_PRIVILEGE",
                            "use RbacRule.LEAST_PRIVILEGE", "rbac.rules[" + i + "]"));
                }
            }
        }
        if (jobs.privileged()) {
            findings.add(new Finding("IRSA-G004", Severity.WARNING,
                    "job pods run privileged: a job can take over the node and with it every pod's credentials on it",
                    "set privileged=false unless the job builds containers with Docker-in-Docker",
                    "runners.config[runners.kubernetes].privileged"));
        }
        if (!values.secretValues().isEmpty()) {
            findings.add(new Finding("IRSA-G005", Severity.WARNING,
                    "the runner token is passed inline (runnerToken) and is stored in Helm's release Secret",
                    "keep the token in a Kubernetes Secret and set runners.secret (runnerSecretName)", "runnerToken"));
        }
        return List.copyOf(findings);
    }

    /**
     * Findings about values written for charts before 0.53 (e.g. the walkthrough's): every key the
     * current chart no longer reads (IRSA-G006, with where it moved) and a registration token (IRSA-G007).
     */
    public static List<Finding> lintLegacyValues(String legacyValuesYaml) {
        List<Finding> findings = new ArrayList<>();
        for (LegacyValuesMigration.KeyMigration k : LegacyValuesMigration.migrate(legacyValuesYaml).keys()) {
            if (k.legacyKey().equals("runnerRegistrationToken")) {
                findings.add(new Finding("IRSA-G007", Severity.ERROR,
                        "runnerRegistrationToken is a legacy registration token: disabled by default since GitLab 17.0, removed in 20.0",
                        "let irsa create the runner (POST /user/runners) and keep its glrt- token in the Secret named by runners.secret",
                        k.legacyKey()));
            } else if (k.disposition() != LegacyValuesMigration.Disposition.KEPT) {
                findings.add(new Finding("IRSA-G006", Severity.WARNING,
                        k.legacyKey() + " is ignored by gitlab-runner chart 0.86.0"
                                + (k.target().isEmpty() ? "" : "; it now lives in " + k.target()),
                        k.disposition() == LegacyValuesMigration.Disposition.MOVED
                                ? "use LegacyValuesMigration.migrate(...) to produce the current values" : "remove it",
                        k.legacyKey()));
            }
        }
        return List.copyOf(findings);
    }
}

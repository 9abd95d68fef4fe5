package dev.irsa.gitlab.stack;

import dev.irsa.binding.VerifyCheck;
import dev.irsa.gitlab.api.GitLabException;
import dev.irsa.gitlab.api.GitLabTokenAccess;
import dev.irsa.gitlab.api.GitLabTokenAccess.TokenInfo;
import dev.irsa.gitlab.helm.HelmException;
import dev.irsa.gitlab.helm.HelmExecutor;
import dev.irsa.gitlab.helm.HelmRelease;
import dev.irsa.gitlab.stack.internal.ReleaseValues;
import dev.irsa.kubernetes.AccessRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The GitLab and Helm checks of {@link StackPreflight}, and the Kubernetes access the runner side needs. */
final class RunnerPreflight {
    static final String TOKEN = "gitlab.token";
    static final String SCOPES = "gitlab.scopes";
    static final String ACCESS = "gitlab.access";
    static final String RELEASE = "helm.release";

    private static final String[] HELM_VERBS = {"get", "list", "create", "update", "patch", "delete"};

    private RunnerPreflight() {
    }

    /**
     * The runner token Secret irsa writes, and what Helm reads and writes for the gitlab-runner chart in the
     * release namespace: its release records (Secrets), the ConfigMap, the manager's Deployment and ServiceAccount,
     * and the Role and RoleBinding of its least-privilege RBAC.
     */
    static List<AccessRequest> kubernetesAccess(RunnerStack stack) {
        String ns = stack.releaseNamespace();
        return List.of(AccessRequest.namespaced("", "secrets", ns, HELM_VERBS),
                AccessRequest.namespaced("", "configmaps", ns, HELM_VERBS),
                AccessRequest.namespaced("", "serviceaccounts", ns, HELM_VERBS),
                AccessRequest.namespaced("apps", "deployments", ns, HELM_VERBS),
                AccessRequest.namespaced("rbac.authorization.k8s.io", "roles", ns, HELM_VERBS),
                AccessRequest.namespaced("rbac.authorization.k8s.io", "rolebindings", ns, HELM_VERBS));
    }

    static List<VerifyCheck> gitlab(RunnerStack stack, GitLabTokenAccess gitlab) {
        List<VerifyCheck> checks = new ArrayList<>();
        String url = gitlab.url();
        TokenInfo token;
        try {
            token = gitlab.token();
        } catch (GitLabException e) {
            String cause = e instanceof GitLabException.Unauthorized
                    ? "GitLab at " + url + " refused the token (401): it is revoked, expired, or from another GitLab instance"
                    : "GET " + url + "/api/v4/personal_access_tokens/self failed: " + e.getMessage();
            String fix = e instanceof GitLabException.Unavailable
                    ? "Check the GitLab URL (--gitlab-url, the spec's runner.gitlabUrl), the proxy (HTTPS_PROXY) and the network to " + url
                    : "Create a personal access token on " + url + " (User settings > Access tokens) with the scopes api and "
                    + "create_runner, and export it as IRSA_GITLAB_TOKEN (or the variable of --gitlab-token-env)";
            checks.add(VerifyCheck.fail(TOKEN, "the token in the environment, for " + url, cause, fix));
            checks.add(VerifyCheck.skipped(SCOPES, "needs " + TOKEN));
            checks.add(VerifyCheck.skipped(ACCESS, "needs " + TOKEN));
            return checks;
        }
        checks.add(VerifyCheck.pass(TOKEN, "token '" + token.name() + "' of user id " + token.userId() + " on " + url
                + token.expiresAt().map(d -> ", expires " + d).orElse(", no expiry")));
        if (token.scopes().contains("api")) {
            checks.add(VerifyCheck.pass(SCOPES, String.join(", ", token.scopes()) + " (api covers creating, reading and deleting the runner and committing the pipeline)"));
        } else {
            checks.add(VerifyCheck.fail(SCOPES, "scopes " + token.scopes(),
                    "irsa creates the runner (create_runner or api), then reads, updates and deletes it and commits .gitlab-ci.yml, which need api",
                    "Create a token with the scopes api and create_runner on " + url + " and put it in IRSA_GITLAB_TOKEN"));
        }
        checks.add(access(stack, gitlab, token.userId()));
        return checks;
    }

    private static VerifyCheck access(RunnerStack stack, GitLabTokenAccess gitlab, long userId) {
        boolean group = stack.runner().groupPath().isPresent();
        String path = stack.runner().projectPath().or(() -> stack.runner().groupPath()).orElseThrow();
        String where = (group ? "group " : "project ") + path;
        int needed = group ? GitLabTokenAccess.OWNER : GitLabTokenAccess.MAINTAINER;
        String neededName = group ? "Owner (50)" : "Maintainer (40)";
        try {
            OptionalInt level = gitlab.accessLevel(path, group, userId);
            if (level.isPresent() && level.getAsInt() >= needed) {
                return VerifyCheck.pass(ACCESS, levelName(level.getAsInt()) + " of " + where + " (creating a " + (group ? "group" : "project")
                        + " runner needs " + neededName + ")");
            }
            GitLabTokenAccess.TokenUser user = gitlab.user();
            if (user.admin()) {
                return VerifyCheck.pass(ACCESS, user.username() + " is an administrator of " + gitlab.url());
            }
            String has = level.isPresent() ? user.username() + " is " + levelName(level.getAsInt()) + " of " + where
                    : user.username() + " is not a member of " + where;
            return VerifyCheck.fail(ACCESS, has, has + "; creating a " + (group ? "group" : "project") + " runner needs " + neededName,
                    "Ask an Owner of " + where + " to make " + user.username() + " " + neededName.replaceAll(" \\(.*", "")
                            + " (Manage > Members), or use a token of a user who is");
        } catch (GitLabException e) {
            return VerifyCheck.fail(ACCESS, where, "reading the membership in " + where + " at " + gitlab.url() + " failed: " + e.getMessage(),
                    e instanceof GitLabException.NotFound ? "Check the spec's runner." + (group ? "group" : "project")
                            + " path: it must exist and be visible to the token's user" : "Check the token's scopes (api or read_api)");
        }
    }

    private static String levelName(int level) {
        String name = switch (level) {
            case 5 -> "Minimal access";
            case 10 -> "Guest";
            case 15 -> "Planner";
            case 20 -> "Reporter";
            case 30 -> "Developer";
            case 40 -> "Maintainer";
            case 50 -> "Owner";
            default -> "access level";
        };
        return name + " (" + level + ")";
    }

    static VerifyCheck helm(RunnerStack stack, HelmExecutor helm) {
        String name = stack.runner().releaseName();
        String ns = stack.releaseNamespace();
        String release = "Helm release " + name + " in " + ns;
        Optional<HelmRelease> status;
        Optional<Map<String, Object>> values;
        try {
            status = helm.status(name, ns);
            values = status.isEmpty() ? Optional.empty() : helm.values(name, ns);
        } catch (HelmException e) {
            return VerifyCheck.fail(RELEASE, release, "Helm could not read it: " + e.getMessage(),
                    "Check Helm's access to the cluster with the same kubeconfig (helm status " + name + " -n " + ns + ")");
        }
        if (status.isEmpty()) {
            return VerifyCheck.pass(RELEASE, "no " + release + " yet: apply installs the gitlab-runner chart");
        }
        HelmRelease r = status.get();
        boolean owned = values.map(v -> ReleaseValues.ownedBy(v, stack.name())).orElse(false);
        if (!owned && !stack.runner().adoptRelease()) {
            return VerifyCheck.fail(RELEASE, release + ": " + r.status() + ", revision " + r.revision() + ", chart " + r.chart(),
                    "it exists without irsa's ownership marks for stack " + stack.name()
                            + " (deploymentLabels irsa.dev/managed-by=irsa, irsa.dev/stack=" + stack.name() + "), so apply would refuse it",
                    "Choose another runner.releaseName, remove it (helm uninstall " + name + " -n " + ns + "), or set runner.adoptRelease: true to take it over");
        }
        if (r.status().startsWith("pending-")) {
            return VerifyCheck.fail(RELEASE, release + ": " + r.status() + ", revision " + r.revision(),
                    "an earlier Helm operation did not finish, and Helm refuses another one while the release is " + r.status(),
                    "helm rollback " + name + " -n " + ns + " (or helm uninstall " + name + " -n " + ns + "), then run preflight again");
        }
        return VerifyCheck.pass(RELEASE, release + ": " + r.status() + ", revision " + r.revision() + ", chart " + r.chart()
                + (owned ? ", owned by stack " + stack.name() : ", to be adopted (runner.adoptRelease)"));
    }
}

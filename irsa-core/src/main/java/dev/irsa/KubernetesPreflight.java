package dev.irsa;

import dev.irsa.binding.RoleBinding;
import dev.irsa.binding.ServiceAccountSpec;
import dev.irsa.binding.VerifyCheck;
import dev.irsa.kubernetes.AccessRequest;
import dev.irsa.kubernetes.KubernetesExecutor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Kubernetes checks of {@link Preflight}: the API server answers, and RBAC allows every verb irsa uses. */
final class KubernetesPreflight {
    static final String KUBECONFIG = "kubernetes.kubeconfig";
    static final String SERVER = "kubernetes.server";
    static final String ACCESS = "kubernetes.access.";

    private KubernetesPreflight() {
    }

    /**
     * What irsa does on the cluster for a binding: its namespace and service account (and the account's token and
     * pods for verify), and the stack lock's Lease; with {@code iamOnly} only the lock and the token.
     */
    static List<AccessRequest> needed(RoleBinding binding, Optional<String> lockNamespace, boolean iamOnly) {
        List<AccessRequest> needed = new ArrayList<>();
        Optional<ServiceAccountSpec> account = binding.serviceAccount();
        account.ifPresent(sa -> {
            if (!iamOnly) {
                needed.add(AccessRequest.clusterScoped("", "namespaces", "get", "create", "patch", "delete"));
                needed.add(AccessRequest.namespaced("", "serviceaccounts", sa.namespace(), "get", "create", "patch", "delete"));
                needed.add(AccessRequest.namespaced("", "pods", sa.namespace(), "list"));
            }
            needed.add(AccessRequest.namespaced("", "serviceaccounts/token", sa.namespace(), "create"));
        });
        lockNamespace.ifPresent(ns -> needed.add(AccessRequest.namespaced("coordination.k8s.io", "leases", ns, "get", "create", "update", "delete")));
        return needed;
    }

    /** One request per resource and namespace, with the verbs of all requests for it (first-seen order). */
    static List<AccessRequest> merged(List<AccessRequest> requests) {
        Map<List<Object>, AccessRequest> byKey = new LinkedHashMap<>();
        for (AccessRequest r : requests) {
            byKey.merge(List.of(r.group(), r.resource(), r.namespace()), r, (a, b) -> {
                java.util.LinkedHashSet<String> verbs = new java.util.LinkedHashSet<>(a.verbs());
                verbs.addAll(b.verbs());
                return new AccessRequest(a.group(), a.resource(), List.copyOf(verbs), a.namespace());
            });
        }
        return List.copyOf(byKey.values());
    }

    static List<VerifyCheck> checks(KubernetesExecutor k8s, List<AccessRequest> needed) {
        List<VerifyCheck> checks = new ArrayList<>();
        String server = k8s.serverUrl();
        String who = k8s.contextName().map(c -> "the user of context " + c).orElse("the client's identity");
        Optional<String> unreachable = k8s.reachability();
        if (unreachable.isPresent()) {
            String problem = unreachable.get();
            String fix = problem.startsWith("HTTP 401")
                    ? "The API server refused the kubeconfig's credentials: refresh them (aws eks update-kubeconfig --name <cluster>; "
                    + "aws eks get-token must work with the same AWS profile)"
                    : problem.startsWith("HTTP ") ? "Check that " + who + " may read API discovery (kubectl api-versions)"
                    : "Check the server URL (kubectl config view --minify), network access to the cluster endpoint (VPN, "
                    + "private endpoint, security groups), then kubectl version";
            checks.add(VerifyCheck.fail(SERVER, server, problem, fix));
            checks.add(VerifyCheck.skipped(ACCESS + "*", "needs " + SERVER + ": " + needed.size() + " resources to review"));
            return checks;
        }
        checks.add(VerifyCheck.pass(SERVER, server + " answers"));
        List<AccessRequest.Decision> decisions;
        try {
            decisions = k8s.reviewAccess(needed);
        } catch (IrsaException e) {
            checks.add(VerifyCheck.fail(ACCESS + "review", "SelfSubjectAccessReview at " + server, e.getMessage(),
                    "Check that the API server serves authorization.k8s.io/v1 (kubectl auth can-i --list)"));
            return checks;
        }
        Map<AccessRequest, List<AccessRequest.Decision>> byRequest = new LinkedHashMap<>();
        decisions.forEach(d -> byRequest.computeIfAbsent(d.request(), r -> new ArrayList<>()).add(d));
        byRequest.forEach((request, answers) -> checks.add(check(request, answers, who)));
        return checks;
    }

    private static VerifyCheck check(AccessRequest request, List<AccessRequest.Decision> answers, String who) {
        String name = ACCESS + request.resource() + request.namespace().map(ns -> "/" + ns).orElse("");
        List<String> denied = answers.stream().filter(d -> !d.allowed()).map(AccessRequest.Decision::verb).toList();
        if (denied.isEmpty()) {
            return VerifyCheck.pass(name, String.join(", ", request.verbs()) + " on " + request.describe());
        }
        String reasons = answers.stream().filter(d -> !d.allowed() && !d.reason().isBlank()).map(AccessRequest.Decision::reason)
                .distinct().reduce((a, b) -> a + "; " + b).map(r -> " (" + r + ")").orElse("");
        String scope = request.namespace().map(ns -> "a Role in " + ns + " (or a ClusterRole)").orElse("a ClusterRole");
        return VerifyCheck.fail(name, "denied: " + String.join(", ", denied) + " on " + request.describe(),
                "RBAC does not allow " + who + " to " + String.join(", ", denied) + " " + request.describe() + reasons,
                "Bind " + scope + " with apiGroups: [\"" + request.group() + "\"], resources: [\"" + request.resource()
                        + "\"], verbs: " + request.verbs() + " to that user; check with kubectl auth can-i " + denied.get(0) + " "
                        + request.resource() + request.namespace().map(ns -> " -n " + ns).orElse(""));
    }
}

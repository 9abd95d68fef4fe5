package dev.irsa.gitlab.runner;

import java.util.List;
import java.util.Objects;

/**
 * One entry of the chart's {@code rbac.rules}: the chart reads {@code apiGroups} (default core group),
 * {@code resources} and {@code verbs} (both default to {@code *} when empty, so irsa always sets them).
 */
public record RbacRule(List<String> apiGroups, List<String> resources, List<String> verbs) {
    public RbacRule {
        apiGroups = List.copyOf(Objects.requireNonNull(apiGroups, "apiGroups"));
        resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
        verbs = List.copyOf(Objects.requireNonNull(verbs, "verbs"));
        if (resources.isEmpty() || verbs.isEmpty()) {
            throw new IllegalArgumentException("an empty resources or verbs list means '*' to the chart; name them");
        }
    }

    /** A rule on the core API group. */
    public static RbacRule core(List<String> resources, List<String> verbs) {
        return new RbacRule(List.of(""), resources, verbs);
    }

    /**
     * What the Kubernetes executor needs and nothing more (the chart's default with {@code rbac.create}
     * and no rules is every verb on every resource in the namespace).
     */
    public static final List<RbacRule> LEAST_PRIVILEGE = List.of(
            core(List.of("pods"), List.of("create", "delete", "get", "list", "watch")),
            core(List.of("pods/exec"), List.of("create", "delete", "get", "patch")),
            core(List.of("pods/attach"), List.of("create", "delete", "get", "patch")),
            core(List.of("pods/log"), List.of("get", "list")),
            core(List.of("secrets"), List.of("create", "delete", "get", "update")),
            core(List.of("services"), List.of("create", "get")),
            core(List.of("serviceaccounts"), List.of("get")),
            core(List.of("events"), List.of("list", "watch")));

    boolean hasWildcard() {
        return apiGroups.contains("*") || resources.contains("*") || verbs.contains("*");
    }
}

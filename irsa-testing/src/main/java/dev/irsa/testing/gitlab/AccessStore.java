package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Who may do what: projects and groups (one id space, as GitLab's namespaces), access tokens with their scopes,
 * and each token user's role in projects and groups. Not thread-safe: used under the fake's lock.
 *
 * <p>How GitLab decides, for the calls irsa makes: a project the user is no member of is hidden
 * ({@code find_project!} in lib/api/helpers.rb answers {@code 404 Project Not Found}); a member whose role is too
 * low gets {@code authorize!}'s {@code 403 Forbidden}. The role each call needs is the handler's to say.
 */
final class AccessStore {
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private final AtomicLong ids;
    private final Map<Long, Project> projects = new LinkedHashMap<>();
    private final Map<Long, String> groups = new LinkedHashMap<>();
    private final Map<String, AccessToken> tokens = new LinkedHashMap<>();
    private long tokenIds;

    AccessStore(AtomicLong ids) {
        this.ids = ids;
    }

    /** A project with its branches and files. */
    static final class Project {
        final long id;
        final String path;
        final Set<String> branches = new LinkedHashSet<>(List.of("main"));
        final Map<String, FileApi.StoredFile> files = new LinkedHashMap<>();

        Project(long id, String path) {
            this.id = id;
            this.path = path;
        }

        String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** An access token: its scopes, whether its user is an administrator, and the user's role per project or group. */
    record AccessToken(long id, long userId, Set<String> scopes, boolean admin, Map<Long, FakeGitLab.Role> roles, boolean revoked) {
        /** The user's role in a project or group (admins act as owners everywhere); null when no member. */
        FakeGitLab.Role role(long namespaceId) {
            return admin ? FakeGitLab.Role.OWNER : roles.get(namespaceId);
        }

        boolean atLeast(long namespaceId, FakeGitLab.Role minimum) {
            FakeGitLab.Role role = role(namespaceId);
            return role != null && role.compareTo(minimum) >= 0;
        }

        boolean allows(String method, String path) {
            // any scope may read its own token (lib/api/personal_access_tokens/self_information.rb:
            // allow_access_with_scope(Gitlab::Auth.all_available_scopes))
            if (scopes.contains("api") || (method.equals("GET") && path.equals("/personal_access_tokens/self"))) {
                return true;
            }
            if (path.equals("/user/runners") && method.equals("POST")) {
                return scopes.contains("create_runner");
            }
            return method.equals("GET") && scopes.contains("read_api");
        }
    }

    /** {@code GET /projects/:id}: any member (lib/api/projects.rb, {@code find_project!}). */
    void register(ApiRouter router, java.util.function.Supplier<String> url) {
        router.route("GET", "/projects/:id", r -> {
            Project project = project(r.token(), r.pathParam("id"), FakeGitLab.Role.GUEST);
            ObjectNode n = ApiError.JSON.createObjectNode();
            n.put("id", project.id);
            n.put("name", project.name());
            n.put("path", project.name());
            n.put("path_with_namespace", project.path);
            n.put("default_branch", "main");
            n.put("web_url", url.get() + "/" + project.path);
            return ApiResponse.ok(n);
        });
    }

    long addProject(String path) {
        long id = ids.incrementAndGet();
        projects.put(id, new Project(id, path));
        return id;
    }

    long addGroup(String path) {
        long id = ids.incrementAndGet();
        groups.put(id, path);
        return id;
    }

    String addToken(String token, Set<String> scopes, boolean admin, FakeGitLab.Role role, long... namespaces) {
        Map<Long, FakeGitLab.Role> roles = new LinkedHashMap<>();
        for (long n : namespaces) {
            roles.put(n, role);
        }
        long id = ++tokenIds;
        tokens.put(token, new AccessToken(id, 1000 + id, Set.copyOf(scopes), admin, Map.copyOf(roles), false));
        return token;
    }

    /** The token's user's role in a project or group from now on (a member of it then, whatever it was before). */
    void setRole(String token, long namespaceId, FakeGitLab.Role role) {
        AccessToken t = tokens.get(token);
        if (t == null) {
            throw new IllegalArgumentException("no such token");
        }
        Map<Long, FakeGitLab.Role> roles = new LinkedHashMap<>(t.roles());
        roles.put(namespaceId, role);
        tokens.put(token, new AccessToken(t.id(), t.userId(), t.scopes(), t.admin(), Map.copyOf(roles), t.revoked()));
    }

    void revoke(String token) {
        AccessToken t = tokens.get(token);
        if (t != null) {
            tokens.put(token, new AccessToken(t.id(), t.userId(), t.scopes(), t.admin(), t.roles(), true));
        }
    }

    void clear() {
        projects.clear();
        groups.clear();
        tokens.clear();
        tokenIds = 0;
    }

    /** The token of {@code PRIVATE-TOKEN} or {@code Authorization: Bearer}; 401 when unknown or revoked. */
    AccessToken authenticate(String privateToken, String authorization) {
        String token = privateToken;
        if (token == null && authorization != null && authorization.startsWith("Bearer ")) {
            token = authorization.substring("Bearer ".length());
        }
        AccessToken t = token == null ? null : tokens.get(token);
        if (t == null || t.revoked()) {
            throw new ApiError(401, ApiError.message("401 Unauthorized"));
        }
        return t;
    }

    /** GitLab's answer to a token whose scopes do not cover the call (lib/gitlab/auth/auth_finders.rb, insufficient_scope). */
    void requireScope(AccessToken token, String method, String path) {
        if (!token.allows(method, path)) {
            ObjectNode n = ApiError.JSON.createObjectNode();
            n.put("error", "insufficient_scope");
            n.put("error_description", "The request requires higher privileges than provided by the access token.");
            n.put("scope", method.equals("POST") && path.equals("/user/runners") ? "create_runner api" : "api");
            throw new ApiError(403, n);
        }
    }

    /**
     * The project at {@code idOrPath} as {@code user_project} finds it: 404 for a project that does not exist or
     * that the user is no member of; 403 {@code "403 Forbidden"} ({@code authorize!}) for a member below {@code minimum}.
     */
    Project project(AccessToken token, String idOrPath, FakeGitLab.Role minimum) {
        Project p = findProject(idOrPath);
        if (p == null || token.role(p.id) == null) {
            throw ApiError.notFound("Project");
        }
        if (!token.atLeast(p.id, minimum)) {
            throw ApiError.forbidden();
        }
        return p;
    }

    /** The project with this id or path, whoever asks; null when there is none. */
    Project findProject(String idOrPath) {
        return NUMBER.matcher(idOrPath).matches() ? projects.get(Long.parseLong(idOrPath))
                : projects.values().stream().filter(x -> x.path.equals(idOrPath)).findFirst().orElse(null);
    }

    Project projectById(long id) {
        return projects.get(id);
    }

    /** A project for test setup; fails when there is none. */
    Project existingProject(long id) {
        Project p = projects.get(id);
        if (p == null) {
            throw new IllegalArgumentException("no project " + id);
        }
        return p;
    }

    String groupPath(long id) {
        return groups.get(id);
    }

    /** The group with this id or full path; null when there is none. */
    Long findGroup(String idOrPath) {
        if (NUMBER.matcher(idOrPath).matches()) {
            long id = Long.parseLong(idOrPath);
            return groups.containsKey(id) ? id : null;
        }
        return groups.entrySet().stream().filter(e -> e.getValue().equals(idOrPath)).map(Map.Entry::getKey).findFirst().orElse(null);
    }
}

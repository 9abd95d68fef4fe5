package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Who a FakeGitLab token belongs to and what its user may do, answering as GitLab does:
 *
 * <ul>
 *   <li>{@code GET /personal_access_tokens/self} ({@code lib/api/personal_access_tokens/self_information.rb}):
 *       any scope may read itself ({@code allow_access_with_scope(Gitlab::Auth.all_available_scopes)}); the
 *       {@code Entities::PersonalAccessToken} fields {@code id, name, revoked, created_at, scopes, user_id,
 *       last_used_at, active, expires_at};</li>
 *   <li>{@code GET /user}: {@code id, username, name, state, is_admin};</li>
 *   <li>{@code GET /projects/:id/members/all/:user_id} and {@code GET /groups/:id/members/all/:user_id}
 *       ({@code lib/api/members.rb}): the effective membership with its {@code access_level} (10 guest, 20
 *       reporter, 30 developer, 40 maintainer, 50 owner), {@code 404 Not found} for a non-member;</li>
 *   <li>{@code POST /user/runners} by a user below Maintainer of the project (or Owner of the group): {@code 403
 *       Forbidden - Insufficient permissions}, as {@code Ci::Runners::CreateRunnerService}'s strategies refuse it
 *       ({@code user.can?(:create_runner, scope)}), before any runner exists.</li>
 * </ul>
 *
 * A token's user maintains the projects and owns the groups it was added with unless
 * {@link FakeGitLab#accessLevel} says otherwise.
 */
final class TokenAccess {
    static final int MAINTAINER = 40;
    static final int OWNER = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** GitLab's answer: a status and a JSON body. */
    record Answer(int status, JsonNode body) {
    }

    private static final class Identity {
        final long tokenId;
        final long userId;
        final Set<String> scopes;
        final boolean admin;
        final Set<Long> namespaces = new java.util.HashSet<>();
        final Map<Long, Integer> levels = new LinkedHashMap<>();
        final LocalDate created;

        Identity(long tokenId, long userId, Set<String> scopes, boolean admin, LocalDate created) {
            this.tokenId = tokenId;
            this.userId = userId;
            this.scopes = new TreeSet<>(scopes);
            this.admin = admin;
            this.created = created;
        }
    }

    private final Clock clock;
    private final Map<String, Identity> identities = new LinkedHashMap<>();
    private long nextId = 1;

    TokenAccess(Clock clock) {
        this.clock = clock;
    }

    synchronized void register(String token, Set<String> scopes, boolean admin, long... namespaces) {
        long id = nextId++;
        Identity identity = new Identity(id, 1000 + id, scopes, admin, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        for (long namespace : namespaces) {
            identity.namespaces.add(namespace);
        }
        identities.put(token, identity);
    }

    synchronized void accessLevel(String token, long projectOrGroupId, int level) {
        Identity identity = identities.get(token);
        if (identity == null) {
            throw new IllegalArgumentException("no such token");
        }
        identity.levels.put(projectOrGroupId, level);
    }

    synchronized void reset() {
        identities.clear();
    }

    /** {@code GET /personal_access_tokens/self}, which any scope may call: answered before the scope check. */
    synchronized Optional<Answer> beforeScopeCheck(String method, String path, Headers headers) {
        if (!method.equals("GET") || !path.equals("/personal_access_tokens/self")) {
            return Optional.empty();
        }
        Identity identity = identities.get(token(headers));
        if (identity == null) {
            return Optional.of(new Answer(404, message("404 Not found")));
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("id", identity.tokenId);
        n.put("name", "irsa");
        n.put("revoked", false);
        n.put("created_at", identity.created + "T00:00:00.000Z");
        identity.scopes.forEach(n.putArray("scopes")::add);
        n.put("user_id", identity.userId);
        n.putNull("last_used_at");
        n.put("active", true);
        n.put("expires_at", identity.created.plusDays(365).toString());
        return Optional.of(new Answer(200, n));
    }

    /**
     * The user, members and runner-creation permission endpoints, after FakeGitLab authenticated the token and
     * checked its scopes; {@code projectId} resolves an id or path the token's user can see (or throws
     * FakeGitLab's 404), {@code groupId} one that exists (or null).
     */
    synchronized Optional<Answer> answer(String method, List<String> s, Map<String, List<String>> params, Headers headers,
                                         Function<String, Long> projectId, Function<String, Long> groupId) {
        Identity identity = identities.get(token(headers));
        if (identity == null) {
            return Optional.empty();
        }
        if (method.equals("GET") && s.size() == 1 && s.get(0).equals("user")) {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", identity.userId);
            n.put("username", "user" + identity.userId);
            n.put("name", "User " + identity.userId);
            n.put("state", "active");
            n.put("is_admin", identity.admin);
            return Optional.of(new Answer(200, n));
        }
        if (method.equals("GET") && s.size() == 5 && s.get(2).equals("members") && s.get(3).equals("all")
                && (s.get(0).equals("projects") || s.get(0).equals("groups"))) {
            Long namespace = s.get(0).equals("projects") ? projectId.apply(s.get(1)) : groupId.apply(s.get(1));
            if (namespace == null) {
                return Optional.of(new Answer(404, message("404 Group Not Found")));
            }
            Integer level = level(identity, namespace, s.get(0).equals("groups"));
            if (level == null || !s.get(4).equals(String.valueOf(identity.userId))) {
                return Optional.of(new Answer(404, message("404 Not found")));
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("id", identity.userId);
            n.put("username", "user" + identity.userId);
            n.put("name", "User " + identity.userId);
            n.put("state", "active");
            n.put("access_level", level);
            return Optional.of(new Answer(200, n));
        }
        if (method.equals("POST") && s.size() == 2 && s.get(0).equals("user") && s.get(1).equals("runners") && !identity.admin) {
            String type = first(params, "runner_type");
            String scope = "project_type".equals(type) ? first(params, "project_id") : "group_type".equals(type) ? first(params, "group_id") : null;
            int needed = "group_type".equals(type) ? OWNER : MAINTAINER;
            Long namespace = scope == null ? null : resolve("project_type".equals(type) ? projectId : groupId, scope);
            Integer level = namespace == null ? null : level(identity, namespace, "group_type".equals(type));
            // a non-member is left to FakeGitLab's own answer (404, as it already pins)
            if (level != null && level < needed) {
                return Optional.of(new Answer(403, message("403 Forbidden - Insufficient permissions")));
            }
        }
        return Optional.empty();
    }

    /** An override, else Owner of a group and Maintainer of a project the token was added with, else none. */
    private static Integer level(Identity identity, long namespace, boolean group) {
        Integer level = identity.levels.get(namespace);
        if (level != null || !identity.namespaces.contains(namespace)) {
            return level;
        }
        return group ? OWNER : MAINTAINER;
    }

    /** The namespace, or null when it is not there or not visible: the runner endpoint then answers as before. */
    private static Long resolve(Function<String, Long> lookup, String idOrPath) {
        try {
            return lookup.apply(idOrPath);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String token(Headers headers) {
        String token = headers.getFirst("PRIVATE-TOKEN");
        String auth = headers.getFirst("Authorization");
        if (token == null && auth != null && auth.startsWith("Bearer ")) {
            token = auth.substring("Bearer ".length());
        }
        return token;
    }

    private static ObjectNode message(String text) {
        return JSON.createObjectNode().put("message", text);
    }
}

package dev.irsa.testing.gitlab;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Who a token belongs to and what its user may do, as GitLab answers it:
 *
 * <ul>
 *   <li>{@code GET /personal_access_tokens/self} ({@code lib/api/personal_access_tokens/self_information.rb}):
 *       any scope may read itself ({@code allow_access_with_scope(Gitlab::Auth.all_available_scopes)}); the
 *       {@code Entities::PersonalAccessToken} fields {@code id, name, revoked, created_at, scopes, user_id,
 *       last_used_at, active, expires_at};</li>
 *   <li>{@code GET /user}: {@code id, username, name, state, is_admin};</li>
 *   <li>{@code GET /projects/:id/members/all/:user_id} and {@code GET /groups/:id/members/all/:user_id}
 *       ({@code lib/api/members.rb}): the effective membership with its {@code access_level} (10 guest, 20
 *       reporter, 30 developer, 40 maintainer, 50 owner), {@code 404 Not found} for a non-member.</li>
 * </ul>
 *
 * A member below Maintainer of the project (Owner of the group) is refused runner creation by {@link RunnerApi}.
 */
final class TokenApi {
    private final AccessStore access;
    private final Clock clock;

    TokenApi(AccessStore access, Clock clock) {
        this.access = access;
        this.clock = clock;
    }

    void register(ApiRouter router) {
        router.route("GET", "/personal_access_tokens/self", r -> {
            AccessStore.AccessToken t = r.token();
            LocalDate created = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            ObjectNode n = ApiError.JSON.createObjectNode();
            n.put("id", t.id());
            n.put("name", "irsa");
            n.put("revoked", false);
            n.put("created_at", created + "T00:00:00.000Z");
            t.scopes().stream().sorted().forEach(n.putArray("scopes")::add);
            n.put("user_id", t.userId());
            n.putNull("last_used_at");
            n.put("active", true);
            n.put("expires_at", created.plusDays(365).toString());
            return ApiResponse.ok(n);
        });
        router.route("GET", "/user", r -> ApiResponse.ok(user(r.token()).put("is_admin", r.token().admin())));
        router.route("GET", "/projects/:id/members/all/:user_id", r -> {
            AccessStore.Project p = access.findProject(r.pathParam("id"));
            if (p == null || r.token().role(p.id) == null) {
                throw ApiError.notFound("Project");
            }
            return member(r, p.id);
        });
        router.route("GET", "/groups/:id/members/all/:user_id", r -> {
            Long group = access.findGroup(r.pathParam("id"));
            if (group == null) {
                throw ApiError.notFound("Group");
            }
            return member(r, group);
        });
    }

    /** The token's own user only: the fake knows no other user (another id is a non-member, 404). */
    private static ApiResponse member(ApiRequest r, long namespace) {
        AccessStore.AccessToken t = r.token();
        FakeGitLab.Role role = t.role(namespace);
        if (role == null || !r.pathParam("user_id").equals(String.valueOf(t.userId()))) {
            throw new ApiError(404, ApiError.message("404 Not found"));
        }
        return ApiResponse.ok(user(t).put("access_level", role.accessLevel()));
    }

    private static ObjectNode user(AccessStore.AccessToken t) {
        ObjectNode n = ApiError.JSON.createObjectNode();
        n.put("id", t.userId());
        n.put("username", "user" + t.userId());
        n.put("name", "User " + t.userId());
        n.put("state", "active");
        return n;
    }
}

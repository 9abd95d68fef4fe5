package dev.irsa.gitlab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.irsa.IrsaException;
import dev.irsa.validation.Validators;
import jakarta.ws.rs.ProcessingException;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.gitlab4j.api.models.Member;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the GitLab token is and what its user may do, read-only: {@code GET /personal_access_tokens/self} (any
 * scope may read itself; GitLab 15.5+), {@code GET /user} and the members API ({@code GET
 * /projects/:id/members/all/:user_id}, inherited memberships included). Errors are {@link GitLabException}s with
 * the status and a scrubbed summary, as every GitLab call of irsa.
 */
public final class GitLabTokenAccess {
    /** GitLab's access levels (guest 10 ... maintainer 40, owner 50). */
    public static final int MAINTAINER = 40;
    public static final int OWNER = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitLabConnection connection;
    private final GitLabApi api;
    private final HttpClient http;
    private final GitLabErrors errors;

    GitLabTokenAccess(GitLabConnection connection, GitLabApi api, HttpClient http, GitLabErrors errors) {
        this.connection = connection;
        this.api = api;
        this.http = http;
        this.errors = errors;
    }

    /** The token as GitLab describes it (never its value). */
    public record TokenInfo(long userId, String name, List<String> scopes, Optional<String> expiresAt, boolean active) {
        public TokenInfo {
            scopes = List.copyOf(scopes);
        }
    }

    /** The GitLab URL the token is sent to. */
    public String url() {
        return connection.url();
    }

    /** {@code GET /personal_access_tokens/self}, read with Jackson so scopes GitLab4J has no constant for still show. */
    public TokenInfo token() {
        String op = "read the token's own details";
        HttpRequest request = HttpRequest.newBuilder(URI.create(connection.url() + "/api/v4/personal_access_tokens/self"))
                .timeout(connection.readTimeout()).header("Accept", "application/json")
                .header("PRIVATE-TOKEN", connection.accessToken().reveal()).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GitLabException.Unavailable(op, 0, op + ": GitLab at " + connection.url() + " is unreachable ("
                    + e.getClass().getSimpleName() + "); check the URL, proxy and network", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IrsaException(op + ": interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw errors.map(op, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body(),
                    response.headers().firstValue("Location").orElse(null));
        }
        try {
            JsonNode n = JSON.readTree(response.body());
            List<String> scopes = new ArrayList<>();
            n.path("scopes").forEach(s -> scopes.add(s.asText()));
            return new TokenInfo(n.path("user_id").asLong(), n.path("name").asText(""), scopes,
                    n.hasNonNull("expires_at") ? Optional.of(n.get("expires_at").asText()) : Optional.empty(), n.path("active").asBoolean(true));
        } catch (IOException e) {
            throw new GitLabException(op, 200, op + ": GitLab's answer is not JSON", null);
        }
    }

    /** The token's user ({@code GET /user}); {@code admin} is GitLab's {@code is_admin}. */
    public record TokenUser(long id, String username, boolean admin) {
    }

    /** The token's user, as {@code GET /user} describes it. */
    public TokenUser user() {
        org.gitlab4j.api.models.User user = call("read the token's user", () -> api.getUserApi().getCurrentUser());
        return new TokenUser(user.getId() == null ? 0 : user.getId(), String.valueOf(user.getUsername()), Boolean.TRUE.equals(user.getIsAdmin()));
    }

    /**
     * The user's effective access level on a project ({@code group} false) or group, inherited membership included;
     * empty when the user is not a member.
     */
    public OptionalInt accessLevel(String path, boolean group, long userId) {
        Validators.gitlabPath(group ? "gitlab.group" : "gitlab.project", path);
        String op = "read the membership of user " + userId + " in " + path;
        try {
            Member member = call(op, () -> group ? api.getGroupApi().getMember(path, userId, true)
                    : api.getProjectApi().getMember(path, userId, true));
            return member.getAccessLevel() == null ? OptionalInt.empty() : OptionalInt.of(member.getAccessLevel().value);
        } catch (GitLabException.NotFound e) {
            return OptionalInt.empty();
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T run() throws GitLabApiException;
    }

    private <T> T call(String op, Read<T> read) {
        try {
            return read.run();
        } catch (GitLabApiException | ProcessingException e) {
            throw errors.map(op, e);
        }
    }
}

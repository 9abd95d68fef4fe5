package dev.irsa.gitlab.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.irsa.SafeText;
import org.gitlab4j.api.GitLabApiException;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a failed GitLab call into a {@link GitLabException} that says what to fix, with GitLab's HTTP status and
 * a short summary of what it said, never its raw answer: a proxy or server that echoes the request would otherwise
 * put the access token into the message, and from there onto a terminal and into CI logs. The summary is GitLab's
 * {@code message} or {@code error} field, the two shapes GitLab's API answers errors in: {@code render_api_error!}
 * in {@code lib/api/helpers.rb} renders {@code error!({ 'message' => message }, status)}, e.g.
 * {@code {"message": "401 Unauthorized"}} or, from {@code render_validation_error!}, {@code {"message": {"tag_list":
 * ["is invalid"]}}}; {@code lib/api/api.rb} hands parameter errors to Grape ({@code rescue_from
 * Grape::Exceptions::Base { error! e.message, ... }}), which renders {@code {"error": "tag_list is invalid"}}
 * (GitLab4J's {@code GitLabApiException} reads the same two fields). Every known secret and anything shaped like a
 * GitLab token is replaced by {@code ****}, control
 * characters escaped, at most {@value #SUMMARY_MAX} characters. The cause kept on the exception is a scrubbed copy
 * (class, status, stack trace), since GitLab4J's own exception carries the server's text verbatim.
 */
final class GitLabErrors {
    /** Longest summary of a GitLab answer put into an error message. */
    static final int SUMMARY_MAX = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * GitLab's token prefixes ({@code glpat-}, {@code glrt-}, {@code gldt-}, {@code glptt-}, {@code gloas-}...; see
     * GitLab's "Token prefixes" in doc/security/tokens/index.md) and the legacy runner registration prefix.
     */
    private static final Pattern TOKEN_SHAPED = Pattern.compile("\\bgl[a-z]{1,10}-[0-9A-Za-z_.\\-]{4,}|GR1348941[0-9A-Za-z_\\-]+");
    /** The value of a credential header or form field echoed back, whatever it looks like. */
    private static final Pattern CREDENTIAL_FIELD = Pattern.compile(
            "(?i)((?:private-token|job-token|authorization|proxy-authorization|token)\"?\\s*[:=]\\s*\"?)(?:bearer\\s+|basic\\s+)?[^\\s\"&,;]+");

    private final GitLabConnection connection;

    GitLabErrors(GitLabConnection connection) {
        this.connection = connection;
    }

    /** A GitLab4J or Jersey failure of {@code op}. */
    GitLabException map(String op, Exception e) {
        if (e instanceof GitLabApiException g) {
            Throwable cause = scrubbedCopy(g, "HTTP " + g.getHttpStatus());
            if (g.getHttpStatus() == 0) {
                return new GitLabException.Unavailable(op, 0, op + ": GitLab at " + connection.url() + " did not answer ("
                        + summarize(g.getMessage()) + "); check the URL, proxy and network", cause);
            }
            String contentType = g.getHeaders() == null ? null : g.getHeaders().getFirst("Content-Type");
            String location = g.getHeaders() == null ? null : g.getHeaders().getFirst("Location");
            return byStatus(op, g.getHttpStatus(), summaryOf(g, contentType), location, cause);
        }
        // Jersey's ProcessingException: nothing answered (refused, reset, timeout)
        return new GitLabException.Unavailable(op, 0, op + ": GitLab at " + connection.url() + " is unreachable ("
                + e.getClass().getSimpleName() + "); check the URL, proxy and network", scrubbedCopy(e, null));
    }

    /** An HTTP answer of irsa's own client: {@code body} is only summarized, never copied. */
    GitLabException map(String op, int status, String contentType, String body, String location) {
        return byStatus(op, status, summarizeBody(contentType, body), location, null);
    }

    private GitLabException byStatus(String op, int status, String summary, String location, Throwable cause) {
        String said = op + ": GitLab answered " + status + (summary == null || summary.isBlank() ? "" : " (" + summary + ")")
                + " from " + connection.url();
        if (status >= 300 && status < 400) {
            return new GitLabException.Redirected(op, status, op + ": GitLab at " + connection.url() + " answered " + status
                    + " with a redirect to " + redirectTarget(location) + "; irsa follows no redirect, so the access token "
                    + "was not sent there: set the GitLab URL to the address GitLab itself serves (https:// rather than "
                    + "http://, the new host name, no path GitLab moves)", cause);
        }
        return switch (status) {
            case 401 -> new GitLabException.Unauthorized(op, said + "; the access token is wrong, expired or revoked: "
                    + "create a personal, project or group access token and pass it to GitLabConnection.accessToken "
                    + "(the CLI reads it from IRSA_GITLAB_TOKEN); irsa preflight shows the token's user and scopes", cause);
            case 403 -> new GitLabException.Forbidden(op, said + "; the token needs scope create_runner to create runners "
                    + "(api for everything else) and its user the Maintainer role on the project (Owner on a group, "
                    + "administrator for instance runners); irsa preflight shows the token's scopes and its user's access level", cause);
            case 404 -> new GitLabException.NotFound(op, said + "; check the project/group/runner id and that the token's "
                    + "user is a member (GitLab answers 404 for what you may not see)", cause);
            case 409 -> new GitLabException.Conflict(op, 409, said + "; something changed concurrently: re-run apply", cause);
            case 410 -> new GitLabException.Conflict(op, 410, said + "; it was removed in GitLab: re-run apply to recreate it", cause);
            case 400, 422 -> new GitLabException.Rejected(op, status, said + "; GitLab rejected the input: fix the value it names", cause);
            case 429 -> new GitLabException.Throttled(op, said + "; rate limited even after " + connection.maxAttempts()
                    + " attempts: wait, or raise the user's rate limit (Admin > Settings > Network)", cause);
            default -> status >= 500
                    ? new GitLabException.Unavailable(op, status, said + "; GitLab is failing even after " + connection.maxAttempts()
                    + " attempts: check the instance's health and retry later", cause)
                    : new GitLabException(op, status, said, cause);
        };
    }

    /** Where a redirect pointed, as scheme://host:port only (a path or query may carry anything). */
    private static String redirectTarget(String location) {
        if (location == null || location.isBlank()) {
            return "nowhere named (no Location header)";
        }
        try {
            URI uri = URI.create(location.trim());
            if (uri.getHost() == null) {
                return "another path on the same host";
            }
            return SafeText.escape(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
        } catch (IllegalArgumentException e) {
            return "an unreadable location";
        }
    }

    /** GitLab4J already picked {@code message}/{@code error} out of a JSON answer; anything else was not GitLab's API. */
    private String summaryOf(GitLabApiException g, String contentType) {
        if (g.hasValidationErrors()) {
            return summarize(validationErrors(g.getValidationErrors()));
        }
        if (!isJson(contentType)) {
            return notGitLabJson(contentType);
        }
        return summarizeJsonOrText(g.getMessage());
    }

    /** A body irsa's own client received. */
    String summarizeBody(String contentType, String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        return isJson(contentType) ? summarizeJsonOrText(body) : notGitLabJson(contentType);
    }

    /** GitLab's message from a JSON body, or the text GitLab4J already extracted from one. */
    private String summarizeJsonOrText(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.trim();
        if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
            return summarize(text);
        }
        try {
            JsonNode json = JSON.readTree(trimmed);
            JsonNode field = json.has("message") ? json.get("message") : json.get("error");
            if (field == null) {
                return "a JSON answer without message or error";
            }
            if (field.isObject()) {
                Map<String, List<String>> byField = new java.util.LinkedHashMap<>();
                field.fields().forEachRemaining(f -> {
                    List<String> messages = new java.util.ArrayList<>();
                    f.getValue().forEach(m -> messages.add(m.asText()));
                    byField.put(f.getKey(), messages.isEmpty() ? List.of(f.getValue().asText()) : messages);
                });
                return summarize(validationErrors(byField));
            }
            return summarize(field.isTextual() ? field.asText() : field.toString());
        } catch (java.io.IOException | RuntimeException e) {
            return "an unreadable JSON answer";
        }
    }

    private static String validationErrors(Map<String, List<String>> errors) {
        return errors.entrySet().stream().map(e -> e.getKey() + " " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
    }

    private static String notGitLabJson(String contentType) {
        return "an answer of type " + (contentType == null ? "unknown" : SafeText.escape(bound(contentType, 60)))
                + ", not GitLab's API JSON: is a proxy or another server answering at this URL?";
    }

    /** Scrubbed, escaped and bounded: safe to show. */
    String summarize(String text) {
        if (text == null) {
            return null;
        }
        return bound(SafeText.escape(scrub(text.length() > 4_000 ? text.substring(0, 4_000) : text)), SUMMARY_MAX);
    }

    /** Replaces the access token, anything token-shaped and echoed credential values by {@code ****}. */
    String scrub(String text) {
        String token = connection.accessToken().reveal();
        String out = token.isEmpty() ? text : text.replace(token, "****");
        out = CREDENTIAL_FIELD.matcher(out).replaceAll("$1****");
        return TOKEN_SHAPED.matcher(out).replaceAll("****");
    }

    private static String bound(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /**
     * A copy of {@code t} and its causes that keeps class names and stack traces but not their messages, which
     * may hold the server's text: only a scrubbed, bounded summary (or {@code note}) stays.
     */
    private Throwable scrubbedCopy(Throwable t, String note) {
        return t == null ? null : new ScrubbedCause(t, note == null ? summarize(t.getMessage()) : note, this);
    }

    /** Stands in for a third-party exception whose message may hold secrets. */
    static final class ScrubbedCause extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private ScrubbedCause(Throwable original, String summary, GitLabErrors errors) {
            super(original.getClass().getName() + (summary == null ? "" : ": " + summary),
                    original.getCause() == null || original.getCause() == original ? null
                            : errors.scrubbedCopy(original.getCause(), null),
                    false, true);
            setStackTrace(original.getStackTrace());
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}

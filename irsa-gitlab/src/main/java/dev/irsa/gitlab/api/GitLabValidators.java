package dev.irsa.gitlab.api;

import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import dev.irsa.validation.Validators;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * GitLab's own limits, checked before any call (the general ones live in {@link Validators}).
 *
 * <pre>{@code
 * GitLabValidators.gitlabUrl("gitlabUrl", "https://gitlab.com/");         // "https://gitlab.com"
 * GitLabValidators.apiUrl("gitlab.url", "http://gitlab.internal", false); // throws: the token would travel in clear
 * GitLabValidators.runnerTags("runner.tags", List.of("k8s-dev-runner"));  // ok
 * GitLabValidators.runnerToken("runner.token", SecretString.of("GR1348941abc")); // throws: legacy token
 * }</pre>
 */
public final class GitLabValidators {
    private GitLabValidators() {
    }

    /**
     * GitLab stores tags up to 255 characters ({@code Ci::Tag}: {@code validates :name, length: { maximum: 255 }}),
     * splits a tag list on commas ({@code Gitlab::Ci::Tags::Parser}) and strips, drops blank and de-duplicates
     * tags ({@code Gitlab::Ci::Tags::TagList#clean!}): a tag that breaks these would be stored as something else.
     */
    public static final int RUNNER_TAG_MAX = 255;
    private static final Pattern TAG = Pattern.compile("[^,\\s](?:[^,]*[^,\\s])?");
    private static final String RUNNER_TOKEN_PREFIX = "glrt-";
    private static final String LEGACY_REGISTRATION_PREFIX = "GR1348941";
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    /**
     * The URL irsa sends its access token to: {@link #gitlabUrl}'s rules, and {@code https://} unless the host is
     * loopback ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) or {@code allowInsecureHttp} says otherwise:
     * over plain http the token crosses the network readable by anyone on the path. Checked without any DNS lookup.
     */
    public static String apiUrl(String field, String value, boolean allowInsecureHttp) {
        String url = gitlabUrl(field, value);
        URI uri = URI.create(url);
        if ("http".equals(uri.getScheme()) && !allowInsecureHttp && !isLoopback(uri.getHost())) {
            throw new ValidationException(field, value, "an http:// GitLab URL sends the access token unencrypted: use https://, "
                    + "or http:// only for a loopback host (localhost, 127.0.0.0/8, ::1); to accept it for another host anyway, "
                    + "opt in with GitLabConnection.builder().allowInsecureHttp(true) (CLI: --allow-insecure-http)");
        }
        return url;
    }

    /** A host name that is loopback by its spelling alone: no name is resolved. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IPV4_LITERAL.matcher(h).matches() && !h.contains(":")) {
            return false; // a name: resolving it here would be a remote call, and DNS may answer differently later
        }
        try {
            // an IP literal: InetAddress parses it without a lookup
            return java.net.InetAddress.getByName(h).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** GitLab base URL: http or https, a host, no query or fragment. Returned without trailing '/'. */
    public static String gitlabUrl(String field, String value) {
        Validators.notBlank(field, value);
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ValidationException(field, value, "not a URL: " + e.getReason());
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new ValidationException(field, value, "a GitLab URL starts with https:// (or http://)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ValidationException(field, value, "a GitLab URL needs a host name");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            // user information and query are where a token hides (user:glpat-...@, ?private_token=): not shown
            String shown = value;
            for (String hidden : new String[] {uri.getRawUserInfo(), uri.getRawQuery(), uri.getRawFragment()}) {
                shown = hidden == null || hidden.isEmpty() ? shown : shown.replace(hidden, "****");
            }
            throw new ValidationException(field, shown, "a GitLab URL has no query, fragment or user information");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /** Runner tags: at most 50, each 1-255 characters, no comma, no leading/trailing blanks, no duplicates. */
    public static List<String> runnerTags(String field, List<String> tags) {
        if (tags == null) {
            throw new ValidationException(field, null, "must not be null (use an empty list)");
        }
        if (tags.size() > Validators.RUNNER_TAGS_MAX) {
            throw new ValidationException(field, tags.size() + " tags", "a GitLab runner has at most 50 tags");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            String f = field + "[" + i + "]";
            if (tag == null) {
                throw new ValidationException(f, null, "a runner tag must not be null");
            }
            if (tag.isEmpty() || tag.length() > RUNNER_TAG_MAX) {
                throw new ValidationException(f, tag, "a runner tag has 1-255 characters");
            }
            if (!TAG.matcher(tag).matches()) {
                throw new ValidationException(f, tag, "a runner tag contains no comma and does not start or end with whitespace");
            }
            if (!seen.add(tag)) {
                throw new ValidationException(f, tag, "runner tags must be unique");
            }
        }
        return List.copyOf(tags);
    }

    /**
     * A runner authentication token ({@code glrt-...}) as {@code POST /user/runners} returns it. A legacy
     * registration token is rejected: GitLab disabled them by default in 17.0 and removes them in 20.0.
     * The token itself never appears in the exception; only its fingerprint does.
     */
    public static SecretString runnerToken(String field, SecretString token) {
        if (token == null || token.isEmpty()) {
            throw new ValidationException(field, null, "a runner authentication token (glrt-...) is required");
        }
        String value = token.reveal();
        if (value.startsWith(RUNNER_TOKEN_PREFIX) && value.length() > RUNNER_TOKEN_PREFIX.length()) {
            return token;
        }
        String shown = token.fingerprint();
        if (value.startsWith(LEGACY_REGISTRATION_PREFIX)) {
            throw new ValidationException(field, shown, "this is a legacy runner registration token (GR1348941...), which "
                    + "GitLab disables by default since 17.0; create the runner with POST /user/runners (irsa's "
                    + "GitLabExecutor.createRunner) and use the glrt- token it returns");
        }
        throw new ValidationException(field, shown, "expected a runner authentication token starting with 'glrt-' "
                + "(registration tokens and personal access tokens do not work here)");
    }

    /** Maximum job timeout of a runner: GitLab accepts 600 seconds or more. */
    public static int maximumTimeout(String field, int seconds) {
        if (seconds < 600) {
            throw new ValidationException(field, seconds, "a runner's maximum timeout is at least 600 seconds");
        }
        return seconds;
    }
}

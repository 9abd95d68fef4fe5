package dev.irsa.gitlab.api;

import dev.irsa.SecretString;
import dev.irsa.Sleeper;
import dev.irsa.ValidationException;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach GitLab: base URL, access token (scope {@code create_runner} to create runners, {@code api}
 * for the rest), timeouts, optional HTTP proxy, and the retry policy for 429/5xx. Shared by GitLab4J and
 * irsa's own {@code /runners/verify} call so both use the same settings.
 *
 * <pre>{@code
 * GitLabConnection c = GitLabConnection.builder()
 *         .url("https://gitlab.com").accessToken(SecretString.of(System.getenv("GITLAB_TOKEN")))
 *         .build();
 * }</pre>
 */
public final class GitLabConnection {
    private final String url;
    private final SecretString accessToken;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final URI proxy;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Sleeper sleeper;
    private final boolean allowInsecureHttp;

    private GitLabConnection(Builder b) {
        this.url = GitLabValidators.apiUrl("gitlab.url", b.url, b.allowInsecureHttp);
        this.allowInsecureHttp = b.allowInsecureHttp;
        if (b.accessToken == null || b.accessToken.isEmpty()) {
            throw new ValidationException("gitlab.accessToken", null, "an access token (scope create_runner or api) is required");
        }
        this.accessToken = b.accessToken;
        this.connectTimeout = positive("gitlab.connectTimeout", b.connectTimeout);
        this.readTimeout = positive("gitlab.readTimeout", b.readTimeout);
        if (b.proxy != null && (b.proxy.getHost() == null || b.proxy.getPort() < 1)) {
            throw new ValidationException("gitlab.proxy", b.proxy, "a proxy URI with host and port, e.g. http://proxy:3128");
        }
        this.proxy = b.proxy;
        if (b.maxAttempts < 1 || b.maxAttempts > 20) {
            throw new ValidationException("gitlab.maxAttempts", b.maxAttempts, "between 1 and 20");
        }
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = positive("gitlab.initialBackoff", b.initialBackoff);
        this.maxBackoff = positive("gitlab.maxBackoff", b.maxBackoff);
        this.sleeper = Objects.requireNonNull(b.sleeper, "sleeper");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base URL without trailing slash, e.g. {@code https://gitlab.com}. */
    public String url() {
        return url;
    }

    public SecretString accessToken() {
        return accessToken;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public Optional<URI> proxy() {
        return Optional.ofNullable(proxy);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    /** True when the caller opted in to a plain {@code http://} URL on a host that is not loopback. */
    public boolean allowInsecureHttp() {
        return allowInsecureHttp;
    }

    /**
     * A GitLab4J client for this connection, configured like the one {@link GitLabExecutor} uses: it never follows
     * a redirect (the token stays on this host; a 3xx answer fails instead), never re-sends a request on its own,
     * and uses this connection's proxy and timeouts. Close it when done. Its {@code GitLabApiException}s carry the
     * server's text as is: show them to no one without {@link GitLabException}'s scrubbing (use the executor).
     */
    public org.gitlab4j.api.GitLabApi openGitLabApi() {
        return GitLabClients.gitLab4j(this);
    }

    @Override
    public String toString() {
        return "GitLabConnection{url=" + url + ", accessToken=****" + (proxy == null ? "" : ", proxy=" + proxy)
                + (allowInsecureHttp ? ", allowInsecureHttp" : "") + "}";
    }

    private static Duration positive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ValidationException(field, d, "a positive duration");
        }
        return d;
    }

    public static final class Builder {
        private String url;
        private SecretString accessToken;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private URI proxy;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Sleeper sleeper = Sleeper.SYSTEM;
        private boolean allowInsecureHttp;

        private Builder() {
        }

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder accessToken(SecretString token) {
            this.accessToken = token;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        public Builder proxy(URI proxy) {
            this.proxy = proxy;
            return this;
        }

        /** Attempts per call including the first; 429/5xx/unreachable are retried. */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        public Builder initialBackoff(Duration backoff) {
            this.initialBackoff = backoff;
            return this;
        }

        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = backoff;
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        /**
         * Accept a plain {@code http://} URL on a host that is not loopback (default false: such a URL is rejected,
         * since the access token would cross the network unencrypted).
         */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

        public GitLabConnection build() {
            return new GitLabConnection(this);
        }
    }
}

package dev.irsa.gitlab.api;

import dev.irsa.IrsaException;

/**
 * A GitLab API call failed. {@link #status()} is the HTTP status (0 when GitLab was unreachable); the
 * message says which call failed, a short summary of what GitLab said (its {@code message}, token-scrubbed and
 * bounded, never its raw answer) and what to fix. Subtypes name the cause.
 */
public class GitLabException extends IrsaException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String operation;

    public GitLabException(String operation, int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.operation = operation;
    }

    public int status() {
        return status;
    }

    /** What irsa was doing, e.g. {@code create runner in project 42}. */
    public String operation() {
        return operation;
    }

    /** True for failures worth retrying (429, 5xx, unreachable). */
    public boolean retryable() {
        return false;
    }

    /**
     * 3xx: GitLab's URL answered with a redirect, which irsa never follows (the access token would go along to
     * wherever it points); the message names the target's scheme, host and port.
     */
    public static final class Redirected extends GitLabException {
        private static final long serialVersionUID = 1L;

        public Redirected(String operation, int status, String message, Throwable cause) {
            super(operation, status, message, cause);
        }
    }

    /** 401: the access token is wrong, expired or revoked. */
    public static final class Unauthorized extends GitLabException {
        private static final long serialVersionUID = 1L;

        public Unauthorized(String operation, String message, Throwable cause) {
            super(operation, 401, message, cause);
        }
    }

    /** 403: the token lacks a scope or its user lacks a role. */
    public static final class Forbidden extends GitLabException {
        private static final long serialVersionUID = 1L;

        public Forbidden(String operation, String message, Throwable cause) {
            super(operation, 403, message, cause);
        }
    }

    /** 404: the project/group/runner/file does not exist or is not visible to the token. */
    public static final class NotFound extends GitLabException {
        private static final long serialVersionUID = 1L;

        public NotFound(String operation, String message, Throwable cause) {
            super(operation, 404, message, cause);
        }
    }

    /** 409 (conflict) or 410 (gone). */
    public static final class Conflict extends GitLabException {
        private static final long serialVersionUID = 1L;

        public Conflict(String operation, int status, String message, Throwable cause) {
            super(operation, status, message, cause);
        }
    }

    /** 400/422: GitLab rejected the request's content. */
    public static final class Rejected extends GitLabException {
        private static final long serialVersionUID = 1L;

        public Rejected(String operation, int status, String message, Throwable cause) {
            super(operation, status, message, cause);
        }
    }

    /** 429: rate limited; retried with backoff before this is thrown. */
    public static final class Throttled extends GitLabException {
        private static final long serialVersionUID = 1L;

        public Throttled(String operation, String message, Throwable cause) {
            super(operation, 429, message, cause);
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** 5xx or no answer at all; retried with backoff before this is thrown. */
    public static final class Unavailable extends GitLabException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String operation, int status, String message, Throwable cause) {
            super(operation, status, message, cause);
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** A bounded wait (pipeline job) ran out. */
    public static final class WaitTimedOut extends GitLabException {
        private static final long serialVersionUID = 1L;

        public WaitTimedOut(String operation, String message) {
            super(operation, 0, message, null);
        }
    }
}

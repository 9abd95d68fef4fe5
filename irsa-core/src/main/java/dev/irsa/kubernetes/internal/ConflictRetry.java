package dev.irsa.kubernetes.internal;

import dev.irsa.IrsaException;
import dev.irsa.Sleeper;
import dev.irsa.kubernetes.KubernetesConflictException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs one observe-then-write attempt again when the API server answers 409 (stale resourceVersion, or
 * created by someone else meanwhile). Each retry re-reads the object, so it never overwrites a concurrent
 * change blindly. Backoff doubles from {@code baseDelay}; the {@link Sleeper} is injected so tests do not sleep.
 */
public final class ConflictRetry {
    private final Sleeper sleeper;
    private final int maxAttempts;
    private final Duration baseDelay;

    public ConflictRetry(Sleeper sleeper, int maxAttempts, Duration baseDelay) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.sleeper = sleeper;
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
    }

    public <T> T run(String target, Supplier<T> attempt) {
        for (int n = 1; ; n++) {
            try {
                return attempt.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                if (n >= maxAttempts) {
                    throw new KubernetesConflictException(target, n);
                }
                sleeper.sleep(baseDelay.multipliedBy(1L << Math.min(n - 1, 10)));
            }
        }
    }

    /**
     * Turns a client failure into an {@link IrsaException} that names the object and the HTTP status, or,
     * when the API server did not answer, its URL ({@code client}'s master URL).
     */
    public static IrsaException failure(KubernetesClient client, String target, String action, KubernetesClientException e) {
        return new IrsaException(target + ": " + action + " failed: " + describe(client, e), e);
    }

    /**
     * Like {@link #failure} but without the cause, for requests that carried a secret: the status code
     * and reason only, so no request detail can travel in a stack trace.
     */
    public static IrsaException redactedFailure(KubernetesClient client, String target, String action, KubernetesClientException e) {
        return new IrsaException(target + ": " + action + " failed: " + describe(client, e));
    }

    /**
     * {@code HTTP 403 Forbidden}, or {@code no answer from the API server https://…/ (ConnectException)}: the
     * URL says which server (which kubeconfig/context) was meant, the innermost cause's type why it failed.
     */
    public static String describe(KubernetesClient client, KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getReason() != null ? " " + e.getStatus().getReason() : "";
        if (e.getCode() == 401 || e.getCode() == 403) {
            return "HTTP " + e.getCode() + reason + " from " + client.getMasterUrl() + " for " + identity(client)
                    + (e.getCode() == 401 ? "; next: refresh the kubeconfig's credentials (aws eks update-kubeconfig --name <cluster>)"
                    : "; next: grant that user the verb (irsa preflight lists every verb irsa needs and which are denied)");
        }
        if (e.getCode() > 0) {
            return "HTTP " + e.getCode() + reason;
        }
        // the network's own reason (ConnectException, UnknownHostException, HttpConnectTimeoutException) when
        // there is one: the innermost cause is often an internal detail of the HTTP client
        Throwable why = e;
        for (Throwable t = e.getCause(); t != null && t != why; t = t.getCause()) {
            why = t;
            if (t.getClass().getName().startsWith("java.net.")) {
                break;
            }
        }
        io.fabric8.kubernetes.api.model.NamedContext context = client.getConfiguration().getCurrentContext();
        return "no answer from the API server " + client.getMasterUrl() + " (" + why.getClass().getSimpleName() + ")"
                + (context == null ? "" : ", kubeconfig context " + context.getName())
                + "; next: check the server and the network to it (kubectl version; irsa preflight)";
    }

    /** The kubeconfig user of the client's context, e.g. {@code user arn:aws:eks:...:cluster/dev of context dev}. */
    static String identity(KubernetesClient client) {
        io.fabric8.kubernetes.api.model.NamedContext current = client.getConfiguration().getCurrentContext();
        if (current == null || current.getContext() == null) {
            return "the client's credentials";
        }
        String user = current.getContext().getUser();
        return (user == null ? "the user" : "user " + user) + " of kubeconfig context " + current.getName();
    }
}

package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.irsa.IrsaException;
import dev.irsa.SecretString;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabException;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.stack.RunnerStacks;
import dev.irsa.gitlab.stack.RunnerStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the GitLab token through the whole facade (issue 13, findings 3 and 8): the stack is planned and
 * applied against a "GitLab" that (a) redirects every request to another server, (b) echoes the request, token
 * header included, in its JSON error. Other origins here are other ports on 127.0.0.1. The token must never
 * reach the other server, and nothing the user sees (exception message, toString, stack trace) may contain it.
 */
class TokenStaysHomeTest {
    private Sandbox sb;
    private final List<String> receivedElsewhere = new CopyOnWriteArrayList<>();
    private HttpServer elsewhere;
    private HttpServer gitlab;

    @BeforeEach
    void start() {
        sb = new Sandbox(true);
        elsewhere = server(headers -> {
            receivedElsewhere.add(headers);
            return new Reply(200, "Content-Type", "application/json", "[]");
        });
    }

    @AfterEach
    void stop() {
        elsewhere.stop(0);
        if (gitlab != null) {
            gitlab.stop(0);
        }
        sb.close();
    }

    record Reply(int status, String header, String value, String body) {
    }

    /** A loopback server answering every request with {@code reply(request line and headers)}. */
    private static HttpServer server(Function<String, Reply> reply) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                // headers first (the token among the first of them, sorted Z to A), then the request line
                Reply r = reply.apply(exchange.getRequestHeaders().entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.reverseOrder()))
                        .map(h -> h.getKey() + ": " + String.join(",", h.getValue())).toList() + " " + exchange.getRequestMethod() + " "
                        + exchange.getRequestURI());
                exchange.getResponseHeaders().add(r.header(), r.value());
                byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String url(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    /** The sandbox's facade, but its GitLab calls go to {@code gitlab} with the sandbox's token. */
    private RunnerStacks irsaAgainst(HttpServer gitlab) {
        GitLabExecutor executor = new GitLabExecutor(GitLabConnection.builder().url(url(gitlab))
                .accessToken(SecretString.of(sb.gitlabToken)).maxAttempts(1).sleeper(sb.clock.sleeper()).build());
        return sb.irsaBuilder(sb.k8s).gitlab(executor).build();
    }

    /** The GitLab failure under what the facade threw (observations wrap it), checked for the token throughout. */
    private GitLabException gitLabFailureOf(Runnable run) {
        IrsaException thrown = catchThrowableOfType(IrsaException.class, run::run);
        assertThat(thrown).as("the run failed").isNotNull();
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        assertThat(thrown.getMessage() + thrown + trace).doesNotContain(sb.gitlabToken);
        Throwable t = thrown;
        while (t != null && !(t instanceof GitLabException)) {
            t = t.getCause();
        }
        assertThat(t).as("a GitLabException under " + thrown).isNotNull();
        return (GitLabException) t;
    }

    @Test
    void planAndApplyAgainstARedirectingGitLabStopAtTheRedirect() {
        gitlab = server(request -> new Reply(302, "Location", url(elsewhere) + "/api/v4/projects", ""));
        RunnerStacks irsa = irsaAgainst(gitlab);
        RunnerStack stack = sb.stack();
        for (Runnable run : List.<Runnable>of(() -> irsa.plan(stack), () -> irsa.apply(stack).orThrow())) {
            GitLabException e = gitLabFailureOf(run);
            assertThat(e).isInstanceOf(GitLabException.Redirected.class);
            assertThat(e.status()).isEqualTo(302);
            assertThat(e.getMessage()).contains(url(elsewhere), "follows no redirect");
        }
        assertThat(receivedElsewhere).as("requests that followed the redirect to the other server").isEmpty();
    }

    @Test
    void aGitLabThatEchoesTheRequestInItsErrorDoesNotPutTheTokenInFrontOfTheUser() {
        gitlab = server(request -> new Reply(401, "Content-Type", "application/json",
                "{\"message\": \"401 Unauthorized: you sent " + request.replace("\"", "'") + "\"}"));
        RunnerStacks irsa = irsaAgainst(gitlab);
        RunnerStack stack = sb.stack();
        GitLabException e = gitLabFailureOf(() -> irsa.plan(stack));
        assertThat(e).isInstanceOf(GitLabException.Unauthorized.class);
        assertThat(e.getMessage()).contains("GitLab answered 401 (401 Unauthorized: you sent [", "Private-token: ****");
    }
}

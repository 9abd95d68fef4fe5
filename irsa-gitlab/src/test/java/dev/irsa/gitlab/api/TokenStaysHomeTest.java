package dev.irsa.gitlab.api;

import dev.irsa.SecretString;
import dev.irsa.gitlab.api.LoopbackHttp.Answer;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * No client that carries the GitLab token follows a redirect (issue 13, finding 3). Server A is "GitLab" and
 * answers every request with a redirect to server B, another port on 127.0.0.1 (another origin: a browser or an
 * HTTP client treats it as another server); B must never see a request, whichever call irsa makes and whichever
 * HTTP client makes it (GitLab4J over the JDK's HttpURLConnection, GitLab4J over Apache HttpClient when a proxy
 * is set, the JDK HttpClient of {@code /runners/verify}).
 */
class TokenStaysHomeTest {
    static final String TOKEN = "glpat-Xq3vR8sLm2NpT7wZ4yKd";
    final LoopbackHttp elsewhere = new LoopbackHttp(r -> new Answer(200, Map.of("Content-Type", "application/json"), "{\"id\": 1}"));
    LoopbackHttp gitlab;
    LoopbackHttp proxy;

    @AfterEach
    void stop() {
        elsewhere.close();
        if (gitlab != null) {
            gitlab.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Answers {@code status} with a Location on the other server, same path and query. */
    LoopbackHttp redirecting(int status) {
        return new LoopbackHttp(r -> {
            String pathAndQuery = URI.create(r.uri()).getRawPath() + (URI.create(r.uri()).getRawQuery() == null ? "" : "?" + URI.create(r.uri()).getRawQuery());
            return new Answer(status, Map.of("Location", elsewhere.url() + pathAndQuery, "Content-Type", "text/html"),
                    "<html><body>You are being <a href=\"" + elsewhere.url() + "\">redirected</a>.</body></html>");
        });
    }

    static GitLabConnection.Builder connection(String url) {
        return GitLabConnection.builder().url(url).accessToken(SecretString.of(TOKEN)).maxAttempts(1).sleeper(d -> { })
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(5));
    }

    static RunnerSpec spec() {
        return RunnerSpec.builder().stack("dev").name("app-dev-runner").projectId(7).tags("k8s-dev-runner").build();
    }

    /** Every call the executor makes, each one kind of request (GET, POST, PUT, DELETE; GitLab4J and JDK client). */
    static Map<String, Consumer<GitLabExecutor>> calls() {
        Map<String, Consumer<GitLabExecutor>> calls = new LinkedHashMap<>();
        calls.put("GET project", ex -> ex.projectId("group/app"));
        calls.put("GET group", ex -> ex.groupId("my-group"));
        calls.put("GET file", ex -> ex.readFile("group/app", ".gitlab-ci.yml", "main"));
        calls.put("GET project runners", ex -> ex.findRunnerIds(spec()));
        calls.put("POST user/runners", ex -> ex.createRunner(spec(), token -> { }));
        calls.put("PUT runner", ex -> ex.updateRunner(5, spec()));
        calls.put("DELETE file", ex -> ex.deleteFile(7, ".gitlab-ci.yml", "main", "remove"));
        calls.put("POST pipeline", ex -> ex.triggerPipeline(7, "main"));
        calls.put("POST runners/verify (JDK client)", ex -> ex.verifyRunnerToken(SecretString.of("glrt-Ab3dEf6hIj9kLm2nOp5q")));
        return calls;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectIsAnErrorNamingTheTargetAndTheTokenNeverReachesIt(int status) {
        gitlab = redirecting(status);
        try (GitLabExecutor ex = new GitLabExecutor(connection(gitlab.url()).build())) {
            calls().forEach((name, call) -> {
                GitLabException e = catchThrowableOfType(GitLabException.Redirected.class, () -> call.accept(ex));
                assertThat(e).as(name + " answered " + status).isNotNull();
                assertThat(e.status()).as(name).isEqualTo(status);
                assertThat(e.getMessage()).as(name).contains(elsewhere.url(), "follows no redirect").doesNotContain(TOKEN);
            });
        }
        assertThat(gitlab.requests()).as("each call reached GitLab once").hasSize(calls().size());
        assertThat(elsewhere.requests()).as("requests that followed the redirect, token and all").isEmpty();
    }

    @Test
    void theGitLab4JClientHandedToCallersFollowsNoRedirectEither() throws Exception {
        gitlab = redirecting(302);
        try (GitLabApi api = connection(gitlab.url()).build().openGitLabApi()) {
            GitLabApiException e = catchThrowableOfType(GitLabApiException.class, () -> api.getProjectApi().getProject("group/app"));
            assertThat(e.getHttpStatus()).isEqualTo(302);
        }
        assertThat(elsewhere.requests()).isEmpty();
    }

    @Test
    void throughAProxyNoRedirectIsFollowedEither() {
        // With a proxy GitLab4J switches to Jersey's Apache connector, and the JDK HttpClient sends absolute URIs to
        // the proxy: the proxy here answers the redirect itself, as an upstream GitLab's answer passed through.
        proxy = redirecting(302);
        // (http, so the proxy sees the requests rather than a CONNECT; the name is never resolved: the proxy is asked)
        GitLabConnection c = connection("http://gitlab.example.test").allowInsecureHttp(true).proxy(URI.create(proxy.url())).build();
        try (GitLabExecutor ex = new GitLabExecutor(c)) {
            assertThatThrownBy(() -> ex.projectId("group/app")).isInstanceOf(GitLabException.Redirected.class);
            assertThatThrownBy(() -> ex.createRunner(spec(), token -> { })).isInstanceOf(GitLabException.Redirected.class);
        }
        assertThat(proxy.requests()).as("the calls went through the proxy").hasSize(2);
        assertThat(elsewhere.requests()).isEmpty();
    }
}

package dev.irsa.gitlab.api;

import dev.irsa.SecretString;
import dev.irsa.gitlab.api.LoopbackHttp.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * GitLab's error answers reach the user as its status and a short, scrubbed summary, never as the raw body
 * (issue 13, finding 8). The server here is a GitLab (or a proxy in front of it) that echoes the whole request,
 * headers and body, into its error: the {@code PRIVATE-TOKEN} header, the runner token of {@code /runners/verify},
 * terminal escape sequences and a forged line. The JSON shapes are GitLab's ({@code lib/api/helpers.rb}
 * {@code render_api_error!}: {@code {"message": ...}}; Grape's parameter errors via {@code lib/api/api.rb}:
 * {@code {"error": ...}}); the others are what a proxy answers (HTML, plain text).
 */
class GitLabErrorSummaryTest {
    static final String TOKEN = "glpat-Xq3vR8sLm2NpT7wZ4yKd";
    static final String RUNNER_TOKEN = "glrt-Ab3dEf6hIj9kLm2nOp5q";
    static final String ESC = "\u001b";
    LoopbackHttp gitlab;

    @AfterEach
    void stop() {
        if (gitlab != null) {
            gitlab.close();
        }
    }

    /** How the echo is wrapped: status, content type, body around the echoed request. */
    enum Shape {
        MESSAGE(400, "application/json", echo -> "{\"message\": " + json(echo) + "}"),
        ERROR(401, "application/json", echo -> "{\"error\": " + json(echo) + "}"),
        FIELD_ERRORS(422, "application/json", echo -> "{\"message\": {\"tag_list\": [" + json(echo) + "]}}"),
        JSON_WITHOUT_MESSAGE(409, "application/json", echo -> "{\"request\": " + json(echo) + "}"),
        HTML_PROXY_PAGE(502, "text/html", echo -> "<html><body><h1>Bad gateway</h1><pre>" + echo + "</pre></body></html>"),
        PLAIN_TEXT(404, "text/plain", echo -> echo),
        HUGE(500, "application/json", echo -> "{\"message\": " + json(echo + "x".repeat(20_000)) + "}");

        final int status;
        final String contentType;
        final Function<String, String> body;

        Shape(int status, String contentType, Function<String, String> body) {
            this.status = status;
            this.contentType = contentType;
            this.body = body;
        }
    }

    static String json(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.chars().forEach(c -> out.append(c == '"' || c == '\\' ? "\\" + (char) c : c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.append('"').toString();
    }

    LoopbackHttp echoing(Shape shape) {
        return new LoopbackHttp(r -> new Answer(shape.status, Map.of("Content-Type", shape.contentType),
                shape.body.apply("you sent " + ESC + "[31m" + r.all() + "\nrule: forged line")));
    }

    static Map<String, Consumer<GitLabExecutor>> calls() {
        Map<String, Consumer<GitLabExecutor>> calls = new LinkedHashMap<>();
        calls.put("GET project (GitLab4J)", ex -> ex.projectId("group/app"));
        calls.put("POST user/runners (GitLab4J)", ex -> ex.createRunner(RunnerSpec.builder().stack("dev").name("r").projectId(7)
                .tags("k8s-dev-runner").build(), token -> { }));
        calls.put("POST runners/verify (JDK client)", ex -> ex.verifyRunnerToken(SecretString.of(RUNNER_TOKEN)));
        return calls;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Shape.class)
    void anEchoedRequestNeverReachesTheMessageToStringOrStackTrace(Shape shape) {
        gitlab = echoing(shape);
        GitLabConnection connection = GitLabConnection.builder().url(gitlab.url()).accessToken(SecretString.of(TOKEN))
                .maxAttempts(1).sleeper(d -> { }).readTimeout(Duration.ofSeconds(5)).build();
        try (GitLabExecutor ex = new GitLabExecutor(connection)) {
            calls().forEach((name, call) -> {
                GitLabException e = catchThrowableOfType(GitLabException.class, () -> call.accept(ex));
                String what = shape + " / " + name;
                assertThat(e).as(what).isNotNull();
                assertThat(e.status()).as(what).isEqualTo(shape.status);
                assertThat(e.getMessage()).as(what).contains("GitLab answered " + shape.status)
                        .doesNotContain("\n", "\r", ESC, "PRIVATE-TOKEN: ")
                        .hasSizeLessThan(e.operation().length() + 600);
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                assertThat(e.toString() + trace).as(what).doesNotContain(TOKEN, RUNNER_TOKEN, ESC, "forged line\n", "xxxxxxxxxx".repeat(21));
            });
        }
        assertThat(gitlab.requests()).as("the echo did carry the token").anySatisfy(r -> assertThat(r.headers()).contains(TOKEN));
    }

    @Test
    void gitLabsOwnMessageIsShownScrubbedAndBounded() {
        gitlab = new LoopbackHttp(r -> new Answer(400, Map.of("Content-Type", "application/json"),
                "{\"message\": \"tag_list is invalid for PRIVATE-TOKEN=" + TOKEN + " and glptt-0123456789abcdef, Authorization: Bearer s3cr3t-0ld-t0ken\"}"));
        GitLabConnection connection = GitLabConnection.builder().url(gitlab.url()).accessToken(SecretString.of(TOKEN))
                .maxAttempts(1).sleeper(d -> { }).build();
        try (GitLabExecutor ex = new GitLabExecutor(connection)) {
            GitLabException e = catchThrowableOfType(GitLabException.Rejected.class, () -> ex.projectId("group/app"));
            assertThat(e.getMessage()).contains("GitLab answered 400 (tag_list is invalid for PRIVATE-TOKEN=**** and ****, "
                    + "Authorization: ****)").doesNotContain("s3cr3t", "glptt-0123");
        }
    }

    @Test
    void aSummaryIsAtMostTwoHundredCharactersWithControlCharactersEscaped() {
        GitLabErrors errors = new GitLabErrors(GitLabConnection.builder().url("https://gitlab.example.test")
                .accessToken(SecretString.of(TOKEN)).build());
        assertThat(errors.summarize("a".repeat(5_000))).hasSize(GitLabErrors.SUMMARY_MAX).endsWith("…");
        assertThat(errors.summarize("line\nnext\t" + ESC + "[2J\u202e")).isEqualTo("line\\nnext\\t\\u001b[2J\\u202e");
        assertThat(errors.summarize("old gldt-AbCdEf123456 GR1348941xYz_123 ok")).isEqualTo("old **** **** ok");
    }
}

package dev.irsa.testing.gitlab;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.irsa.SecretString;
import dev.irsa.gitlab.api.GitLabConnection;
import dev.irsa.gitlab.api.GitLabExecutor;
import dev.irsa.gitlab.api.RunnerSpec;
import dev.irsa.gitlab.helm.HelmReleaseRequest;
import dev.irsa.gitlab.runner.RunnerValues;
import dev.irsa.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runner token crosses irsa only as a SecretString: no log line (SLF4J or JUL), exception or toString shows it. */
class RunnerTokenNeverLoggedTest {
    LogCapture logs;

    @BeforeEach
    void capture() {
        logs = LogCapture.start(Level.TRACE);
    }

    @AfterEach
    void release() {
        logs.close();
    }

    @Test
    void tokenAppearsNowhere() {
        List<String> surfaces = new ArrayList<>();
        AtomicReference<SecretString> stored = new AtomicReference<>();
        try (FakeGitLab gitlab = FakeGitLab.start()) {
            long project = gitlab.addProject("group/app");
            String accessToken = gitlab.addAccessToken(Set.of("api"), project);
            GitLabConnection connection = GitLabConnection.builder().url(gitlab.url()).accessToken(SecretString.of(accessToken))
                    .sleeper(d -> { }).initialBackoff(Duration.ofMillis(1)).build();
            RunnerSpec spec = RunnerSpec.builder().stack("dev").name("app-dev-runner").projectId(project).tags("k8s-dev-runner").build();
            try (GitLabExecutor ex = new GitLabExecutor(connection)) {
                gitlab.failNext(1, 429, 1);
                gitlab.failOn("POST", "/runners/verify", 503, 1);
                GitLabExecutor.EnsuredRunner r = ex.ensureRunner(spec, Optional.empty(), stored::set);
                surfaces.add(String.valueOf(r));
                surfaces.add(String.valueOf(ex.verifyRunnerToken(stored.get())));
                surfaces.add(String.valueOf(ex.ensureRunner(spec, Optional.of(stored.get()), stored::set)));
                // failure paths: the sink throws with the token in hand; GitLab errors
                Throwable sinkFailure = org.assertj.core.api.Assertions.catchThrowable(() ->
                        ex.ensureRunner(spec, Optional.empty(), t -> {
                            throw new IllegalStateException("store failed");
                        }));
                surfaces.add(stackTrace(sinkFailure));
                gitlab.failNext(10, 500, 0);
                surfaces.add(stackTrace(org.assertj.core.api.Assertions.catchThrowable(() -> ex.verifyRunnerToken(stored.get()))));
                gitlab.clearFaults();
                surfaces.add(ex.toString());
                surfaces.add(connection.toString());
            }
            String token = stored.get().reveal();
            assertThat(token).startsWith("glrt-");
            RunnerValues values = RunnerValues.builder().gitlabUrl(gitlab.url()).runnerToken(stored.get())
                    .jobs(j -> j.namespace("dev").serviceAccount("app-deployer")).build();
            surfaces.add(values.toYaml());
            surfaces.add(values.toString());
            surfaces.add(HelmReleaseRequest.builder().releaseName("r").namespace("dev").values(values.toYaml())
                    .secretValues(values.secretValues()).build().toString());
            surfaces.add(String.valueOf(stored.get()));

            List<ILoggingEvent> events = logs.events();
            List<LogRecord> records = logs.julRecords();
            assertThat(events).isNotEmpty();
            for (ILoggingEvent e : events) {
                assertThat(e.getFormattedMessage()).doesNotContain(token).doesNotContain(accessToken);
                for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                    assertThat(String.valueOf(t.getMessage())).doesNotContain(token);
                }
                if (e.getArgumentArray() != null) {
                    for (Object arg : e.getArgumentArray()) {
                        assertThat(String.valueOf(arg)).doesNotContain(token);
                    }
                }
            }
            for (LogRecord r : records) {
                assertThat(String.valueOf(r.getMessage())).doesNotContain(token);
                // The JDK's own HttpURLConnection (Jersey's transport in GitLab4J) logs request headers, the
                // PRIVATE-TOKEN among them, at FINEST when a user turns that logger on; nothing else may show it.
                if (!String.valueOf(r.getLoggerName()).startsWith("sun.net.www.protocol.http")) {
                    assertThat(String.valueOf(r.getMessage())).doesNotContain(accessToken);
                }
            }
            assertThat(surfaces).allSatisfy(s -> assertThat(s).doesNotContain(token).doesNotContain(accessToken));
        }
    }

    @Test
    void legacyTokenInValuesIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> RunnerValues.builder().gitlabUrl("https://gitlab.com").runnerToken(SecretString.of("GR1348941secretvalue"))
                .jobs(j -> j.namespace("dev").serviceAccount("app-deployer")).build())
                .hasMessageNotContaining("GR1348941secretvalue").hasMessageContaining("legacy");
    }

    private static String stackTrace(Throwable t) {
        assertThat(t).isNotNull();
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}

package dev.irsa.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.irsa.gitlab.stack.RunnerStack;
import dev.irsa.plan.ApplyResult;
import dev.irsa.plan.Plan;
import dev.irsa.plan.ProgressPrinter;
import dev.irsa.testing.LogCapture;
import dev.irsa.testing.gitlab.FakeGitLab;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets: during full apply/verify/destroy runs of the walkthrough stack and during failures (a crash right
 * after the runner was registered, so the token is in flight; STS failing during verify; IAM propagating;
 * a throttled apply), every log line (SLF4J/logback root at TRACE, so fabric8's wire logger
 * {@code io.fabric8.kubernetes.client.http.HttpLoggingInterceptor} included, and java.util.logging at ALL, so
 * the JDK's {@code sun.net.www.protocol.http.HttpURLConnection} and {@code jdk.internal.httpclient.debug}
 * included), every exception message and stack trace, the progress output (what the CLI prints), every plan's
 * render/toJson/toString and every result's and report's toString are captured, and no GitLab access token,
 * no runner token (raw or base64, as the Secret holds it), no service-account token and no STS credential may
 * appear in any of them. The clients are built the way irsa builds them ({@code KubernetesClients},
 * {@code GitLabClients}); before that, fabric8's wire logger printed the token Secret's data and TokenRequest
 * answers, and HttpURLConnection under GitLab4J printed {@code PRIVATE-TOKEN}.
 *
 * <p>Excluded, as documented in irsa-core's RunnerSecretOperationsTest: the fabric8 mock server's own loggers
 * ({@code io.fabric8.kubernetes.client.server.mock}, {@code io.fabric8.mockwebserver}), which play the API
 * server and log the objects they store as etcd would hold them; that is not output of irsa or its clients.
 */
class SecretsNeverLeakTest {
    private LogCapture logs;

    @BeforeEach
    void capture() {
        logs = LogCapture.start(Level.TRACE);
    }

    @AfterEach
    void release() {
        logs.close();
    }

    @Test
    void noTokenOrCredentialAppearsAnywhere() {
        List<String> surfaces = new ArrayList<>();
        Set<String> secrets = new LinkedHashSet<>();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (Sandbox sb = new Sandbox(false)) {
            secrets.add(sb.gitlabToken);
            RunnerStack stack = sb.stack();
            surfaces.add(stack.toString());
            ProgressPrinter printer = new ProgressPrinter(new PrintStream(progress, true, StandardCharsets.UTF_8));

            // Failure with the token in flight: the runner is registered, then writing its Secret crashes.
            sb.faults.crashAt(Faults.KUBERNETES, 7);
            record(surfaces, () -> sb.irsa.apply(stack, printer));
            sb.faults.disarm();
            collectRunnerTokens(sb, secrets);

            // A plan of the half-applied stack, then the repair.
            Plan repair = sb.plan(stack);
            surfaces.add(repair.render());
            surfaces.add(repair.toJson());
            surfaces.add(repair.toString());
            record(surfaces, () -> sb.irsa.apply(stack, printer));
            collectRunnerTokens(sb, secrets);

            // Verify: STS fails once (no retries in this sandbox), then IAM propagation, then a clean pass.
            sb.faults.crashAt(Faults.STS, sb.faults.counts().getOrDefault(Faults.STS, 0) + 1);
            surfaces.add(sb.irsa.verify(stack).render());
            sb.faults.disarm();
            surfaces.add(sb.irsa.verify(stack).render());
            surfaces.add(sb.irsa.verify(stack).toString());

            Plan noop = sb.plan(stack);
            surfaces.add(noop.render());
            surfaces.add(noop.toJson());
            Plan teardown = sb.irsa.destroyPlan(stack);
            surfaces.add(teardown.render());
            surfaces.add(teardown.toJson());

            // A destroy that crashes half-way, then completes.
            sb.faults.crashAt(Faults.KUBERNETES, sb.faults.counts().getOrDefault(Faults.KUBERNETES, 0) + 12);
            record(surfaces, () -> sb.irsa.destroy(stack, printer));
            sb.faults.disarm();
            record(surfaces, () -> sb.irsa.destroy(stack, printer));
            secrets.addAll(sb.faults.secretsSeen());
        }
        try (Sandbox sb = new Sandbox(true)) {
            secrets.add(sb.gitlabToken);
            // A throttled apply with IAM propagating, verified with backoff.
            RunnerStack stack = sb.stack();
            sb.iam.propagationDelay(Duration.ofSeconds(20));
            sb.faults.throttle(0.3, 42);
            record(surfaces, () -> sb.irsa.apply(stack, new ProgressPrinter(new PrintStream(progress, true, StandardCharsets.UTF_8))));
            sb.faults.disarm();
            surfaces.add(sb.irsa.verify(stack).render());
            collectRunnerTokens(sb, secrets);
            secrets.addAll(sb.faults.secretsSeen());
        }
        surfaces.add(progress.toString(StandardCharsets.UTF_8));

        long runnerTokens = secrets.stream().filter(s -> s.startsWith("glrt-")).count();
        long stsSecrets = secrets.stream().filter(s -> s.startsWith("ASIA")).count();
        assertThat(runnerTokens).as("runner tokens issued").isGreaterThanOrEqualTo(2);
        assertThat(stsSecrets).as("STS credentials issued").isGreaterThanOrEqualTo(2);
        assertThat(secrets).as("service-account tokens presented to STS").anySatisfy(s -> assertThat(s).startsWith("eyJ"));

        List<String> logLines = logs.lines("io.fabric8.kubernetes.client.server.mock", "io.fabric8.mockwebserver");
        System.out.printf("[reliability] secrets: %d log lines and %d outputs (plans, JSON, results, verify reports, exceptions, progress) "
                + "checked against %d secrets (%d runner tokens, %d STS credential sets, SA tokens)%n", logLines.size(), surfaces.size(),
                secrets.size(), runnerTokens, stsSecrets);
        assertThat(logLines).as("captured log lines").isNotEmpty();
        assertThat(LogCapture.loggersPrinting(logLines, secrets)).as("loggers whose lines hold a secret").isEmpty();
        for (String secret : secrets) {
            String b64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
            assertThat(surfaces).as("outputs").noneSatisfy(s -> assertThat(s).contains(secret));
            assertThat(surfaces).as("outputs (base64)").noneSatisfy(s -> assertThat(s).contains(b64));
        }
    }

    private static void collectRunnerTokens(Sandbox sb, Set<String> secrets) {
        sb.gitlab.runners().stream().map(FakeGitLab.FakeRunner::token).forEach(secrets::add);
    }

    /** Runs an operation, keeping its result's text, or its exception's message and stack trace. */
    private static void record(List<String> surfaces, java.util.function.Supplier<ApplyResult> op) {
        try {
            ApplyResult result = op.get();
            surfaces.add(result.toString());
            surfaces.add(result.summary());
            result.failures().forEach(f -> surfaces.add(String.valueOf(f)));
            result.firstFailure().ifPresent(e -> surfaces.add(stackTrace(e)));
        } catch (RuntimeException e) {
            surfaces.add(stackTrace(e));
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}

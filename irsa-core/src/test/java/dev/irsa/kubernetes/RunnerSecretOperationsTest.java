package dev.irsa.kubernetes;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.irsa.IrsaException;
import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class RunnerSecretOperationsTest {
    private static final String TOKEN = "glrt-t1_SuperSecretRunnerToken42";
    private static final String TOKEN_B64 = Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
    private static final String SECRET_PATH = "/api/v1/namespaces/gitlab-runner/secrets";

    private final CrudServer k8s = new CrudServer();
    private final KubernetesExecutor executor = k8s.executor();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level rootLevel;

    @BeforeEach
    void captureLogs() {
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void close() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        k8s.close();
    }

    private static RunnerTokenSecret spec(String token) {
        return RunnerTokenSecret.of(b -> b.namespace("gitlab-runner").name("gitlab-runner-token").stack("demo").token(SecretString.of(token)));
    }

    private Secret live() {
        return k8s.client.secrets().inNamespace("gitlab-runner").withName("gitlab-runner-token").get();
    }

    @Test
    void storesBothChartKeysAsBase64DataWithLabels() {
        Change c = executor.ensureRunnerSecret(spec(TOKEN));

        assertThat(c.action()).isEqualTo(Change.Action.CREATED);
        Secret s = live();
        assertThat(s.getType()).isEqualTo("Opaque");
        assertThat(s.getData()).containsOnly(entry("runner-token", TOKEN_B64), entry("runner-registration-token", ""));
        assertThat(s.getStringData()).isNullOrEmpty();
        assertThat(new String(Base64.getDecoder().decode(s.getData().get("runner-token")), StandardCharsets.UTF_8)).isEqualTo(TOKEN);
        assertThat(s.getMetadata().getLabels()).containsOnly(entry("app.kubernetes.io/managed-by", "irsa"), entry("irsa.dev/stack", "demo"));
        assertThat(executor.observeRunnerSecret(spec(TOKEN))).satisfies(o -> {
            assertThat(o.tokenMatches()).isTrue();
            assertThat(o.inSync()).isTrue();
        });
    }

    private static RunnerTokenSecret spec(String token, long runnerId) {
        return RunnerTokenSecret.of(b -> b.namespace("gitlab-runner").name("gitlab-runner-token").stack("demo")
                .token(SecretString.of(token)).runnerId(runnerId));
    }

    @Test
    void theRunnerIdIsWrittenWithTheTokenAndReadBack() {
        executor.ensureRunnerSecret(spec(TOKEN, 102));

        assertThat(live().getMetadata().getAnnotations()).containsEntry(IrsaMetadata.RUNNER_ID_ANNOTATION, "102");
        assertThat(executor.observeRunnerSecret(spec(TOKEN)).runnerId()).contains(102L);
        assertThat(executor.ensureRunnerSecret(spec(TOKEN, 102)).action()).isEqualTo(Change.Action.UNCHANGED);

        String other = "glrt-t1_AnotherRunnerToken0042";
        Change replaced = executor.ensureRunnerSecret(spec(other, 103));
        assertThat(replaced.action()).isEqualTo(Change.Action.UPDATED);
        assertThat(live().getMetadata().getAnnotations()).containsEntry(IrsaMetadata.RUNNER_ID_ANNOTATION, "103");
        assertThat(replaced.toString()).doesNotContain(other).doesNotContain(TOKEN);
    }

    @Test
    void aSecretWrittenBeforeRunnerIdsWereRecordedHasNoneAndTheNextWriteAddsIt() {
        executor.ensureRunnerSecret(spec(TOKEN));
        assertThat(live().getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(executor.observeRunnerSecret(spec(TOKEN)).runnerId()).isEmpty();

        assertThat(executor.ensureRunnerSecret(spec(TOKEN, 102)).action()).isEqualTo(Change.Action.UPDATED);
        assertThat(executor.observeRunnerSecret(spec(TOKEN)).runnerId()).contains(102L);
    }

    @Test
    void aNewTokenWithoutRunnerIdDropsTheIdOfTheRunnerItReplaced() {
        executor.ensureRunnerSecret(spec(TOKEN, 102));
        executor.ensureRunnerSecret(spec("glrt-t1_AnotherRunnerToken0042"));
        assertThat(executor.observeRunnerSecret(spec(TOKEN)).runnerId()).isEmpty();
    }

    @Test
    void aHandEditedRunnerIdIsNotARecordedOne() {
        executor.ensureRunnerSecret(spec(TOKEN, 102));
        k8s.client.secrets().inNamespace("gitlab-runner").withName("gitlab-runner-token").edit(s -> {
            s.getMetadata().getAnnotations().put(IrsaMetadata.RUNNER_ID_ANNOTATION, "not-a-number");
            return s;
        });
        assertThat(executor.observeRunnerSecret(spec(TOKEN)).runnerId()).isEmpty();
        assertThatThrownBy(() -> spec(TOKEN, 0)).isInstanceOf(ValidationException.class).hasMessageContaining("runnerSecret.runnerId");
    }

    @Test
    void reapplyIsUnchangedAndANewTokenUpdatesOnlyTheData() {
        executor.ensureRunnerSecret(spec(TOKEN));
        k8s.takeRequests();
        assertThat(executor.ensureRunnerSecret(spec(TOKEN)).action()).isEqualTo(Change.Action.UNCHANGED);
        assertThat(CrudServer.writes(k8s.takeRequests())).isEmpty();

        SecretObservation before = executor.observeRunnerSecret(spec("glrt-rotated-token"));
        assertThat(before.tokenMatches()).isFalse();
        assertThat(before.drift()).singleElement().hasToString("data[runner-token]: wanted \"the given token\", found \"a different token\"");

        Change c = executor.ensureRunnerSecret(spec("glrt-rotated-token"));

        assertThat(c.action()).isEqualTo(Change.Action.UPDATED);
        assertThat(live().getData()).containsEntry("runner-token",
                Base64.getEncoder().encodeToString("glrt-rotated-token".getBytes(StandardCharsets.UTF_8)))
                .containsEntry("runner-registration-token", "");
        assertThat(c.toString()).doesNotContain("glrt-rotated-token").doesNotContain(TOKEN);
    }

    @Test
    void aConcurrentChangeIsRetriedFromAFreshRead() {
        executor.ensureRunnerSecret(spec(TOKEN));
        k8s.concurrentWriteBeforeNextWrite(SECRET_PATH + "/gitlab-runner-token", "{\"metadata\":{\"annotations\":{\"rotated-by\":\"ops\"}}}");

        Change c = executor.ensureRunnerSecret(spec("glrt-rotated-token"));

        assertThat(c.action()).isEqualTo(Change.Action.UPDATED);
        assertThat(k8s.sleeps).hasSize(1);
        assertThat(live().getMetadata().getAnnotations()).containsEntry("rotated-by", "ops");
        assertThat(live().getData()).containsEntry("runner-token",
                Base64.getEncoder().encodeToString("glrt-rotated-token".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesToOverwriteAForeignSecretUnlessAdopted() {
        k8s.client.secrets().inNamespace("gitlab-runner").resource(new SecretBuilder().withNewMetadata().withName("gitlab-runner-token").endMetadata()
                .addToData("runner-token", "b3RoZXI=").build()).create();

        assertThatThrownBy(() -> executor.ensureRunnerSecret(spec(TOKEN))).isInstanceOf(KubernetesOwnershipException.class)
                .hasMessageNotContaining(TOKEN);
        assertThat(live().getData()).containsEntry("runner-token", "b3RoZXI=");

        Change adopted = executor.ensureRunnerSecret(RunnerTokenSecret.builder().from(spec(TOKEN)).adopt(true).build());
        assertThat(adopted.action()).isEqualTo(Change.Action.UPDATED);
        assertThat(live().getData()).containsEntry("runner-token", TOKEN_B64).containsEntry("runner-registration-token", "");
    }

    /**
     * Issue 13 findings 6 and 11a: irsa records a runner registration (and a pipeline hash) before the token
     * exists; the Secret is created labelled, without a token; writing the token with the runner's id drops the
     * registration (the id proves the runner from then on); a foreign Secret is never recorded on.
     */
    @Test
    void recordsARegistrationBeforeTheTokenAndDropsItWhenTheRunnersIdIsWritten() {
        executor.recordOnRunnerSecret("gitlab-runner", "gitlab-runner-token", "demo",
                java.util.Map.of(IrsaMetadata.RUNNER_REGISTRATION_ANNOTATION, "0123abcd", IrsaMetadata.PIPELINE_SHA256_ANNOTATION, "aa,bb"));
        assertThat(live().getMetadata().getLabels()).containsEntry(IrsaMetadata.STACK_LABEL, "demo");
        assertThat(live().getData()).containsOnlyKeys("runner-registration-token");
        SecretObservation pending = executor.observeRunnerSecret(spec(TOKEN));
        assertThat(pending.pendingRegistration()).contains("0123abcd");
        assertThat(pending.pipelineSha256()).containsExactly("aa", "bb");
        assertThat(pending.tokenMatches()).isFalse();

        executor.ensureRunnerSecret(RunnerTokenSecret.builder().from(spec(TOKEN)).runnerId(102L).build());
        SecretObservation stored = executor.observeRunnerSecret(spec(TOKEN));
        assertThat(stored.pendingRegistration()).isEmpty();
        assertThat(stored.runnerId()).contains(102L);
        assertThat(stored.pipelineSha256()).as("the pipeline record is not the token's to drop").containsExactly("aa", "bb");

        executor.recordOnRunnerSecret("gitlab-runner", "gitlab-runner-token", "demo",
                java.util.Collections.singletonMap(IrsaMetadata.PIPELINE_SHA256_ANNOTATION, null));
        assertThat(executor.observeRunnerSecret(spec(TOKEN)).pipelineSha256()).isEmpty();

        assertThatThrownBy(() -> executor.recordOnRunnerSecret("gitlab-runner", "gitlab-runner-token", "other",
                java.util.Map.of(IrsaMetadata.RUNNER_REGISTRATION_ANNOTATION, "x"))).isInstanceOf(KubernetesOwnershipException.class);
        assertThat(executor.observeRunnerSecret(spec(TOKEN)).pendingRegistration()).isEmpty();
    }

    @Test
    void deleteRemovesOnlyIrsasSecretAndAgainIsSuccess() {
        executor.ensureRunnerSecret(spec(TOKEN));
        assertThat(executor.deleteRunnerSecret("gitlab-runner", "gitlab-runner-token", "other").action()).isEqualTo(Change.Action.KEPT);
        assertThat(executor.deleteRunnerSecret("gitlab-runner", "gitlab-runner-token", "demo").action()).isEqualTo(Change.Action.DELETED);
        assertThat(live()).isNull();
        assertThat(executor.deleteRunnerSecret("gitlab-runner", "gitlab-runner-token", "demo").action()).isEqualTo(Change.Action.ALREADY_ABSENT);
    }

    @Test
    void theTokenNeverAppearsInLogsToStringOrExceptions() {
        RunnerTokenSecret spec = spec(TOKEN);
        executor.ensureRunnerSecret(spec);
        executor.ensureRunnerSecret(spec(TOKEN + "-v2"));
        executor.observeRunnerSecret(spec);
        // A failing write: the server refuses the update of the token.
        k8s.server.expect().patch().withPath(SECRET_PATH + "/gitlab-runner-token")
                .andReturn(422, new StatusBuilder().withCode(422).withReason("Invalid").withMessage("refused").build()).once();
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> executor.ensureRunnerSecret(spec));
        assertThat(failure).isInstanceOf(IrsaException.class).hasMessageContaining("HTTP 422").hasNoCause();
        // A failing create.
        executor.deleteRunnerSecret("gitlab-runner", "gitlab-runner-token", "demo");
        k8s.server.expect().post().withPath(SECRET_PATH)
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden").withMessage("no").build()).once();
        Throwable createFailure = org.assertj.core.api.Assertions.catchThrowable(() -> executor.ensureRunnerSecret(spec));
        assertThat(createFailure).isInstanceOf(IrsaException.class).hasNoCause();

        // Everything logged in this JVM on the client side: irsa and the fabric8 client. The mock server
        // (io.fabric8.kubernetes.client.server.mock, io.fabric8.mockwebserver) plays the API server and
        // logs what it stores at DEBUG, as etcd would hold it; that is not the client's output.
        List<ch.qos.logback.classic.spi.ILoggingEvent> events;
        synchronized (logs) { // server threads may still be appending
            events = new java.util.ArrayList<>(logs.list);
        }
        var clientSide = events.stream()
                .filter(e -> !e.getLoggerName().startsWith("io.fabric8.kubernetes.client.server.mock"))
                .filter(e -> !e.getLoggerName().startsWith("io.fabric8.mockwebserver"))
                .toList();
        assertThat(clientSide).anySatisfy(e -> assertThat(e.getLoggerName()).startsWith("dev.irsa.kubernetes"));
        for (ILoggingEvent event : clientSide) {
            assertThat(event.getFormattedMessage()).doesNotContain(TOKEN).doesNotContain(TOKEN_B64);
        }
        for (Throwable t : new Throwable[] {failure, createFailure}) {
            assertThat(t.getMessage()).doesNotContain(TOKEN).doesNotContain(TOKEN_B64);
        }
        assertThat(spec.toString()).doesNotContain(TOKEN);
        assertThat(executor.observeRunnerSecret(spec).toString()).doesNotContain(TOKEN).doesNotContain(TOKEN_B64);
    }

    @Test
    void emptyTokenAndBadNamesFailBeforeAnyRequest() {
        int before = k8s.server.getRequestCount();
        assertThatThrownBy(() -> spec("")).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.field()).isEqualTo("runnerSecret.token");
            assertThat(e.value()).isEqualTo("****");
        });
        assertThatThrownBy(() -> RunnerTokenSecret.of(b -> b.namespace("gitlab-runner").name("Bad Name").stack("demo").token(SecretString.of(TOKEN))))
                .isInstanceOf(ValidationException.class).hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> executor.deleteRunnerSecret("gitlab-runner", "Bad Name", "demo")).isInstanceOf(ValidationException.class);
        assertThat(k8s.server.getRequestCount()).isEqualTo(before);
    }
}

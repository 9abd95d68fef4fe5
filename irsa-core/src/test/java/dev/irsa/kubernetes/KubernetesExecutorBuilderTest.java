package dev.irsa.kubernetes;

import dev.irsa.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubernetesExecutorBuilderTest {
    private final CrudServer k8s = new CrudServer();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        k8s.close();
    }

    private Path kubeconfig() throws IOException {
        String url = k8s.server.url("/").replaceAll("/$", "");
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                - name: elsewhere
                  cluster:
                    server: http://127.0.0.1:1
                users:
                - name: tester
                  user:
                    token: not-a-real-token
                contexts:
                - name: broken
                  context: {cluster: elsewhere, user: tester, namespace: nowhere}
                - name: mock-ctx
                  context: {cluster: mock, user: tester, namespace: team-a}
                current-context: broken
                """.formatted(url));
        return file;
    }

    @Test
    void explicitKubeconfigAndContextSelectTheClusterAndNamespace() throws IOException {
        try (KubernetesExecutor executor = KubernetesExecutor.builder().kubeconfig(kubeconfig()).context("mock-ctx").build()) {
            assertThat(executor.defaultNamespace()).isEqualTo("team-a");
            assertThat(executor.ensureNamespace("team-a", "demo").action()).isEqualTo(Change.Action.CREATED);
        }
        assertThat(k8s.client.namespaces().withName("team-a").get()).isNotNull();
    }

    @Test
    void namespaceOverridesTheContextsNamespace() throws IOException {
        var config = KubernetesExecutor.builder().kubeconfig(kubeconfig()).context("mock-ctx").namespace("ci").config();
        assertThat(config.getNamespace()).isEqualTo("ci");
        assertThat(config.getMasterUrl()).startsWith("http://");
        var current = KubernetesExecutor.builder().kubeconfig(kubeconfig()).config();
        assertThat(current.getNamespace()).isEqualTo("nowhere");
    }

    @Test
    void aGivenClientIsUsedAndNotClosed() {
        try (KubernetesExecutor executor = KubernetesExecutor.of(k8s.client)) {
            assertThat(executor.defaultNamespace()).isEqualTo("test");
        }
        assertThat(k8s.client.namespaces().list().getItems()).isEmpty();
    }

    @Test
    void rejectsContradictoryOrMissingConfiguration() {
        assertThatThrownBy(() -> KubernetesExecutor.builder().client(k8s.client).context("x").build())
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> KubernetesExecutor.builder().kubeconfig(dir.resolve("missing")).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("kubernetes.kubeconfig"));
        assertThatThrownBy(() -> KubernetesExecutor.builder().namespace("Not_A_Namespace"))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> KubernetesExecutor.builder().maxAttempts(0)).isInstanceOf(ValidationException.class);
    }
}

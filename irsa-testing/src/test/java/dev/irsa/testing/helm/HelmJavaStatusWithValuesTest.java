package dev.irsa.testing.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.irsa.SecretString;
import dev.irsa.gitlab.helm.HelmJavaExecutor;
import dev.irsa.gitlab.helm.HelmReleaseWithValues;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real helm-java (embedded Helm) reading a release from an API server: {@code statusWithValues} is a
 * {@code helm status} then a {@code helm get values --revision <status's revision>}, both structured reads
 * (no report text is parsed). The release is stored the way
 * Helm 3's default storage driver stores it: a Secret {@code sh.helm.release.v1.<name>.v<revision>} of type
 * {@code helm.sh/release.v1}, labels {@code name}/{@code owner=helm}/{@code status}/{@code version}, key
 * {@code release} = base64(gzip(release JSON)).
 */
class HelmJavaStatusWithValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
    /** A release Secret the next Secret list leaves out, as if it was written just after that list. */
    private final AtomicReference<String> hiddenFromNextList = new AtomicReference<>();
    private final KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
            expectations, jsonAnswers(new KubernetesMixedDispatcher(expectations), hiddenFromNextList), false);
    private final NamespacedKubernetesClient client;

    HelmJavaStatusWithValuesTest() throws IOException {
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
    }

    /**
     * Makes the mock server answer Helm's client-go as an API server does: client-go asks for protobuf
     * first and reads an answer that does not name its type as protobuf, so the JSON is named; and it
     * drops a Secret list whose kind is not {@code SecretList}, which the CRUD mock names {@code List}.
     */
    private static Dispatcher jsonAnswers(Dispatcher crud, AtomicReference<String> hiddenFromNextList) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                MockResponse response = crud.dispatch(request);
                if (response.header("Content-Type") == null) {
                    response.setHeader("Content-Type", "application/json");
                }
                String path = request.getPath() == null ? "" : request.getPath().replaceFirst("\\?.*", "");
                if ("GET".equals(request.getMethod()) && path.matches("/api/v1/namespaces/[^/]+/secrets") && response.getBody() != null) {
                    try {
                        ObjectNode list = (ObjectNode) JSON.readTree(response.getBody().readUtf8());
                        if ("List".equals(list.path("kind").asText())) {
                            list.put("kind", "SecretList");
                        }
                        String hidden = hiddenFromNextList.getAndSet(null);
                        if (hidden != null && list.get("items") instanceof ArrayNode items) {
                            for (int i = items.size() - 1; i >= 0; i--) {
                                if (hidden.equals(items.get(i).at("/metadata/name").asText())) {
                                    items.remove(i);
                                }
                            }
                        }
                        response.setBody(JSON.writeValueAsString(list));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return response;
            }
        };
    }

    @AfterEach
    void close() {
        client.close();
        server.destroy();
    }

    private void storeRelease(String name, String namespace, int revision, Map<String, Object> config) throws IOException {
        storeRelease(name, namespace, revision, "deployed", config);
    }

    private void storeRelease(String name, String namespace, int revision, String status, Map<String, Object> config)
            throws IOException {
        ObjectNode release = JSON.createObjectNode();
        release.put("name", name);
        release.put("namespace", namespace);
        release.put("version", revision);
        ObjectNode info = release.putObject("info");
        info.put("first_deployed", "2026-11-26T00:00:00Z");
        info.put("last_deployed", "2026-11-26T00:00:00Z");
        info.put("description", "applied by irsa stack seed");
        info.put("status", status);
        ObjectNode chart = release.putObject("chart");
        chart.putObject("metadata").put("apiVersion", "v2").put("name", "gitlab-runner").put("version", "0.86.0")
                .put("appVersion", "v18.6.0");
        chart.putObject("values").put("concurrent", 10).put("checkInterval", 3);
        release.set("config", JSON.valueToTree(config));
        release.put("manifest", "");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(JSON.writeValueAsBytes(release));
        }
        String encoded = Base64.getEncoder().encodeToString(gz.toByteArray());
        client.secrets().inNamespace(namespace).resource(new SecretBuilder()
                .withNewMetadata().withName("sh.helm.release.v1." + name + ".v" + revision).withNamespace(namespace)
                .withLabels(Map.of("name", name, "owner", "helm", "status", status, "version", Integer.toString(revision)))
                .endMetadata()
                .withType("helm.sh/release.v1")
                .withData(Map.of("release", Base64.getEncoder().encodeToString(encoded.getBytes(StandardCharsets.US_ASCII))))
                .build()).create();
    }

    private HelmJavaExecutor helm() {
        server.expect().get().withPath("/version")
                .andReturn(200, Map.of("major", "1", "minor", "31", "gitVersion", "v1.31.0")).always();
        String kubeConfig = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: u
                current-context: mock
                users:
                - name: u
                  user:
                    token: mock-token
                """.formatted(client.getMasterUrl().toString());
        return new HelmJavaExecutor(SecretString.of(kubeConfig));
    }

    @Test
    void oneStatusReadsTheReleaseAndItsUserSuppliedValuesWithoutSecrets() throws IOException {
        storeRelease("app-dev-runner", "dev", 3, Map.of(
                "gitlabUrl", "https://gitlab.com/",
                "runnerToken", "glrt-must-not-come-back",
                "deploymentLabels", Map.of("irsa.dev/managed-by", "irsa", "irsa.dev/stack", "seed"),
                "runners", Map.of("secret", "gitlab-runner-token", "config", "[[runners]]\n\n  [runners.kubernetes]\n    namespace = \"dev\"\n")));
        HelmJavaExecutor helm = helm();

        HelmReleaseWithValues read = helm.statusWithValues("app-dev-runner", "dev").orElseThrow();

        assertThat(read.release().name()).isEqualTo("app-dev-runner");
        assertThat(read.release().namespace()).isEqualTo("dev");
        assertThat(read.release().deployed()).isTrue();
        assertThat(read.release().revision()).isEqualTo(3);
        assertThat(read.release().chart()).isEqualTo("gitlab-runner-0.86.0");
        // the user-supplied values only: not the chart's defaults (checkInterval), not the secret keys
        assertThat(read.values()).containsOnlyKeys("gitlabUrl", "deploymentLabels", "runners");
        assertThat(read.values()).isEqualTo(helm.values("app-dev-runner", "dev").orElseThrow());
        assertThat(((Map<?, ?>) read.values().get("runners")).get("config").toString()).contains("namespace = \"dev\"");
        assertThat(read.toString()).doesNotContain("glrt-must-not-come-back");
    }

    /**
     * An upgrade landing between the two reads: the status read (a Secret list, Helm's
     * {@code storage.Last}) does not see revision 4 yet. The values are read at the revision the status
     * reported (a GET of {@code sh.helm.release.v1.<name>.v3}), so a release is never paired with another
     * revision's values; {@code get values} without the revision would return revision 4's.
     */
    @Test
    void theValuesAreThoseOfTheRevisionTheStatusReported() throws IOException {
        storeRelease("app-dev-runner", "dev", 3, "superseded", Map.of("gitlabUrl", "https://gitlab.com/"));
        storeRelease("app-dev-runner", "dev", 4, "deployed", Map.of("gitlabUrl", "https://gitlab.example.com/"));
        HelmJavaExecutor helm = helm();
        hiddenFromNextList.set("sh.helm.release.v1.app-dev-runner.v4");

        HelmReleaseWithValues read = helm.statusWithValues("app-dev-runner", "dev").orElseThrow();

        assertThat(read.release().revision()).isEqualTo(3);
        assertThat(read.values()).containsEntry("gitlabUrl", "https://gitlab.com/");
        assertThat(helm.statusWithValues("app-dev-runner", "dev").orElseThrow().values())
                .containsEntry("gitlabUrl", "https://gitlab.example.com/");
    }

    /**
     * Values the old debug-report parser could not delimit: a top-level {@code COMPUTED VALUES} map after a
     * string ending in an empty line is, in the report's text, the report's own next section header.
     */
    @Test
    void valuesThatLookLikeReportSectionsAreReadAsValues() throws IOException {
        storeRelease("app-dev-runner", "dev", 1, Map.of("A", "x\n\n", "COMPUTED VALUES", Map.of("k", "v"),
                "gitlabUrl", "https://gitlab.com/"));

        HelmReleaseWithValues read = helm().statusWithValues("app-dev-runner", "dev").orElseThrow();

        assertThat(read.values()).containsOnlyKeys("A", "COMPUTED VALUES", "gitlabUrl")
                .containsEntry("COMPUTED VALUES", Map.of("k", "v"));
    }

    @Test
    void aMissingReleaseIsEmpty() {
        assertThat(helm().statusWithValues("app-dev-runner", "dev")).isEmpty();
    }
}

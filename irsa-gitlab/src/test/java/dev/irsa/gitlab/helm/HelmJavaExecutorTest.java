package dev.irsa.gitlab.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import dev.irsa.gitlab.runner.ResourceRequests;
import dev.irsa.gitlab.runner.RunnerValues;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real helm-java (embedded Helm) templating a small chart of our own with irsa's rendered values. */
class HelmJavaExecutorTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Path probeChart() throws Exception {
        return Path.of(HelmJavaExecutorTest.class.getResource("/charts/irsa-probe/Chart.yaml").toURI()).getParent();
    }

    static RunnerValues values() {
        return RunnerValues.builder().gitlabUrl("https://gitlab.example.com").runnerSecretName("app-dev-runner-token")
                .concurrent(4)
                .jobs(j -> j.namespace("dev").serviceAccount("app-deployer").image("ubuntu:18.04")
                        .allRequests(ResourceRequests.of("100m", "128Mi")).nodeSelector(Map.of("nodepool", "dev")))
                .build();
    }

    @Test
    void templatesOurChartWithTheRenderedValues() throws Exception {
        String manifests = new HelmJavaExecutor().template(HelmReleaseRequest.builder()
                .releaseName("app-dev-runner").namespace("dev").chart(HelmChart.local(probeChart()))
                .values(values().toYaml()).build());
        JsonNode cm = YAML.readTree(manifests.substring(manifests.indexOf("apiVersion")));
        assertThat(cm.at("/metadata/name").asText()).isEqualTo("app-dev-runner-probe");
        assertThat(cm.at("/metadata/namespace").asText()).isEqualTo("dev");
        assertThat(cm.at("/data/gitlabUrl").asText()).isEqualTo("https://gitlab.example.com/");
        assertThat(cm.at("/data/concurrent").asText()).isEqualTo("4");
        assertThat(cm.at("/data/secretName").asText()).isEqualTo("app-dev-runner-token");
        JsonNode toml = new TomlMapper().readTree(cm.at("/data/config.toml").asText());
        assertThat(toml.at("/runners/0/kubernetes/service_account").asText()).isEqualTo("app-deployer");
        assertThat(toml.at("/runners/0/kubernetes/node_selector/nodepool").asText()).isEqualTo("dev");
        assertThat(cm.at("/data").has("tokenLength")).isFalse();
    }

    @Test
    void secretValuesReachHelmWithoutAFile() throws Exception {
        SecretString token = SecretString.of("glrt-probe-0123456789");
        RunnerValues inline = values().toBuilder().runnerSecretName(null).runnerToken(token).build();
        HelmReleaseRequest request = HelmReleaseRequest.builder().releaseName("app-dev-runner").namespace("dev")
                .chart(HelmChart.local(probeChart())).values(inline.toYaml()).secretValues(inline.secretValues()).build();
        assertThat(request.toString()).doesNotContain(token.reveal());
        String manifests = new HelmJavaExecutor().template(request);
        JsonNode cm = YAML.readTree(manifests.substring(manifests.indexOf("apiVersion")));
        assertThat(cm.at("/data/tokenLength").asText()).isEqualTo(String.valueOf(token.reveal().length()));
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.startsWith("irsa-helm-values-"));
        }
    }

    @Test
    void helmErrorsBecomeHelmExceptions() throws Exception {
        Path broken = Files.createTempDirectory("irsa-broken-chart");
        Files.writeString(broken.resolve("Chart.yaml"), "apiVersion: v2\nname: broken\nversion: 0.1.0\n");
        Files.createDirectories(broken.resolve("templates"));
        Files.writeString(broken.resolve("templates/cm.yaml"), "kind: ConfigMap\ndata: {{ .Values.missing.deeper }}\n");
        assertThatThrownBy(() -> new HelmJavaExecutor().template(HelmReleaseRequest.builder().releaseName("r").namespace("dev")
                .chart(HelmChart.local(broken)).values("a: 1\n").build()))
                .isInstanceOf(HelmException.class).hasMessageContaining("helm template dev/r");
    }

    @Test
    void requestIsValidatedBeforeHelmRuns() {
        assertThatThrownBy(() -> HelmReleaseRequest.builder().releaseName("x".repeat(54)).namespace("dev").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("53");
        assertThatThrownBy(() -> HelmReleaseRequest.builder().releaseName("r").namespace("Bad_NS").build())
                .isInstanceOf(ValidationException.class);
    }

    private static final String UNREACHABLE_KUBE_CONFIG = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster:
                    server: https://127.0.0.1:1
                    insecure-skip-tls-verify: true
                contexts:
                - name: c
                  context:
                    cluster: c
                    user: u
                current-context: c
                users:
                - name: u
                  user:
                    token: not-a-real-token
                """;

    @Test
    void clusterCallsReachHelmsKubernetesClientWithOurKubeConfig() {
        // nothing listens on 127.0.0.1:1: Helm's own client must report that, proving the kube config is wired
        HelmJavaExecutor helm = new HelmJavaExecutor(SecretString.of(UNREACHABLE_KUBE_CONFIG));
        assertThatThrownBy(() -> helm.status("app-dev-runner", "dev"))
                .isInstanceOf(HelmException.class).hasMessageContaining("127.0.0.1:1").hasMessageNotContaining("not-a-real-token");
        assertThatThrownBy(() -> helm.install(HelmReleaseRequest.builder().releaseName("app-dev-runner").namespace("dev")
                .chart(HelmChart.local(probeChart())).values(values().toYaml()).timeoutSeconds(5).build()))
                .isInstanceOf(HelmException.class).hasMessageContaining("helm install dev/app-dev-runner");
        assertThatThrownBy(() -> helm.values("app-dev-runner", "dev"))
                .isInstanceOf(HelmException.class).isInstanceOf(dev.irsa.IrsaException.class)
                .hasMessageStartingWith("helm get values dev/app-dev-runner failed: ")
                .hasMessageContaining("127.0.0.1:1").hasMessageNotContaining("not-a-real-token");
    }

    @Test
    void valuesValidatesTheReleaseBeforeHelmRuns() {
        HelmJavaExecutor helm = new HelmJavaExecutor();
        assertThatThrownBy(() -> helm.values("Not_A_Release", "dev")).isInstanceOf(dev.irsa.ValidationException.class)
                .hasMessageContaining("helm.releaseName");
        assertThatThrownBy(() -> helm.values("app-dev-runner", "Bad Namespace")).isInstanceOf(dev.irsa.ValidationException.class)
                .hasMessageContaining("helm.namespace");
    }

    /**
     * What helm-java 0.0.21's {@code GetValuesSubcommand} returns: its native {@code GetValues}
     * (manusa/helm-java {@code native/internal/helm/get.go}) runs Helm's {@code action.GetValues}, which
     * returns the release's {@code Config} (helm/helm {@code pkg/action/get_values.go}: "return rel.Config"),
     * and marshals it with {@code sigs.k8s.io/yaml}: keys sorted, multi-line strings as literal blocks, no
     * {@code USER-SUPPLIED VALUES:} header (that header is only the CLI's table output).
     */
    static final String GET_VALUES_YAML = """
            concurrent: 10
            deploymentLabels:
              irsa.dev/managed-by: irsa
              irsa.dev/stack: seed
            gitlabUrl: https://gitlab.com/
            runnerToken: glrt-must-not-come-back
            runners:
              config: |
                [[runners]]

                COMPUTED VALUES:
                  [runners.kubernetes]
                    namespace = "dev"
              secret: app-dev-runner-token
            """;

    /**
     * The same config as {@code helm get values -o json} prints it (helm/helm {@code cmd/helm/get_values.go}:
     * {@code valuesWriter.WriteJSON} is {@code output.EncodeJSON(out, v.vals)}, one compact line), which is
     * also the {@code config} object of {@code helm status -o json}.
     */
    static final String GET_VALUES_JSON = "{\"concurrent\":10,\"deploymentLabels\":{\"irsa.dev/managed-by\":\"irsa\","
            + "\"irsa.dev/stack\":\"seed\"},\"gitlabUrl\":\"https://gitlab.com/\",\"runnerToken\":\"glrt-must-not-come-back\","
            + "\"runners\":{\"config\":\"[[runners]]\\n\\nCOMPUTED VALUES:\\n  [runners.kubernetes]\\n    namespace = \\\"dev\\\"\\n\","
            + "\"secret\":\"app-dev-runner-token\"}}\n";

    @Test
    void getValuesOutputIsReadByJacksonAsYamlOrJson() {
        Map<String, Object> fromYaml = HelmJavaExecutor.userSuppliedValues(GET_VALUES_YAML, "dev/app-dev-runner");
        Map<String, Object> fromJson = HelmJavaExecutor.userSuppliedValues(GET_VALUES_JSON, "dev/app-dev-runner");

        assertThat(fromJson).isEqualTo(fromYaml);
        assertThat(fromYaml).containsOnlyKeys("concurrent", "deploymentLabels", "gitlabUrl", "runnerToken", "runners")
                .containsEntry("concurrent", 10);
        // a multi-line string holding the old debug report's end marker is just a value
        assertThat(((Map<?, ?>) fromYaml.get("runners")).get("config").toString())
                .contains("COMPUTED VALUES:").contains("namespace = \"dev\"");
        assertThat(((Map<?, ?>) fromYaml.get("deploymentLabels")).get("irsa.dev/stack")).isEqualTo("seed");
        // the secret key is read by key only and stripped before the values leave the executor
        assertThat(HelmExecutor.withoutSecrets(fromYaml, java.util.Set.of()).toString()).doesNotContain("glrt-must-not-come-back");
    }

    @Test
    void aReleaseWithoutValuesHasNone() {
        // rel.Config is nil for a release installed without values: sigs.k8s.io/yaml prints "null"
        assertThat(HelmJavaExecutor.userSuppliedValues("null\n", "dev/r")).isEmpty();
        assertThat(HelmJavaExecutor.userSuppliedValues("{}\n", "dev/r")).isEmpty();
        assertThat(HelmJavaExecutor.userSuppliedValues("", "dev/r")).isEmpty();
    }

    @Test
    void valuesThatAreNotAMapAreAnErrorThatShowsNoneOfThem() {
        assertThatThrownBy(() -> HelmJavaExecutor.userSuppliedValues("runnerToken: [glrt-leak\n", "dev/r"))
                .isInstanceOf(HelmException.class).hasMessageStartingWith("helm get values dev/r: ")
                .hasMessageNotContaining("glrt-leak").hasNoCause();
        assertThatThrownBy(() -> HelmJavaExecutor.userSuppliedValues("- glrt-leak\n", "dev/r"))
                .isInstanceOf(HelmException.class).hasMessageContaining("not a map").hasMessageNotContaining("glrt-leak");
        assertThatThrownBy(() -> HelmJavaExecutor.userSuppliedValues("{\"runnerToken\": \"glrt-leak\"}\n---\nx: 1\n", "dev/r"))
                .isInstanceOf(HelmException.class).hasMessageNotContaining("glrt-leak").hasNoCause();
    }

    @Test
    void statusWithValuesReadsTheConfiguredClusterAndValidatesFirst() {
        HelmJavaExecutor helm = new HelmJavaExecutor(SecretString.of(UNREACHABLE_KUBE_CONFIG));
        assertThatThrownBy(() -> helm.statusWithValues("app-dev-runner", "dev"))
                .isInstanceOf(HelmException.class).hasMessageStartingWith("helm status dev/app-dev-runner failed: ")
                .hasMessageContaining("127.0.0.1:1").hasMessageNotContaining("not-a-real-token");
        assertThatThrownBy(() -> helm.statusWithValues("Not_A_Release", "dev")).isInstanceOf(ValidationException.class);
    }

    @Test
    void secretKeysAreStrippedFromValuesReadBack() {
        Map<String, Object> live = new java.util.LinkedHashMap<>();
        live.put("gitlabUrl", "https://gitlab.example.com/");
        live.put("runnerToken", "glrt-secret-1");
        live.put("runnerRegistrationToken", "glrt-secret-2");
        live.put("runners", new java.util.LinkedHashMap<>(Map.of("token", "glrt-secret-3", "secret", "s")));
        live.put("extra", new java.util.LinkedHashMap<>(Map.of("token", "glrt-secret-4")));

        Map<String, Object> safe = HelmExecutor.withoutSecrets(live, java.util.Set.of("runners.token", "extra.token"));

        assertThat(safe).containsOnlyKeys("gitlabUrl", "runners").doesNotContainKey("extra");
        assertThat(safe.get("runners")).isEqualTo(Map.of("secret", "s"));
        assertThat(safe.toString()).doesNotContain("glrt-secret");
        assertThat(live).containsKey("runnerToken"); // the input is not modified
    }
}

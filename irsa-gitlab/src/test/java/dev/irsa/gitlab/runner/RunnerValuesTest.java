package dev.irsa.gitlab.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunnerValuesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static RunnerValues walkthrough() {
        return RunnerValues.builder()
                .gitlabUrl("https://gitlab.com/")
                .runnerSecretName("app-dev-runner-token")
                .imagePullPolicy("IfNotPresent")
                .unregisterRunners(true)
                .terminationGracePeriodSeconds(3600)
                .concurrent(10)
                .checkIntervalSeconds(30)
                .metricsEnabled(true)
                .managerServiceAccount(true, "app-dev-runner-manager")
                .jobs(j -> j.namespace("dev").serviceAccount("app-deployer").image("ubuntu:18.04").privileged(false)
                        .pollTimeoutSeconds(360).allRequests(ResourceRequests.of("100m", "128Mi"))
                        .nodeSelector(Map.of("nodepool", "dev")))
                .build();
    }

    @Test
    void runnersConfigIsTomlWithTheJobServiceAccount() throws Exception {
        JsonNode values = YAML.readTree(walkthrough().toYaml());
        String toml = values.at("/runners/config").asText();
        JsonNode config = new TomlMapper().readTree(toml);
        JsonNode k8s = config.at("/runners/0/kubernetes");
        assertThat(k8s.get("namespace").asText()).isEqualTo("dev");
        assertThat(k8s.get("service_account").asText()).isEqualTo("app-deployer");
        assertThat(k8s.get("image").asText()).isEqualTo("ubuntu:18.04");
        assertThat(k8s.get("privileged").asBoolean()).isFalse();
        assertThat(k8s.get("poll_timeout").asInt()).isEqualTo(360);
        for (String key : List.of("cpu_request", "service_cpu_request", "helper_cpu_request")) {
            assertThat(k8s.get(key).asText()).as(key).isEqualTo("100m");
        }
        for (String key : List.of("memory_request", "service_memory_request", "helper_memory_request")) {
            assertThat(k8s.get(key).asText()).as(key).isEqualTo("128Mi");
        }
        assertThat(k8s.at("/node_selector/nodepool").asText()).isEqualTo("dev");
        assertThat(config.get("runners").isArray()).as("[[runners]] is an array of tables").isTrue();
    }

    @Test
    void topLevelValuesAreTheChartsKeys() throws Exception {
        JsonNode values = YAML.readTree(walkthrough().toYaml());
        assertThat(values.get("gitlabUrl").asText()).isEqualTo("https://gitlab.com/");
        assertThat(values.at("/runners/secret").asText()).isEqualTo("app-dev-runner-token");
        assertThat(values.at("/runners/jobNamespace").asText()).isEqualTo("dev");
        assertThat(values.get("concurrent").asInt()).isEqualTo(10);
        assertThat(values.get("checkInterval").asInt()).isEqualTo(30);
        assertThat(values.get("terminationGracePeriodSeconds").asInt()).isEqualTo(3600);
        assertThat(values.get("unregisterRunners").asBoolean()).isTrue();
        assertThat(values.get("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(values.at("/metrics/enabled").asBoolean()).isTrue();
        assertThat(values.at("/serviceAccount/create").asBoolean()).isTrue();
        assertThat(values.at("/serviceAccount/name").asText()).isEqualTo("app-dev-runner-manager");
        assertThat(values.has("runnerToken")).isFalse();
        assertThat(values.has("runnerRegistrationToken")).isFalse();
    }

    @Test
    void rbacIsLeastPrivilegeInTheShapeTheChartReads() throws Exception {
        JsonNode values = YAML.readTree(walkthrough().toYaml());
        assertThat(values.at("/rbac/create").asBoolean()).isTrue();
        JsonNode rules = values.at("/rbac/rules");
        assertThat(rules).hasSize(8);
        List<String> flat = new ArrayList<>();
        for (JsonNode rule : rules) {
            List<String> keys = new ArrayList<>();
            rule.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("apiGroups", "resources", "verbs");
            assertThat(rule.get("apiGroups")).containsExactly(YAML.getNodeFactory().textNode(""));
            for (JsonNode r : rule.get("resources")) {
                for (JsonNode v : rule.get("verbs")) {
                    flat.add(r.asText() + ":" + v.asText());
                }
            }
        }
        assertThat(flat).containsExactlyInAnyOrder(
                "pods:create", "pods:delete", "pods:get", "pods:list", "pods:watch",
                "pods/exec:create", "pods/exec:delete", "pods/exec:get", "pods/exec:patch",
                "pods/attach:create", "pods/attach:delete", "pods/attach:get", "pods/attach:patch",
                "pods/log:get", "pods/log:list",
                "secrets:create", "secrets:delete", "secrets:get", "secrets:update",
                "services:create", "services:get", "serviceaccounts:get", "events:list", "events:watch");
        assertThat(flat).noneMatch(s -> s.contains("*"));
    }

    @Test
    void everyEmittedKeyPathIsOneTheChartDocuments() throws Exception {
        ChartReference chart = new ChartReference();
        // the reference itself: commented keys the chart reads are found at the right place
        assertThat(chart.commentedPaths).contains("gitlabUrl", "runnerToken", "runners.secret", "runners.jobNamespace", "serviceAccount.create");
        assertThat(chart.paths).contains("rbac.rules", "runners.config", "metrics.enabled", "checkInterval");
        List<String> emitted = new ArrayList<>();
        paths("", YAML.readTree(walkthrough().toYaml()), emitted);
        assertThat(emitted).hasSizeGreaterThan(10);
        assertThat(emitted).allSatisfy(path -> assertThat(chart.documents(path)).as(path).isTrue());
    }

    @Test
    void ownershipMarksLabelTheDeploymentThroughAKeyTheChartReads() throws Exception {
        ChartReference chart = new ChartReference();
        assertThat(chart.paths).contains(RunnerValues.DEPLOYMENT_LABELS);
        RunnerValues marked = walkthrough().toBuilder().ownerStack("app-dev").build();
        JsonNode tree = YAML.readTree(marked.toYaml());
        assertThat(tree.at("/deploymentLabels").get("irsa.dev/managed-by").asText()).isEqualTo("irsa");
        assertThat(tree.at("/deploymentLabels").get("irsa.dev/stack").asText()).isEqualTo("app-dev");
        // Helm's own managed-by label is left to Helm
        assertThat(tree.at("/deploymentLabels").has("app.kubernetes.io/managed-by")).isFalse();
        assertThat(marked.ownerStack()).contains("app-dev");
        assertThat(walkthrough().toTree().has(RunnerValues.DEPLOYMENT_LABELS)).isFalse();
        List<String> emitted = new ArrayList<>();
        paths("", tree, emitted);
        assertThat(emitted).contains("deploymentLabels.irsa.dev/stack");
        assertThat(emitted).allSatisfy(path -> assertThat(chart.documents(path)).as(path).isTrue());
        // the free-form rule does not open the chart's structured maps
        assertThat(chart.documents("rbac.irsa.dev/stack")).isFalse();
    }

    @Test
    void keyPathCheckRejectsTheLegacyKeys() throws Exception {
        ChartReference chart = new ChartReference();
        for (String legacy : List.of("runners.image", "runners.serviceAccountName", "runners.namespace", "runners.privileged",
                "runners.builds.cpuRequests", "runners.nodeSelector.nodepool", "runners.pollTimeout", "runnerRegistrationToken")) {
            assertThat(chart.documents(legacy)).as(legacy).isFalse();
        }
    }

    @Test
    void inlineTokenNeverReachesTheYaml() {
        SecretString token = SecretString.of("glrt-inline-secret-123");
        RunnerValues values = walkthrough().toBuilder().runnerSecretName(null).runnerToken(token).build();
        assertThat(values.toYaml()).doesNotContain("glrt-inline-secret-123").doesNotContain("runnerToken");
        assertThat(values.toString()).doesNotContain("glrt-inline-secret-123");
        assertThat(values.secretValues()).containsEntry("runnerToken", token);
        assertThat(values.runnerSecretName()).isEmpty();
    }

    @Test
    void legacyRegistrationTokenIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> walkthrough().toBuilder().runnerSecretName(null)
                .runnerToken(SecretString.of("GR1348941legacysecret")).build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("legacy runner registration token")
                .hasMessageNotContaining("GR1348941legacysecret");
    }

    @Test
    void badInputIsATypedValidationError() {
        assertThatThrownBy(() -> walkthrough().toBuilder().gitlabUrl("ftp://gitlab.com").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("gitlabUrl"));
        assertThatThrownBy(() -> walkthrough().toBuilder().jobs(j -> j.namespace("Dev_NS")).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("jobs.namespace"));
        assertThatThrownBy(() -> walkthrough().toBuilder().jobs(j -> j.serviceAccount(null)).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("jobs.serviceAccount"));
        assertThatThrownBy(() -> walkthrough().toBuilder().rbacRules(List.of()).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("rbac.rules"));
        assertThatThrownBy(() -> ResourceRequests.of("lots", "128Mi")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> walkthrough().toBuilder().imagePullPolicy("Sometimes").build())
                .isInstanceOf(ValidationException.class);
        // A Helm template in the image is now refused by the image reference grammar, before the tpl guard sees it.
        assertThatThrownBy(() -> walkthrough().toBuilder().jobs(j -> j.image("{{ .Values.evil }}")).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("jobs.image"));
        assertThatThrownBy(() -> walkthrough().toBuilder().jobs(j -> j.image("ubuntu:18.04\n  privileged = true")).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("jobs.image"));
        assertThatThrownBy(() -> walkthrough().toBuilder().jobs(j -> j.nodeSelector(java.util.Map.of("node pool", "dev"))).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("jobs.nodeSelector"));
    }

    @Test
    void managerAccountIsCreatedByDefaultAlongsideRbac() throws Exception {
        RunnerValues minimal = RunnerValues.builder().gitlabUrl("https://gitlab.com")
                .jobs(j -> j.namespace("dev").serviceAccount("app-deployer")).build();
        JsonNode values = YAML.readTree(minimal.toYaml());
        assertThat(values.at("/serviceAccount/create").asBoolean()).isTrue();
        assertThat(values.at("/serviceAccount").has("name")).isFalse();
        assertThat(values.at("/rbac/create").asBoolean()).isTrue();
        assertThat(values.at("/runners/secret").asText()).isEqualTo(RunnerValues.DEFAULT_SECRET_NAME);
    }

    @Test
    void sameInputSameValues() {
        assertThat(walkthrough()).isEqualTo(walkthrough());
        assertThat(walkthrough().toYaml()).isEqualTo(walkthrough().toYaml());
    }

    static void paths(String prefix, JsonNode node, List<String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            out.add(path);
            if (e.getValue().isObject()) {
                paths(path, e.getValue(), out);
            }
        }
    }
}

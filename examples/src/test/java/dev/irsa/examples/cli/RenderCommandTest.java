package dev.irsa.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RenderCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonNode seed(ObjectMapper mapper, String name) throws IOException {
        try (InputStream in = RenderCommandTest.class.getResourceAsStream("/seed/" + name)) {
            assertThat(in).as("seed " + name).isNotNull();
            return mapper.readTree(in);
        }
    }

    @Test
    void trustPolicyIsTheWalkthroughsSeed() throws IOException {
        CliRun run = CliRun.of("render", "trust-policy",
                "--issuer", "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
                "--account", "111122223333", "--namespace", "dev", "--service-account", "app-deployer");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(JSON.readTree(run.out())).isEqualTo(seed(JSON, "trust-policy.json"));
        assertThat(run.out()).contains("\n  \"Statement\"");   // pretty-printed
    }

    @Test
    void audienceAndPartitionAreHonoured() throws IOException {
        CliRun run = CliRun.of("render", "trust-policy",
                "--issuer", "https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABCDEF",
                "--account", "111122223333", "--partition", "aws-cn", "--namespace", "ci", "--service-account", "deployer",
                "--audience", "sts.amazonaws.com.cn");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode st = JSON.readTree(run.out()).get("Statement").get(0);
        assertThat(st.at("/Principal/Federated").asText()).isEqualTo("arn:aws-cn:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABCDEF");
        assertThat(st.at("/Condition/StringEquals").get("oidc.eks.cn-north-1.amazonaws.com.cn/id/ABCDEF:aud").asText()).isEqualTo("sts.amazonaws.com.cn");
    }

    @Test
    void badNamespaceIsAValidationErrorWithFieldValueAndRule() {
        CliRun run = CliRun.of("render", "trust-policy",
                "--issuer", "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
                "--account", "111122223333", "--namespace", "My_NS", "--service-account", "app-deployer");
        assertThat(run.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("field: ").contains("value: My_NS").contains("rule:  ").containsIgnoringCase("DNS-1123");
    }

    @Test
    void badAccountAndIssuerAreRejectedBeforeAnything() {
        CliRun account = CliRun.of("render", "trust-policy", "--issuer", "https://oidc.eks.eu-west-1.amazonaws.com/id/X",
                "--account", "12345", "--namespace", "dev", "--service-account", "app-deployer");
        assertThat(account.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(account.err()).contains("value: 12345").contains("rule:");
        CliRun issuer = CliRun.of("render", "trust-policy", "--issuer", "http://oidc.example.com:8080/id?x=1",
                "--account", "111122223333", "--namespace", "dev", "--service-account", "app-deployer");
        assertThat(issuer.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(issuer.err()).contains("value: http://oidc.example.com:8080/id?x=1").contains("rule:");
    }

    @Test
    void missingOptionIsAUsageError() {
        CliRun run = CliRun.of("render", "trust-policy", "--account", "111122223333");
        assertThat(run.exitCode()).isEqualTo(IrsaCli.USAGE);
        assertThat(run.err()).contains("Missing required options").contains("--issuer");
    }

    @Test
    void podIdentityTrustPinsTheSourceAccount() throws IOException {
        CliRun run = CliRun.of("render", "pod-identity-trust", "--account", "111122223333",
                "--cluster-arn", "arn:aws:eks:eu-west-1:111122223333:cluster/devops");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode st = JSON.readTree(run.out()).get("Statement").get(0);
        assertThat(st.at("/Principal/Service").asText()).isEqualTo("pods.eks.amazonaws.com");
        assertThat(st.get("Action").toString()).contains("sts:AssumeRole", "sts:TagSession");
        assertThat(st.at("/Condition/StringEquals/aws:SourceAccount").asText()).isEqualTo("111122223333");
    }

    @Test
    void gitLabTrustNamesProjectAndBranch() throws IOException {
        CliRun run = CliRun.of("render", "gitlab-trust", "--gitlab-url", "https://gitlab.example.com", "--account", "111122223333",
                "--project", "platform/deployer", "--branch", "main");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("project_path:platform/deployer:ref_type:branch:ref:main")
                .contains("arn:aws:iam::111122223333:oidc-provider/gitlab.example.com");
        assertThat(CliRun.of("render", "gitlab-trust", "--account", "111122223333", "--project", "g/p").exitCode())
                .as("branch or tag required").isEqualTo(IrsaCli.USAGE);
    }

    @Test
    void valuesRunJobPodsUnderTheServiceAccount() throws IOException {
        CliRun run = CliRun.of("render", "values");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode values = YAML.readTree(run.out());
        assertThat(values.get("gitlabUrl").asText()).isEqualTo("https://gitlab.com/");
        assertThat(values.at("/runners/config").asText()).contains("service_account = 'app-deployer'").contains("namespace = 'dev'");
        assertThat(values.at("/runners/secret").asText()).isEqualTo("app-dev-runner-token");

        CliRun other = CliRun.of("render", "values", "--namespace", "prod", "--service-account", "prod-deployer", "--node-selector", "nodepool=prod");
        assertThat(YAML.readTree(other.out()).at("/runners/config").asText()).contains("service_account = 'prod-deployer'", "nodepool = 'prod'");
    }

    @Test
    void pipelineIsTheWalkthroughsSeed() throws IOException {
        CliRun run = CliRun.of("render", "pipeline");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(YAML.readTree(run.out())).isEqualTo(seed(YAML, "gitlab-ci.yml"));
    }

    @Test
    void allHoldsEveryArtifact() {
        CliRun run = CliRun.of("render", "all");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("# --- trust-policy.json", "# --- values.yaml", "# --- .gitlab-ci.yml", "k8s-dev-runner", "sts:AssumeRoleWithWebIdentity");
    }

    @Test
    void helpIsEverywhere() {
        for (String[] args : new String[][]{{"--help"}, {"render", "--help"}, {"render", "trust-policy", "--help"}, {"lint", "--help"}, {"demo", "--help"}}) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(run.out()).contains("Usage: irsa");
        }
        assertThat(CliRun.of("--help").out()).contains("render", "lint", "demo", "Exit codes");
    }

    @Test
    void specArtifactsComeFromTheStack() throws IOException {
        java.nio.file.Path spec = java.nio.file.Files.createTempFile("seed", ".yaml");
        try (InputStream in = getClass().getResourceAsStream("/dev/irsa/examples/stacks/seed.yaml")) {
            java.nio.file.Files.copy(in, spec, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            CliRun values = CliRun.of("render", "values", "--spec", spec.toString());
            assertThat(values.exitCode()).as(values.err()).isZero();
            assertThat(YAML.readTree(values.out()).at("/runners/config").asText()).contains("service_account = 'app-deployer'", "nodepool = 'dev'");
            CliRun pipeline = CliRun.of("render", "pipeline", "--spec", spec.toString());
            assertThat(pipeline.exitCode()).as(pipeline.err()).isZero();
            assertThat(YAML.readTree(pipeline.out())).isEqualTo(seed(YAML, "gitlab-ci.yml"));
            CliRun all = CliRun.of("render", "all", "--spec", spec.toString());
            assertThat(all.exitCode()).as(all.err()).isZero();
            assertThat(all.out()).contains("# --- trust-policy.json", "# --- lint", "IRSA-P002", "# --- values.yaml", "# --- .gitlab-ci.yml");
        } finally {
            java.nio.file.Files.deleteIfExists(spec);
        }
    }

    @Test
    void renderingTrustLoadsNoClientOfAwsKubernetesOrGitLab() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-verbose:class",
                "-cp", System.getProperty("java.class.path"), IrsaCli.class.getName(),
                "render", "trust-policy", "--issuer", "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
                "--account", "111122223333", "--namespace", "dev", "--service-account", "app-deployer")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        List<String> loaded = output.lines().filter(l -> l.contains("class,load")).map(l -> l.split(" ")[1]).toList();
        assertThat(loaded).as("policy code was used").anyMatch(c -> c.startsWith("dev.irsa.policy."));
        assertThat(loaded).noneMatch(c -> c.startsWith("software.amazon.awssdk.services.") || c.startsWith("io.fabric8.")
                || c.startsWith("org.gitlab4j.") || c.startsWith("com.marcnuri.") || c.startsWith("dev.irsa.aws.")
                || c.startsWith("dev.irsa.kubernetes.") || c.startsWith("dev.irsa.gitlab.") || c.startsWith("dev.irsa.testing."));
    }
}

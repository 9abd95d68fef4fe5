package dev.irsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;

/**
 * issue 14: the real-endpoint entry point says what is missing before any call. Nothing here reads the
 * machine's environment: the kubeconfig lookup, the credentials chain and the region chain are replaced by
 * ones over temporary files (an empty profile file is what a machine without AWS configuration has).
 */
class IrsaEndpointsTest {
    static final StaticCredentialsProvider TESTING = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    @TempDir
    Path dir;

    @Test
    void noKubeconfigSaysWhereItLooked() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path missing = dir.resolve("missing-kubeconfig");
        KubeconfigLookup lookup = new KubeconfigLookup(Map.of("HOME", home.toString(), "KUBECONFIG", missing.toString())::get,
                Map.of("user.home", home.toString())::get);

        assertThatThrownBy(() -> IrsaEndpoints.builder().kubeconfigLookup(lookup).region("eu-west-1").credentialsProvider(TESTING).open())
                .isInstanceOfSatisfying(EndpointSetupException.class, e -> {
                    assertThat(e.field()).isEqualTo("kubernetes.kubeconfig");
                    assertThat(e.problem()).isEqualTo("no kubeconfig found");
                    assertThat(e.lookedAt()).containsExactly("$KUBECONFIG = " + missing,
                            missing + " is not a readable, non-empty file",
                            "in-cluster: $KUBERNETES_SERVICE_HOST is unset (not running in a pod)",
                            "$KUBERNETES_MASTER is unset");
                    assertThat(e.getMessage()).startsWith("kubernetes.kubeconfig: no kubeconfig found; looked at: $KUBECONFIG = " + missing + "; ")
                            .contains("set KUBECONFIG");
                });
    }

    @Test
    void withoutKubeconfigVariableTheHomeFileIsWhereItLooked() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        KubeconfigLookup lookup = new KubeconfigLookup(Map.of("HOME", home.toString())::get, Map.<String, String>of()::get);

        assertThatThrownBy(lookup::find).isInstanceOfSatisfying(EndpointSetupException.class, e ->
                assertThat(e.lookedAt()).startsWith("$KUBECONFIG is unset, so the home directory's " + home.resolve(".kube/config"),
                        home.resolve(".kube/config") + " is not a readable, non-empty file"));
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), kubeconfig("http://127.0.0.1:1"));
        assertThat(lookup.find().files()).containsExactly(home.resolve(".kube/config"));
        KubeconfigLookup inCluster = new KubeconfigLookup(Map.of("HOME", home.toString(), "KUBECONFIG", dir.resolve("none").toString(),
                "KUBERNETES_SERVICE_HOST", "127.0.0.1")::get, Map.<String, String>of()::get);
        assertThat(inCluster.find().files()).isEmpty();
    }

    @Test
    void noAwsCredentialsSaysSoAndNamesTheChainsSources() throws IOException {
        Path emptyProfiles = Files.writeString(dir.resolve("credentials"), "");
        ProfileCredentialsProvider nothing = ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(emptyProfiles).type(ProfileFile.Type.CREDENTIALS).build())
                .profileName("default").build();
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfig("http://127.0.0.1:1"));

        assertThatThrownBy(() -> IrsaEndpoints.builder().kubeconfig(kubeconfig).region("eu-west-1").defaultCredentials(nothing).open())
                .isInstanceOfSatisfying(EndpointSetupException.class, e -> {
                    assertThat(e.field()).isEqualTo("aws.credentials");
                    assertThat(e.problem()).isEqualTo("no AWS credentials");
                    assertThat(e.getMessage()).contains("$AWS_ACCESS_KEY_ID", "aws.accessKeyId", "$AWS_WEB_IDENTITY_TOKEN_FILE",
                            "~/.aws/credentials", "container credentials", "EC2 instance metadata", "AWS_PROFILE");
                });
    }

    @Test
    void noRegionSaysHowToSetOne() throws IOException {
        Path emptyConfig = Files.writeString(dir.resolve("config"), "");
        AwsProfileRegionProvider nothing = new AwsProfileRegionProvider(
                () -> ProfileFile.builder().content(emptyConfig).type(ProfileFile.Type.CONFIGURATION).build(), "default");
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfig("http://127.0.0.1:1"));

        assertThatThrownBy(() -> IrsaEndpoints.builder().kubeconfig(kubeconfig).defaultRegion(nothing).credentialsProvider(TESTING).open())
                .isInstanceOfSatisfying(EndpointSetupException.class, e -> {
                    assertThat(e.field()).isEqualTo("aws.region");
                    assertThat(e.getMessage()).contains("no AWS region", "$AWS_REGION", "--region");
                });
    }

    /** Before issue 14 the message was "no answer from the API server (KubernetesClientException)": which server? */
    @Test
    void anUnreachableApiServerIsNamedByItsUrl() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfig("http://127.0.0.1:" + closedPort));
        try (IrsaEndpoints endpoints = IrsaEndpoints.builder().kubeconfig(kubeconfig).region("eu-west-1").credentialsProvider(TESTING)
                .kubernetes(k -> k.requestRetries(0)).open()) {
            assertThatThrownBy(() -> endpoints.kubernetes().namespaceOwnership("dev", "seed"))
                    .isInstanceOf(IrsaException.class)
                    .hasMessageContaining("no answer from the API server http://127.0.0.1:" + closedPort + "/ (ConnectException)");
        }
    }

    @Test
    void theKubeconfigForToolsNamesTheChosenContext() throws IOException {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfig("http://127.0.0.1:1")
                .replace("contexts:\n", "contexts:\n- name: other\n  context:\n    cluster: c\n    user: u\n"));
        try (IrsaEndpoints endpoints = IrsaEndpoints.builder().kubeconfig(kubeconfig).context("other").region("eu-west-1")
                .credentialsProvider(TESTING).open()) {
            assertThat(endpoints.kubeconfigFile()).contains(kubeconfig);
            String contents = endpoints.kubeconfigContents().orElseThrow().reveal();
            assertThat(contents).contains("current-context: \"other\"").contains("server: \"http://127.0.0.1:1\"");
            assertThat(endpoints.kubeconfigContents().orElseThrow().toString()).doesNotContain("test-token");
            assertThat(endpoints.region()).isEqualTo("eu-west-1");
            assertThat(endpoints.bindingBackends().kubernetes()).contains(endpoints.kubernetes());
        }
    }

    static String kubeconfig(String server) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster:
                    server: %s
                contexts:
                - name: ctx
                  context:
                    cluster: c
                    user: u
                    namespace: default
                current-context: ctx
                users:
                - name: u
                  user:
                    token: test-token
                """.formatted(server);
    }
}

package dev.irsa.gitlab.api;

import dev.irsa.SecretString;
import dev.irsa.ValidationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitLabValidatorsTest {
    @Test
    void gitlabUrl() {
        assertThat(GitLabValidators.gitlabUrl("u", "https://gitlab.com/")).isEqualTo("https://gitlab.com");
        assertThat(GitLabValidators.gitlabUrl("u", "http://127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
        for (String bad : List.of("gitlab.com", "ftp://gitlab.com", "https://", "https://gitlab.com/?x=1", "https://u:p@gitlab.com")) {
            assertThatThrownBy(() -> GitLabValidators.gitlabUrl("u", bad)).as(bad).isInstanceOf(ValidationException.class);
        }
    }

    @Test
    void theApiUrlIsHttpsUnlessLoopbackOrExplicitlyAllowed() {
        for (String ok : List.of("https://gitlab.example.test", "http://127.0.0.1:8080", "http://127.3.4.5", "http://localhost:3000/",
                "http://LOCALHOST", "http://[::1]:8929")) {
            assertThat(GitLabValidators.apiUrl("gitlab.url", ok, false)).as(ok).doesNotEndWith("/");
        }
        // names are not resolved: a name that points at 127.0.0.1 today may point elsewhere tomorrow
        for (String insecure : List.of("http://gitlab.example.test", "http://127.0.0.1.nip.io", "http://[::2]",
                "http://localhost.example.test", "http://0x7f000001")) {
            assertThatThrownBy(() -> GitLabValidators.apiUrl("gitlab.url", insecure, false)).as(insecure)
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.field()).isEqualTo("gitlab.url");
                        assertThat(e.value()).isEqualTo(insecure);
                        assertThat(e.rule()).contains("unencrypted", "loopback", "allowInsecureHttp(true)", "--allow-insecure-http");
                    });
            assertThat(GitLabValidators.apiUrl("gitlab.url", insecure, true)).as(insecure).isEqualTo(insecure);
        }
        assertThatThrownBy(() -> GitLabValidators.apiUrl("gitlab.url", "ftp://127.0.0.1", true)).isInstanceOf(ValidationException.class);
    }

    @Test
    void aTokenPutIntoTheUrlIsNotRepeatedInTheError() {
        for (String withToken : List.of("https://oauth2:glpat-Xq3vR8sLm2NpT7wZ4yKd@gitlab.example.test",
                "https://gitlab.example.test/?private_token=glpat-Xq3vR8sLm2NpT7wZ4yKd")) {
            assertThatThrownBy(() -> GitLabValidators.apiUrl("gitlab.url", withToken, false)).as(withToken)
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.value()).asString().contains("****"))
                    .hasMessageNotContaining("Xq3vR8sLm2NpT7wZ4yKd");
        }
    }

    @Test
    void aConnectionToAPlainHttpHostIsRefusedWithoutTheOptIn() {
        GitLabConnection.Builder b = GitLabConnection.builder().url("http://gitlab.example.test").accessToken(SecretString.of("glpat-x"));
        assertThatThrownBy(b::build).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("gitlab.url"));
        GitLabConnection allowed = b.allowInsecureHttp(true).build();
        assertThat(allowed.allowInsecureHttp()).isTrue();
        assertThat(allowed.toString()).contains("allowInsecureHttp").doesNotContain("glpat-x");
    }

    @Test
    void runnerTags() {
        assertThat(GitLabValidators.runnerTags("t", List.of("k8s-dev-runner", "eu west"))).hasSize(2);
        assertThat(GitLabValidators.runnerTags("t", IntStream.range(0, 50).mapToObj(i -> "t" + i).toList())).hasSize(50);
        assertThatThrownBy(() -> GitLabValidators.runnerTags("t", IntStream.range(0, 51).mapToObj(i -> "t" + i).toList()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("at most 50");
        for (String bad : List.of("", "a,b", " lead", "trail ", "x".repeat(256))) {
            assertThatThrownBy(() -> GitLabValidators.runnerTags("t", List.of(bad))).as(bad).isInstanceOf(ValidationException.class);
        }
        assertThatThrownBy(() -> GitLabValidators.runnerTags("t", List.of("a", "a"))).hasMessageContaining("unique");
    }

    @Test
    void runnerTokenMustBeGlrt() {
        assertThat(GitLabValidators.runnerToken("tok", SecretString.of("glrt-abc")).reveal()).isEqualTo("glrt-abc");
        assertThatThrownBy(() -> GitLabValidators.runnerToken("tok", SecretString.of("GR1348941abcdef")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("tok");
                    assertThat(e.value()).startsWith("sha256:");
                    assertThat(e.rule()).contains("legacy runner registration token", "POST /user/runners");
                }).hasMessageNotContaining("abcdef");
        assertThatThrownBy(() -> GitLabValidators.runnerToken("tok", SecretString.of("glpat-xyz")))
                .hasMessageContaining("glrt-").hasMessageNotContaining("glpat-xyz");
        assertThatThrownBy(() -> GitLabValidators.runnerToken("tok", SecretString.of("glrt-"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> GitLabValidators.runnerToken("tok", null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void runnerSpec() {
        RunnerSpec spec = RunnerSpec.builder().stack("dev").name("app-dev-runner").projectId(42).tags("k8s-dev-runner")
                .description("walkthrough runner").protectedOnly(true).build();
        assertThat(spec.marker()).isEqualTo("irsa:dev/app-dev-runner");
        assertThat(spec.gitlabDescription()).isEqualTo("irsa:dev/app-dev-runner walkthrough runner");
        assertThat(spec.accessLevel()).isEqualTo("ref_protected");
        assertThat(spec.runUntagged()).isFalse();
        assertThat(spec.locked()).isTrue();
        assertThatThrownBy(() -> RunnerSpec.builder().stack("dev").name("r").projectId(1).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("untagged");
        assertThatThrownBy(() -> RunnerSpec.builder().stack("dev").name("r").tags("t").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("runner.scope"));
        assertThatThrownBy(() -> RunnerSpec.builder().stack("de v").name("r").projectId(1).tags("t").build())
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> RunnerSpec.builder().stack("dev").name("r").projectId(1).tags("t").maximumTimeoutSeconds(60).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("600");
    }

    @Test
    void connectionNeverShowsTheAccessToken() {
        GitLabConnection c = GitLabConnection.builder().url("https://gitlab.com").accessToken(SecretString.of("glpat-secret")).build();
        assertThat(c.toString()).doesNotContain("glpat-secret");
        assertThatThrownBy(() -> GitLabConnection.builder().url("https://gitlab.com").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("create_runner");
        assertThatThrownBy(() -> GitLabConnection.builder().url("https://gitlab.com").accessToken(SecretString.of("x"))
                .proxy(java.net.URI.create("http://proxy")).build()).isInstanceOf(ValidationException.class);
    }
}

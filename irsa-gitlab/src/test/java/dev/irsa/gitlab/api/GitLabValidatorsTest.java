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
